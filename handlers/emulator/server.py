"""A local fake of the Telegram Bot API over HTTP, for tests and `gridbot demo`.

The real PTB `Application` talks to it exactly as to api.telegram.org (base_url /
base_file_url), so tests exercise the real request/response path: errors, retries, limits.
This module is the HTTP layer; the methods are grouped by what they do (polling, sending,
editing, chats), scripted faults are in faults, and the world (people, chats, messages,
updates) lives in handlers.emulator.world and handlers.emulator.residents.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from handlers.emulator.api import JSON, ApiError, public
from handlers.emulator.chats import Chats
from handlers.emulator.editing import Editing
from handlers.emulator.faults import Faults
from handlers.emulator.observed import SentMessage
from handlers.emulator.polling import Polling
from handlers.emulator.sending import Sending

__all__ = ["ApiError", "BotApiEmulator", "SentMessage"]

log = logging.getLogger(__name__)

Handler = Callable[[JSON], Awaitable[Any]]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Form-encoded bodies (PTB's default) carry every value as a string; these tell the types.
_JSON_FIELDS = _words(
    "reply_markup reply_parameters entities caption_entities options commands scope "
    "allowed_updates reaction link_preview_options question_entities menu_button"
)
_INT_FIELDS = _words(
    "chat_id message_id message_thread_id reply_to_message_id offset limit user_id "
    "cache_time open_period close_date max_connections"
)
_FLOAT_FIELDS = _words("timeout latitude longitude horizontal_accuracy")
_BOOL_FIELDS = _words(
    "allow_sending_without_reply disable_notification protect_content is_anonymous "
    "allows_multiple_answers show_alert drop_pending_updates is_big"
)
_SEND_METHODS = _words("sendMessage sendPhoto sendDocument sendPoll sendLocation")
_OK_METHODS = _words(
    "logOut close setMyDescription setMyShortDescription setMyName "
    "setMessageReaction pinChatMessage unpinChatMessage setMyDefaultAdministratorRights"
)
_METHODS = _words(
    "getMe getUpdates deleteWebhook setWebhook getWebhookInfo sendMessage sendPhoto "
    "sendDocument sendPoll stopPoll sendLocation editMessageText editMessageReplyMarkup "
    "deleteMessage answerCallbackQuery setMyCommands getMyCommands deleteMyCommands "
    "getChat getChatMember getChatAdministrators getFile sendChatAction setChatMenuButton "
    "getChatMenuButton"
)


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    with contextlib.suppress(ValueError):
        if key in _JSON_FIELDS:
            return json.loads(value)
        if key in _INT_FIELDS:
            return int(value)
        if key in _FLOAT_FIELDS:
            return float(value)
    if key in _BOOL_FIELDS:
        return value.lower() == "true"
    return value


def _error_body(err: ApiError) -> web.Response:
    body: JSON = {"ok": False, "error_code": err.status, "description": err.description}
    if err.retry_after is not None:
        body["parameters"] = {"retry_after": err.retry_after}
    if err.migrate_to_chat_id is not None:
        body["parameters"] = {"migrate_to_chat_id": err.migrate_to_chat_id}
    return web.json_response(body, status=err.status)


class BotApiEmulator(Polling, Sending, Editing, Chats, Faults):
    """A fake Bot API server with a scriptable world.

    Script residents with the world's methods (add_user, post_message, press_button ...),
    then assert on what the bot did: `sent`, `calls`, `edits`, `callback_answers`, `transcript`.
    Everything is plain asyncio state: call it from the event loop the server runs in.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "gridbot_test_bot",
        bot_id: int = 123456,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        can_read_all_group_messages: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        bot = {"id": bot_id, "is_bot": True, "first_name": "gridbot", "username": bot_username}
        super().__init__(bot, can_read_all_group_messages, clock)
        self.token, self.host, self.port = token, host, port
        self.latency = 0.0
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, tuple[str, Handler]] = {}
        for name in _METHODS:
            self._methods[name.lower()] = (name, getattr(self, f"_m_{name}"))
        for name in _OK_METHODS:
            self._methods[name.lower()] = (name, self._m_ok)

    # -- server lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._closing = False
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("Bot API emulator listening on %s", self.base_url)

    async def stop(self) -> None:
        self._closing = True
        self._wake()  # long polls return now instead of at their timeout
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    # -- HTTP -------------------------------------------------------------------------------
    async def _read_params(self, request: web.Request) -> tuple[JSON, dict[str, JSON]]:
        """Params from query, JSON, form or multipart; uploads come back separately."""
        raw: JSON = dict(request.query)
        uploads: dict[str, JSON] = {}
        if request.content_type == "application/json":
            with contextlib.suppress(ValueError):  # bad JSON: the method finds no params
                body = await request.json()
                raw |= body if isinstance(body, dict) else {}
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    uploads[key] = {"filename": value.filename, "content": content}
                    raw[key] = {"filename": value.filename, "size": len(content)}
                else:
                    raw[key] = value
        return {k: _coerce(k, v) for k, v in raw.items()}, uploads

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        params, uploads = await self._read_params(request)
        name, handler = self._methods.get(
            request.match_info["method"].lower(), (request.match_info["method"], None)
        )
        self.calls.append((name, params))
        polling = name == "getUpdates"
        self._inflight += not polling
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            if request.match_info["token"] != self.token:
                return _error_body(ApiError(401, "Unauthorized"))
            if handler is None:
                return _error_body(ApiError(404, "Not Found: method not found"))
            return await self._answer(request, name, handler, params | {"_uploads": uploads})
        finally:
            self._inflight -= not polling
            if not polling:
                self._notify()

    async def _answer(
        self, request: web.Request, name: str, handler: Handler, params: JSON
    ) -> web.StreamResponse:
        drop = self._take_fault(self._drops, name, params)
        try:
            if drop is not None and not drop.processed:
                raise ConnectionAbortedError
            if fault := self._take_fault(self._faults, name, params):
                raise self._fault_error(fault)
            result = await self._call(handler, params)
            if drop is not None:
                raise ConnectionAbortedError
            if delayed := self._take_fault(self._delays, name, params):
                await asyncio.sleep(delayed.delay)  # cancelled if the bot gives up first
        except ApiError as err:
            self.too_many_requests += err.status == 429
            self._note_failure(name, params, err)
            return _error_body(err)
        except ConnectionAbortedError:
            log.debug("dropping the connection of a %s call", name)
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError from None
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _call(handler: Handler, params: JSON) -> Any:
        try:
            return await handler(params)
        except (KeyError, ValueError, TypeError, AttributeError) as err:
            # Malformed params from the bot: answer like Telegram instead of an HTML 500.
            log.warning("bad parameters %r", public(params), exc_info=True)
            raise ApiError(400, f"Bad Request: invalid parameters ({err!r})") from err

    def _note_failure(self, name: str, params: JSON, err: ApiError) -> None:
        chat_id = params.get("chat_id")
        self.refused.append((name, chat_id, err.description))
        if name in _SEND_METHODS and chat_id in self.chats:
            self.note(f"[{self.chat_label(chat_id)}] ⚠ {name} 失败: {err.description}")

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error_body(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for info in self.files.values():
            if info["file_path"] == path:
                return web.Response(body=info["content"])
        return _error_body(ApiError(404, "Not Found"))

    async def _m_ok(self, params: JSON) -> bool:
        return True
