"""/stats and /digest: figures and digests on demand, for members and coordinators."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.reports import on_demand
from handlers.context import GridContext
from handlers.replies import answer


async def show_stats(update: Update, context: GridContext) -> None:
    """/stats: 响应率, 解决率 and 满意率 of the last 30 days, for this grid or all one's grids."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    private = message.chat.type == ChatType.PRIVATE
    text = await on_demand.stats(context.services, message.from_user.id, message.chat_id, private)
    await answer(message, text)


async def send_digest(update: Update, context: GridContext) -> None:
    """/digest: the group's weekly digest now, or in private one's figures for the week."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    private = message.chat.type == ChatType.PRIVATE
    refusal = await on_demand.digest_now(
        context.services, message.from_user.id, message.chat_id, private, message.message_id
    )
    if refusal is not None:
        await answer(message, refusal)
