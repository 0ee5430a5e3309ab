"""Changing what was sent, as the Bot API allows it: editing the bot's own messages, deleting
a message, stopping a poll, answering a button press."""

from __future__ import annotations

from handlers.emulator.api import JSON, ApiError, public
from handlers.emulator.entities import rich_text
from handlers.emulator.observed import Observed
from handlers.emulator.transcript import describe, display_name

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_OLD_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class Editing(Observed):
    """The methods that change or remove a message already there."""

    def _find_message(self, params: JSON, missing: str) -> JSON:
        msg = self.messages.get((params.get("chat_id", 0), params.get("message_id", 0)))
        if msg is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return msg

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
        content = {"entities": None} | rich_text(params, "text", "entities", 4096)
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

    async def _m_stopPoll(self, params: JSON) -> JSON:
        msg = self._find_message(params, "message with poll to stop not found")
        if "poll" not in msg:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        msg["poll"]["is_closed"] = True
        return dict(msg["poll"])

    async def _m_answerCallbackQuery(self, params: JSON) -> bool:
        entry = self.callback_queries.get(str(params.get("callback_query_id")))
        if entry is None or entry["answered"]:
            raise ApiError(400, _OLD_QUERY)
        entry["answered"] = True
        self.callback_answers.append(public(params))
        if params.get("text"):
            query = entry["query"]
            label = self.chat_label(query["message"]["chat"]["id"])
            self.note(f"[{label}] 🤖 → {display_name(query['from'])} (提示): {params['text']}")
        return True
