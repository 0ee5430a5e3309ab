"""Coordinators' settings for a grid group: /lang and /mode."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.grids.preferences import set_language, set_mode
from bot.services import Services
from handlers.context import GridContext
from handlers.people import command_args
from handlers.replies import answer

# (services, who asks, the chat, the command's argument) → the answer
Setting = Callable[[Services, int, int, str], Awaitable[str]]


async def change_language(update: Update, context: GridContext) -> None:
    """/lang 简体|繁体: the script the bot writes in this grid."""
    await _change(update, context, set_language)


async def change_mode(update: Update, context: GridContext) -> None:
    """/mode auto|confirm|explicit: how the group's messages become issues."""
    await _change(update, context, set_mode)


async def _change(update: Update, context: GridContext, setting: Setting) -> None:
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    text = await setting(
        context.services, message.from_user.id, message.chat_id, command_args(message)
    )
    await answer(message, text)
