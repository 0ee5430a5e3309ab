"""How one outbox row becomes a Bot API call: a text, a photo or document, a poll, an edit
of an acknowledgement or question, a poll stopped. The sender (handlers.plumbing.delivery)
decides when; this module only how."""

from __future__ import annotations

import json

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.services import Services
from storage.records import Buttons, MessageKind, OutgoingMessage


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


def keyboard_json(buttons: Buttons) -> str | None:
    """The inline keyboard as the Bot API's JSON, written directly. Building PTB's objects
    for every send, only for PTB to turn them back into this, cost more than the rest of a
    send's parameters together."""
    if not buttons:
        return None
    rows = [[{"text": label, "callback_data": data} for label, data in row] for row in buttons]
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False)


NO_PREVIEW = json.dumps({"is_disabled": True})


def _reply(message: OutgoingMessage) -> ReplyParameters | None:
    if message.reply_to_message_id is None:
        return None
    return ReplyParameters(message.reply_to_message_id, allow_sending_without_reply=True)


def _reply_json(message_id: int) -> str:
    return json.dumps({"message_id": message_id, "allow_sending_without_reply": True})


async def post(bot: Bot, services: Services, message: OutgoingMessage) -> int:
    """Make the Bot API call that delivers one outbox row; returns the id of the message it
    posted (or changed)."""
    if message.kind == MessageKind.STOP_POLL:
        return await _stop_poll(bot, message)
    if message.media_kind is not None:
        return await _send_media(bot, message, _reply(message))
    if message.poll is not None:
        return await _send_poll(bot, services, message, _reply(message))
    if message.kind == MessageKind.ACK_EDIT:
        return await _edit_acknowledgement(bot, services, message)
    if message.kind == MessageKind.CONFIRM_CLOSE:
        return await _close_question(bot, message)
    params: dict[str, object] = {
        "chat_id": message.chat_id, "text": message.text, "parse_mode": ParseMode.HTML,
        "link_preview_options": NO_PREVIEW,
    }  # fmt: skip
    if message.thread_id is not None:
        params["message_thread_id"] = message.thread_id
    if message.reply_to_message_id is not None:
        params["reply_parameters"] = _reply_json(message.reply_to_message_id)
    if markup := keyboard_json(message.buttons):
        params["reply_markup"] = markup
    # Only the new message's id is needed: the raw answer spares building a Message of
    # it (and of the message it replies to), a good part of each send's cost; the
    # parameters go as the Bot API's JSON for the same reason.
    sent = await bot.do_api_request("sendMessage", api_kwargs=params)
    return int(sent["message_id"])


async def _send_poll(
    bot: Bot, services: Services, message: OutgoingMessage, reply: ReplyParameters | None
) -> int:
    """A native poll; its answers name only the poll id, so that is kept with the row."""
    assert message.poll is not None and message.id is not None
    sent = await bot.send_poll(
        chat_id=message.chat_id, question=message.poll.question,
        options=list(message.poll.options), is_anonymous=message.poll.anonymous,
        message_thread_id=message.thread_id, reply_parameters=reply,
    )  # fmt: skip
    if sent.poll is not None:
        await services.store.sent_messages.record_poll(message.id, sent.poll.id)
    return sent.message_id


async def _stop_poll(bot: Bot, message: OutgoingMessage) -> int:
    """Close a poll (an online consultation's, at its end): no more answers count."""
    assert message.reply_to_message_id is not None
    await bot.stop_poll(chat_id=message.chat_id, message_id=message.reply_to_message_id)
    return message.reply_to_message_id


async def _edit_acknowledgement(bot: Bot, services: Services, message: OutgoingMessage) -> int:
    """The issue's acknowledgement, rewritten (its supporter count) instead of a new post."""
    assert message.issue_id is not None
    target = await services.store.sent_messages.sent_message_id(MessageKind.ACK, message.issue_id)
    if target is None:
        raise BadRequest("acknowledgement not sent: nothing to edit")
    if await services.store.sent_messages.bundled(message.chat_id, target):
        raise BadRequest("acknowledgement bundled with others: not rewritten for one")
    await bot.edit_message_text(
        text=message.text, chat_id=message.chat_id, message_id=target,
        parse_mode=ParseMode.HTML, disable_web_page_preview=True,
    )  # fmt: skip
    return target


async def _close_question(bot: Bot, message: OutgoingMessage) -> int:
    """An unanswered 登记为诉求 / 不用了 question, rewritten to say it lapsed; no buttons."""
    assert message.reply_to_message_id is not None
    await bot.edit_message_text(
        text=message.text, chat_id=message.chat_id, message_id=message.reply_to_message_id,
        parse_mode=ParseMode.HTML,
    )  # fmt: skip
    return message.reply_to_message_id


async def _send_media(bot: Bot, message: OutgoingMessage, reply: ReplyParameters | None) -> int:
    """A photo or document with the text as caption."""
    upload = InputFile(message.media or b"", filename=message.media_name or "file")
    common = dict(
        chat_id=message.chat_id,
        caption=message.text or None,
        parse_mode=ParseMode.HTML,
        message_thread_id=message.thread_id,
        reply_parameters=reply,
        reply_markup=keyboard(message.buttons),
    )
    if message.media_kind == "document":
        sent = await bot.send_document(document=upload, **common)  # type: ignore[arg-type]
    else:
        sent = await bot.send_photo(photo=upload, **common)  # type: ignore[arg-type]
    return sent.message_id
