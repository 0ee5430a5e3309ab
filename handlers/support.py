"""Seconding issues in the group: "+1" replies and 👍 reactions; and residents starting the
bot, so that issues they support can be followed privately."""

from __future__ import annotations

import logging

from telegram import ReactionTypeEmoji, Update
from telegram.ext import ApplicationHandlerStop

from bot.support import supporters as support
from bot.support.supporters import SUPPORT_REACTIONS, Reply, Seconded
from handlers.context import GridContext
from handlers.people import display_name
from handlers.plumbing.telemetry import outcome

logger = logging.getLogger(__name__)


async def second_reply(update: Update, context: GridContext) -> None:
    """A reply agreeing with an issue makes a supporter, and intake never sees it."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or message.from_user is None or not message.text:
        return
    if message.from_user.is_bot:
        return
    reply = Reply(
        chat_id=message.chat_id, message_id=message.message_id, reply_to=replied.message_id,
        user_id=message.from_user.id, user_name=display_name(message.from_user),
        text=message.text,
    )  # fmt: skip
    seconded = await support.second_reply(context.services, reply)
    if seconded is Seconded.NOT_SUPPORT:
        return  # a message of its own: intake (the next handler group) decides on it
    outcome(f"support-{seconded}")
    raise ApplicationHandlerStop


def _supporting(reactions: tuple[object, ...]) -> bool:
    return any(
        isinstance(r, ReactionTypeEmoji) and r.emoji in SUPPORT_REACTIONS for r in reactions
    )


async def second_reaction(update: Update, context: GridContext) -> None:
    """A 👍 on an issue's message or acknowledgement seconds it; taking it back withdraws."""
    # Telegram shows reactions to a bot only in groups where it is an administrator.
    change = update.message_reaction
    if change is None or change.user is None or change.user.is_bot:
        return  # anonymous admins react as the chat: no person to count
    before, after = _supporting(change.old_reaction), _supporting(change.new_reaction)
    if before == after:
        return
    seconded = await support.second_reaction(
        context.services, change.chat.id, change.message_id, change.user.id,
        display_name(change.user), given=after,
    )  # fmt: skip
    outcome(f"reaction-{seconded}")


async def note_started(update: Update, context: GridContext) -> None:
    """/start in private: this person can now be told privately of issues they support."""
    user = update.effective_user
    if user is not None:
        await support.started_privately(context.services, user.id)
