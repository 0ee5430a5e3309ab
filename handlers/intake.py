"""Group messages in: problem reports, /report, #诉求 and mentions of the bot."""

from __future__ import annotations

import logging

from telegram import Message, MessageEntity, Update
from telegram.error import TelegramError

from bot.classify.textnorm import clean, visible
from bot.intake.amend import attach, revise
from bot.intake.registration import take_in
from bot.language import of_chat
from bot.messages import Incoming
from handlers.context import GridContext
from handlers.people import (
    chat_of,
    command_args,
    display_name,
    entities_of,
    text_of,
    thread_of,
)
from handlers.plumbing.telemetry import outcome
from handlers.replies import alert, answer

logger = logging.getLogger(__name__)

EXPLICIT_TAG = "#诉求"


def _explicit_text(message: Message, bot_username: str) -> tuple[str, bool]:
    """The message text without the explicit markers, and whether any was there."""
    text = text_of(message)
    explicit = False
    mention = f"@{bot_username}".lower()
    for entity, value in entities_of(message):
        is_mention = entity.type == MessageEntity.MENTION and value.lower() == mention
        if is_mention or (entity.type == MessageEntity.HASHTAG and value == EXPLICIT_TAG):
            explicit = True
            text = text.replace(value, " ")
    if EXPLICIT_TAG in text:
        explicit, text = True, text.replace(EXPLICIT_TAG, " ")
    return " ".join(text.split()), explicit


def incoming_of(message: Message, text: str, explicit: bool) -> Incoming:
    photo = message.photo[-1].file_id if message.photo else None
    return Incoming(
        chat_id=message.chat_id,
        chat_title=clean(message.chat.title or ""),
        message_id=message.message_id,
        thread_id=thread_of(message),
        user_id=message.from_user.id if message.from_user else 0,
        user_name=display_name(message.from_user),
        text=text,
        explicit=explicit,
        sent_at=message.date,
        photo_file_id=photo,
    )


async def receive_message(update: Update, context: GridContext) -> None:
    """A resident's group message: register it if it reports a problem."""
    message = update.effective_message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return
    if message.location or (message.photo and not message.caption):
        await _attach(message, context)
        return
    text, explicit = _explicit_text(message, context.bot.username)
    result = await take_in(context.services, incoming_of(message, text, explicit))
    outcome(f"{result.outcome}#{result.issue.id}" if result.issue else result.outcome)


async def _attach(message: Message, context: GridContext) -> None:
    """A bare photo or a location belongs to the report it follows or answers."""
    assert message.from_user is not None
    location = message.location
    issue = await attach(
        context.services,
        message.chat_id,
        message.from_user.id,
        reply_to=message.reply_to_message.message_id if message.reply_to_message else None,
        photo_file_id=message.photo[-1].file_id if message.photo else None,
        location=(location.latitude, location.longitude) if location else None,
    )
    outcome(f"attached#{issue.id}" if issue else "attachment-orphan")


async def update_report(update: Update, context: GridContext) -> None:
    """An edited group message: the issue follows the edit until a member acts."""
    message = update.edited_message
    if message is None or message.from_user is None:
        return
    text, _ = _explicit_text(message, context.bot.username)
    issue = await revise(
        context.services, message.chat_id, message.message_id, message.from_user.id, text
    )
    outcome(f"edited#{issue.id}" if issue else "edit-ignored")


async def report_issue(update: Update, context: GridContext) -> None:
    """/report TEXT always registers an issue."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    text = command_args(message)
    if not visible(text):
        language = await of_chat(context.services, message.chat_id, message.from_user.id)
        await answer(message, context.services.texts.get(language, "report_usage"))
        return
    result = await take_in(context.services, incoming_of(message, text, explicit=True))
    outcome(f"report-{result.outcome}#{result.issue.id}" if result.issue else result.outcome)


async def confirm_report(update: Update, context: GridContext) -> None:
    """Confirm mode: the resident's answer to "register this as an issue?"."""
    query = update.callback_query
    if query is None:
        return
    texts = context.services.texts
    language = await of_chat(context.services, chat_of(query), query.from_user.id)
    question = query.message if isinstance(query.message, Message) else None
    original = question.reply_to_message if question else None
    if question is None or original is None or original.from_user is None:
        await alert(query, texts.get(language, "stale_button"), show_alert=True)
        return
    if not _offered(question, query.data):  # forged: no such button on that message
        await alert(query, texts.get(language, "stale_button"), show_alert=True)
        return
    if query.from_user.id != original.from_user.id:
        await alert(query, texts.get(language, "confirm_only_author"), show_alert=True)
        return
    if (query.data or "").startswith("decline:"):
        await alert(query, texts.get(language, "declined"))
    else:
        text, _ = _explicit_text(original, context.bot.username)
        result = await take_in(context.services, incoming_of(original, text, explicit=True))
        outcome(f"confirmed-{result.outcome}")
        await alert(query)
    # The question has been answered; leaving its buttons would invite a second press.
    try:
        await question.delete()
    except TelegramError as exc:  # gone already: a second press raced the first
        logger.info("confirm question %s not deleted: %s", question.message_id, exc)


def _offered(message: Message, data: str | None) -> bool:
    """Whether the message carries a button with this data."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    return any(button.callback_data == data for row in rows for button in row)
