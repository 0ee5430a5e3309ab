"""A local fake of the Telegram Bot API over HTTP, for tests and `gridbot demo`.

The real PTB `Application` talks to it exactly as to api.telegram.org (base_url /
base_file_url), so tests exercise the real request/response path: errors, retries, limits.
The world (people, chats, messages, updates) lives in handlers.emulator.world.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import web

from handlers.emulator import webhook
from handlers.emulator.world import (
    GONE,
    TINY_PNG,
    ApiError,
    EmulatorWorld,
    SentMessage,
    buttons_of,
    describe,
    detect_entities,
    display_name,
    member_json,
    parse_html,
    utf16_len,
)

__all__ = ["ApiError", "BotApiEmulator", "SentMessage"]

log = logging.getLogger(__name__)

JSON = dict[str, Any]
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
_GIFT_KINDS = _words(
    "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_OLD_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501


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


def _public(params: JSON) -> JSON:
    return {k: v for k, v in params.items() if k != "_uploads"}


def _error_body(err: ApiError) -> web.Response:
    body: JSON = {"ok": False, "error_code": err.status, "description": err.description}
    if err.retry_after is not None:
        body["parameters"] = {"retry_after": err.retry_after}
    if err.migrate_to_chat_id is not None:
        body["parameters"] = {"migrate_to_chat_id": err.migrate_to_chat_id}
    return web.json_response(body, status=err.status)


@dataclass
class _Fault:
    method: str
    count: int
    status: int = 0
    retry_after: int | None = None
    chat_id: int | None = None
    processed: bool = False  # for drops: the call takes effect, only the answer is lost
    delay: float = 0.0  # for delays: seconds between the call taking effect and its answer


class BotApiEmulator(EmulatorWorld):
    """A fake Bot API server with a scriptable world.

    Script residents with the EmulatorWorld methods (add_user, post_message, press_button ...),
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
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, JSON]] = []
        self.callback_answers: list[JSON] = []
        self.edits: list[JSON] = []
        self.polls: list[JSON] = []  # {"chat_id", "message_id", "poll"}; poll is live
        self.deleted: list[tuple[int, int]] = []
        self.commands: dict[str, list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}  # by private chat; None the default
        self.webhook: JSON = {"url": "", "secret_token": None}
        self.latency = 0.0
        self.enforce_limits = False
        self.too_many_requests = 0
        self.refused: list[tuple[str, object, str]] = []  # (method, chat_id, description)
        self._faults: list[_Fault] = []
        self._drops: list[_Fault] = []
        self._delays: list[_Fault] = []
        self._sends_all: deque[float] = deque()
        self._sends_chat: defaultdict[int, deque[float]] = defaultdict(deque)
        self._inflight = 0
        self._poll_generation = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
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

    # -- faults -----------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        self._faults.append(_Fault(method.lower(), count, status, retry_after, chat_id))

    def drop_next(self, method: str, count: int = 1, *, processed: bool = False) -> None:
        self._drops.append(_Fault(method.lower(), count, processed=processed))

    def delay_next(
        self, method: str, seconds: float, count: int = 1, *, chat_id: int | None = None
    ) -> None:
        """The next `count` calls (into `chat_id`, if given) take effect at once and are
        answered `seconds` later: Telegram took them, the answer is slow to come back."""
        self._delays.append(_Fault(method.lower(), count, chat_id=chat_id, delay=seconds))

    def _take_fault(self, faults: list[_Fault], method: str, params: JSON) -> _Fault | None:
        for fault in faults:
            if fault.method == method.lower() and fault.chat_id in (None, params.get("chat_id")):
                fault.count -= 1
                if fault.count <= 0:
                    faults.remove(fault)
                return fault
        return None

    def _check_rate(self, chat: JSON) -> None:
        if not self.enforce_limits:
            return
        now = time.monotonic()
        per_chat = (20, 60.0) if chat["type"] != "private" else (1, 1.0)
        windows = [(self._sends_all, 30, 1.0), (self._sends_chat[chat["id"]], *per_chat)]
        for times, limit, span in windows:
            while times and times[0] <= now - span:
                times.popleft()
            if len(times) >= limit:
                wait = max(1, math.ceil(times[0] + span - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        for times, *_ in windows:
            times.append(now)

    # -- waiting ----------------------------------------------------------------------------
    def messages_in(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def describe_sent(self) -> str:
        lines = [
            f"  {m.method} chat={m.chat_id} id={m.message_id} reply_to={m.reply_to_message_id}"
            f" thread={m.thread_id}: {(m.text or '')[:120]!r}"
            for m in self.sent
        ]
        return "\n".join(lines) or "  (nothing)"

    async def wait_for(
        self, predicate: Callable[[SentMessage], bool], timeout: float = 5.0
    ) -> SentMessage:
        deadline, seen = time.monotonic() + timeout, 0
        while True:
            for message in self.sent[seen:]:
                seen += 1
                with contextlib.suppress(Exception):  # a predicate tripping on None ≠ match
                    if predicate(message):
                        return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no sent message matched within {timeout}s; sent:\n{self.describe_sent()}"
                )
            await self._wait_change(remaining)

    def idle(self) -> bool:
        """No Bot API call in flight and every update handed out."""
        return not self._inflight and not self.undelivered()

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = self._inflight or self.undelivered()
            if not busy and now - self._last_activity >= quiet:
                return
            if now >= deadline:
                raise AssertionError(
                    f"not idle after {timeout}s: {self._inflight} calls in flight, "
                    f"{self.undelivered()} updates undelivered"
                )
            await asyncio.sleep(min(0.02, quiet))

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
            log.warning("bad parameters %r", _public(params), exc_info=True)
            raise ApiError(400, f"Bad Request: invalid parameters ({err!r})") from err

    @staticmethod
    def _fault_error(fault: _Fault) -> ApiError:
        if fault.status == 429:
            retry = fault.retry_after
            text = f"Too Many Requests: retry after {retry}" if retry else "Too Many Requests"
            return ApiError(429, text, retry_after=retry)
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        return ApiError(fault.status, phrase)

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

    # -- methods: updates & webhook ---------------------------------------------------------
    async def _m_ok(self, params: JSON) -> bool:
        return True

    async def _m_getMe(self, params: JSON) -> JSON:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook["url"]:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older long poll still waiting now ends with a Conflict
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"] or None
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, _CONFLICT)
            batch = self.take_updates(offset, max(1, min(limit, 100)))
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                return batch
            await self._wait_change(remaining)

    async def _m_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = {"url": "", "secret_token": None}
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setWebhook(self, params: JSON) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token"),
                        "max_connections": params.get("max_connections")}  # fmt: skip
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"] or None
        if self.webhook["url"] and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.create_task(self._push_webhook())
        return True

    async def _m_getWebhookInfo(self, params: JSON) -> JSON:
        info = {"url": self.webhook["url"], "has_custom_certificate": False}
        return info | {"pending_update_count": len(self._pending)}

    async def _push_webhook(self) -> None:
        """Deliver pending updates to the webhook (handlers.emulator.webhook)."""
        await webhook.push(self, lambda: self.webhook, lambda: self._closing)

    # -- methods: sending -------------------------------------------------------------------
    def _target_chat(self, chat_id: Any) -> JSON:
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.migrated:
            raise ApiError(
                400, "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[chat_id],
            )  # fmt: skip
        if chat["type"] == "private":
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        else:
            status = self.member_status.get((chat_id, self.bot_id), "left")
            if status in GONE:
                why = "was kicked from" if status == "kicked" else "is not a member of"
                raise ApiError(403, f"Forbidden: bot {why} the supergroup chat")
        return chat

    def _rich_text(self, params: JSON, key: str, entities_key: str, limit: int) -> JSON:
        """text/caption after parse_mode, with entities, checked as Telegram checks them."""
        raw = params.get(key)
        if raw is None or raw == "":
            if key == "text":
                raise ApiError(400, "Bad Request: message text is empty")
            return {}
        text, entities = str(raw), params.get(entities_key) or []
        if str(params.get("parse_mode") or "").upper() == "HTML":
            text, entities = parse_html(text)
        if not text.strip():
            raise ApiError(
                400, f"Bad Request: {'message text' if key == 'text' else key} is empty"
            )
        if utf16_len(text) > limit:
            what = "message" if key == "text" else "message caption"
            raise ApiError(400, f"Bad Request: {what} is too long")
        entities = sorted(
            [*entities, *detect_entities(text)], key=lambda e: (e["offset"], -e["length"])
        )
        return {key: text} | ({entities_key: entities} if entities else {})

    def _reply_target(self, chat_id: int, params: JSON) -> int | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
        if not isinstance(reply, dict) or reply.get("message_id") is None:
            return None
        if (chat_id, int(reply["message_id"])) in self.messages:
            return int(reply["message_id"])
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")

    async def _send(self, method: str, params: JSON, content: JSON, **record: Any) -> JSON:
        chat = self._target_chat(params.get("chat_id"))
        reply_to = self._reply_target(chat["id"], params)
        self._check_rate(chat)
        thread_id = params.get("message_thread_id")
        msg = self.new_message(
            chat["id"], self.bot_user, thread_id=thread_id, reply_to=reply_to, **content
        )
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        payload = _public(params) | record
        text = msg.get("text") or msg.get("caption") or (msg.get("poll") or {}).get("question")
        sent = SentMessage(
            method=method,
            chat_id=chat["id"],
            message_id=msg["message_id"],
            text=text,
            reply_to_message_id=reply_to,
            thread_id=msg.get("message_thread_id"),
            reply_markup=markup,
            parse_mode=params.get("parse_mode"),
            entities=msg.get("entities") or msg.get("caption_entities"),
            payload=payload,
        )
        self.sent.append(sent)
        marker = self._replied_marker(msg)
        bot_name = display_name(self.bot_user)
        asks = " [回复框]" if isinstance(markup, dict) and markup.get("force_reply") else ""
        self.note(f"[{self.chat_label(chat['id'])}] 🤖 {bot_name}{marker}: {describe(msg)}{asks}")
        return msg

    def _file_param(self, params: JSON, key: str, folder: str, ext: str) -> tuple[JSON, JSON]:
        """The file sent as `key`: an upload, a known file_id or a URL → (file JSON, record)."""
        upload = params["_uploads"].get(key)
        value = params.get(key)
        if upload is not None:
            content, name = upload["content"], upload["filename"]
        elif isinstance(value, str) and value in self.files:
            info = self.files[value]
            file = {"file_id": value, "file_unique_id": info["file_unique_id"]}
            return file | {"file_size": len(info["content"])}, {}
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            content, name = TINY_PNG, value.rsplit("/", 1)[-1]  # no internet: a stand-in
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        file = self._add_file(content, folder, ext)
        record = {key: {"filename": name, "size": len(content), "file_id": file["file_id"]}}
        return file | {"file_name": name}, record

    async def _m_sendMessage(self, params: JSON) -> JSON:
        content = self._rich_text(params, "text", "entities", 4096)
        return await self._send("sendMessage", params, content)

    async def _m_sendPhoto(self, params: JSON) -> JSON:
        caption = self._rich_text(params, "caption", "caption_entities", 1024)
        file, record = self._file_param(params, "photo", "photos", "jpg")
        info = self.files[file["file_id"]]
        photo = self.make_photo(info["content"]) if record else [file | {"width": 1, "height": 1}]
        return await self._send("sendPhoto", params, {"photo": photo, **caption}, **record)

    async def _m_sendDocument(self, params: JSON) -> JSON:
        caption = self._rich_text(params, "caption", "caption_entities", 1024)
        file, record = self._file_param(params, "document", "documents", "bin")
        document = file | {"mime_type": "application/octet-stream"}
        return await self._send(
            "sendDocument", params, {"document": document, **caption}, **record
        )

    async def _m_sendLocation(self, params: JSON) -> JSON:
        location = {"latitude": params.get("latitude"), "longitude": params.get("longitude")}
        if None in location.values():
            raise ApiError(400, "Bad Request: latitude and longitude are required")
        return await self._send("sendLocation", params, {"location": location})

    async def _m_sendPoll(self, params: JSON) -> JSON:
        options = [o if isinstance(o, str) else o.get("text", "") for o in params["options"]]
        if not 2 <= len(options) <= 12:
            raise ApiError(400, "Bad Request: poll must have 2-12 options")
        poll = {
            "id": f"5{len(self.polls) + 1:018d}", "question": str(params.get("question", "")),
            "options": [{"text": o, "voter_count": 0, "persistent_id": str(i)}
                        for i, o in enumerate(options)],
            "total_voter_count": 0, "is_closed": False, "members_only": False,
            "allows_revoting": params.get("type") != "quiz",
            "is_anonymous": params.get("is_anonymous", True),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": params.get("allows_multiple_answers", False),
        }  # fmt: skip
        msg = await self._send("sendPoll", params, {"poll": poll})
        self.polls.append({"chat_id": msg["chat"]["id"], "message_id": msg["message_id"]})
        self.polls[-1]["poll"] = poll
        return msg

    async def _m_stopPoll(self, params: JSON) -> JSON:
        msg = self._find_message(params, "message with poll to stop not found")
        if "poll" not in msg:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        msg["poll"]["is_closed"] = True
        return dict(msg["poll"])

    async def _m_sendChatAction(self, params: JSON) -> bool:
        self._target_chat(params.get("chat_id"))
        return True

    # -- methods: changing messages ---------------------------------------------------------
    def _find_message(self, params: JSON, missing: str) -> JSON:
        msg = self.messages.get((params.get("chat_id", 0), params.get("message_id", 0)))
        if msg is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return msg

    def _find_chat(self, params: JSON) -> JSON:
        chat = self.chats.get(params.get("chat_id", 0))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _own_message(self, params: JSON, missing: str) -> JSON:
        msg = self._find_message(params, missing)
        if msg["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _apply_edit(self, method: str, msg: JSON, params: JSON, content: JSON) -> JSON:
        markup = params.get("reply_markup")  # an edit without a markup removes the buttons
        markup = markup if isinstance(markup, dict) and markup.get("inline_keyboard") else None
        current = {k: msg.get(k) for k in content} | {"reply_markup": msg.get("reply_markup")}
        if current == content | {"reply_markup": markup}:
            raise ApiError(400, _NOT_MODIFIED)
        for key, value in (content | {"reply_markup": markup}).items():
            if value is None:
                msg.pop(key, None)
            else:
                msg[key] = value
        msg["edit_date"] = int(self.clock())
        self.edits.append(
            {"method": method} | {k: v for k, v in params.items() if k != "_uploads"}
        )
        label = self.chat_label(msg["chat"]["id"])
        bot_name = display_name(self.bot_user)
        self.note(f"[{label}] 🤖 {bot_name} ✏️ (#{msg['message_id']}): {describe(msg)}")
        return msg

    async def _m_editMessageText(self, params: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        msg = self._own_message(params, "message to edit not found")
        if "text" not in msg:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        content = {"entities": None} | self._rich_text(params, "text", "entities", 4096)
        return self._apply_edit("editMessageText", msg, params, content)

    async def _m_editMessageReplyMarkup(self, params: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        msg = self._own_message(params, "message to edit not found")
        return self._apply_edit("editMessageReplyMarkup", msg, params, {})

    async def _m_deleteMessage(self, params: JSON) -> bool:
        msg = self._find_message(params, "message to delete not found")
        chat_id, message_id = msg["chat"]["id"], msg["message_id"]
        bot_status = self.member_status.get((chat_id, self.bot_id), "member")
        if msg["from"]["id"] != self.bot_id and bot_status not in ("administrator", "creator"):
            raise ApiError(400, "Bad Request: message can't be deleted")
        del self.messages[(chat_id, message_id)]
        self.deleted.append((chat_id, message_id))
        self.note(f"[{self.chat_label(chat_id)}] 🗑 消息 #{message_id} 已删除")
        return True

    async def _m_answerCallbackQuery(self, params: JSON) -> bool:
        entry = self.callback_queries.get(str(params.get("callback_query_id")))
        if entry is None or entry["answered"]:
            raise ApiError(400, _OLD_QUERY)
        entry["answered"] = True
        self.callback_answers.append(_public(params))
        if params.get("text"):
            query = entry["query"]
            label = self.chat_label(query["message"]["chat"]["id"])
            self.note(f"[{label}] 🤖 → {display_name(query['from'])} (提示): {params['text']}")
        return True

    # -- methods: commands, chats, files ----------------------------------------------------
    @staticmethod
    def _commands_key(params: JSON) -> str:
        key = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return key + (f":{params['language_code']}" if params.get("language_code") else "")

    async def _m_setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be a list")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be 1-256 characters")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _m_getMyCommands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    async def _m_deleteMyCommands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _m_setChatMenuButton(self, params: JSON) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if button.get("type") == "web_app":
            url = str((button.get("web_app") or {}).get("url", ""))
            if not button.get("text") or not url.startswith("https://"):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        elif button.get("type") not in ("commands", "default"):
            raise ApiError(400, "Bad Request: menu button type is invalid")
        chat_id = params.get("chat_id")
        if chat_id is not None and chat_id not in self.users:
            raise ApiError(400, "Bad Request: chat not found")
        self.menu_buttons[chat_id] = button
        return True

    async def _m_getChatMenuButton(self, params: JSON) -> JSON:
        found = self.menu_buttons.get(params.get("chat_id"))
        return found or self.menu_buttons.get(None) or {"type": "commands"}

    async def _m_getChat(self, params: JSON) -> JSON:
        extra = {"accent_color_id": 0, "max_reaction_count": 11}
        gifts = dict.fromkeys(sorted(_GIFT_KINDS), False)
        return self._find_chat(params) | extra | {"accepted_gift_types": gifts}

    async def _m_getChatMember(self, params: JSON) -> JSON:
        chat, user_id = self._find_chat(params), params.get("user_id", 0)
        if user_id != self.bot_id and user_id not in self.users:
            raise ApiError(400, "Bad Request: user not found")
        return self.chat_member(chat["id"], user_id)

    async def _m_getChatAdministrators(self, params: JSON) -> list[JSON]:
        chat = self._find_chat(params)
        if chat["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        admins = []
        for (chat_id, user_id), status in self.member_status.items():
            if chat_id == chat["id"] and status in ("administrator", "creator"):
                user = self.bot_user if user_id == self.bot_id else self.users[user_id]
                admins.append(member_json(user, status))
        return admins

    async def _m_getFile(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        info = self.files[file_id]
        file = {"file_id": file_id, "file_size": len(info["content"])}
        return file | {k: info[k] for k in ("file_unique_id", "file_path")}

    def file_bytes(self, file_id: str) -> bytes:
        """The content behind a file_id (e.g. a chart the bot uploaded), for demo and tests."""
        return bytes(self.files[file_id]["content"])

    def buttons(self, chat_id: int, message_id: int) -> list[JSON]:
        """The inline buttons currently on a message (after any edits)."""
        return buttons_of(self.messages.get((chat_id, message_id), {}))
