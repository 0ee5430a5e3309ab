"""/consult (微协商): new, online, minutes, list; poll answers; comments on online ones; the
reminder, topic and closing jobs."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.consult import meetings
from bot.issues.parsing import parse_number
from bot.language import of_chat
from handlers.context import GridContext
from handlers.people import actor, command_args, display_name, text_of
from handlers.plumbing.telemetry import outcome
from handlers.replies import answer
from storage.meeting_records import MeetingKind

logger = logging.getLogger(__name__)

KINDS = {"new": MeetingKind.MEETING, "online": MeetingKind.ONLINE}  # /consult new, online


async def run_consult(update: Update, context: GridContext) -> None:
    """/consult new 标题 | 时间 | 地点 | #N…, /consult online 标题 | 选项…, minutes, list."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    services = context.services
    parts = command_args(message).split(maxsplit=2)
    verb = parts[0].lower() if parts else ""
    private = message.chat.type == ChatType.PRIVATE
    who = actor(message.from_user)
    if kind := KINDS.get(verb):
        rest = command_args(message)[len(parts[0]) :].strip()
        result = await meetings.start(
            services, who, message.chat_id, message.message_id, private, kind, rest
        )
        outcome(f"consult-{verb}:{'ok' if result.ok else 'refused'}")
        if result.text and result.posted_in != message.chat_id:
            await answer(message, result.text)
    elif verb == "minutes" and len(parts) == 3 and (number := parse_number(parts[1])):
        here = actor(message.from_user, message.chat)  # in a group: only its grid's meetings
        result = await meetings.record_minutes(services, here, number, parts[2])
        outcome(f"consult-minutes#{number}:{'ok' if result.ok else 'refused'}")
        await answer(message, result.text)
    elif verb == "list" and len(parts) == 1:
        text = await meetings.list_meetings(services, who.telegram_id, message.chat_id, private)
        await answer(message, text)
    else:
        language = await of_chat(services, message.chat_id, who.telegram_id)
        await answer(message, services.texts.get(language, "consult_usage"))


async def record_attendance(update: Update, context: GridContext) -> None:
    """An answer to a meeting's attendance poll (参加 / 不参加 / 待定) or an online
    consultation's poll, or its retraction."""
    poll_answer = update.poll_answer
    if poll_answer is None or poll_answer.user is None:
        return
    counted = await meetings.record_vote(
        context.services, poll_answer.poll_id, poll_answer.user.id,
        display_name(poll_answer.user), list(poll_answer.option_ids),
    )  # fmt: skip
    outcome("vote" if counted else "vote-unknown-poll")


async def take_comment(update: Update, context: GridContext) -> None:
    """A reply to an online consultation's announcement or poll is kept as a comment, and
    neither intake nor seconding sees it."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or message.from_user is None:
        return
    if message.from_user.is_bot or not (text := text_of(message)):
        return
    taken = await meetings.take_comment(
        context.services, message.chat_id, message.message_id, replied.message_id,
        actor(message.from_user), text,
    )  # fmt: skip
    if taken:
        outcome("online-comment")
        raise ApplicationHandlerStop
