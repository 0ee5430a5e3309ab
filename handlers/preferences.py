"""Coordinators' settings for a grid group: /lang and /mode."""

from __future__ import annotations

from telegram import Update

from bot.grids.preferences import set_language, set_mode
from handlers.context import GridContext
from handlers.people import command_args
from handlers.replies import answer


async def change_language(update: Update, context: GridContext) -> None:
    """/lang 简体|繁体: the script the bot writes in this grid."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    text = await set_language(
        context.services, message.from_user.id, message.chat_id, command_args(message)
    )
    await answer(message, text)


async def change_mode(update: Update, context: GridContext) -> None:
    """/mode auto|confirm|explicit: how the group's messages become issues."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    text = await set_mode(
        context.services, message.from_user.id, message.chat_id, command_args(message)
    )
    await answer(message, text)
