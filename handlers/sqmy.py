"""/sqmy: 社情民意 drafts for coordinators, in private."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.language import of_chat
from bot.reports import sqmy_drafts
from handlers.context import GridContext
from handlers.people import actor, command_args
from handlers.plumbing.telemetry import outcome
from handlers.replies import answer

logger = logging.getLogger(__name__)


async def send_sqmy(update: Update, context: GridContext) -> None:
    """/sqmy [YYYY-MM-DD YYYY-MM-DD]: the draft as a Word document, coordinators only."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    services = context.services
    if message.chat.type != ChatType.PRIVATE:
        outcome("sqmy:not-private")
        language = await of_chat(services, message.chat_id, message.from_user.id)
        await answer(message, services.texts.get(language, "sqmy_refused"))
        return
    result = await sqmy_drafts.request(
        services, actor(message.from_user), command_args(message), message.message_id
    )
    outcome(f"sqmy:{'ok' if result.ok else 'refused'}")
    if result.text:
        await answer(message, result.text)
