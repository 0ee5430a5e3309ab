"""The reporter answering a member's question (/ask) in the group: the answer goes to the
member and the clock runs again; intake never sees it as a new report."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.issues.asking import take_answer
from bot.support.supporters import Reply
from handlers.context import GridContext
from handlers.people import display_name
from handlers.plumbing.telemetry import outcome


async def receive_answer(update: Update, context: GridContext) -> None:
    """A reply by the reporter to their report or to the question, while asked something."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or message.from_user is None:
        return
    text = message.text or message.caption or ""
    if message.from_user.is_bot or not text.strip():
        return
    reply = Reply(
        chat_id=message.chat_id, message_id=message.message_id, reply_to=replied.message_id,
        user_id=message.from_user.id, user_name=display_name(message.from_user), text=text,
    )  # fmt: skip
    issue = await take_answer(context.services, reply)
    if issue is None:
        return  # not an answer awaited: supporters and intake decide on it
    outcome(f"answer#{issue.id}")
    raise ApplicationHandlerStop
