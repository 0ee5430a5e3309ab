"""Sending, as the Bot API checks and records it: the chat a message may go to, the message it
replies to, Telegram's rate limits (when enforced), a file by upload, file_id or URL; then
sendMessage, sendPhoto, sendDocument, sendLocation, sendPoll and sendChatAction."""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from typing import Any

from handlers.emulator.api import JSON, ApiError, public
from handlers.emulator.entities import rich_text
from handlers.emulator.observed import Observed, SentMessage
from handlers.emulator.transcript import describe, display_name
from handlers.emulator.world import GONE, TINY_PNG


class Sending(Observed):
    """The send methods, and the limits on them Telegram enforces."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enforce_limits = False
        self._sends_all: deque[float] = deque()
        self._sends_chat: defaultdict[int, deque[float]] = defaultdict(deque)

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
        payload = public(params) | record
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
        content = rich_text(params, "text", "entities", 4096)
        return await self._send("sendMessage", params, content)

    async def _m_sendPhoto(self, params: JSON) -> JSON:
        caption = rich_text(params, "caption", "caption_entities", 1024)
        file, record = self._file_param(params, "photo", "photos", "jpg")
        info = self.files[file["file_id"]]
        photo = self.make_photo(info["content"]) if record else [file | {"width": 1, "height": 1}]
        return await self._send("sendPhoto", params, {"photo": photo, **caption}, **record)

    async def _m_sendDocument(self, params: JSON) -> JSON:
        caption = rich_text(params, "caption", "caption_entities", 1024)
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

    async def _m_sendChatAction(self, params: JSON) -> bool:
        self._target_chat(params.get("chat_id"))
        return True
