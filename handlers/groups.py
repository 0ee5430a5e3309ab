"""The bot joining groups, and coordinators binding a group to its grid."""

from __future__ import annotations

from telegram import ChatMember, Update

from bot.classify.textnorm import clean
from bot.grids.binding import bind, greet, move
from bot.language import of_person
from handlers.context import GridContext
from handlers.people import command_args
from handlers.replies import answer

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR}


async def greet_group(update: Update, context: GridContext) -> None:
    """The bot was added to a group: greet it once."""
    change = update.my_chat_member
    if change is None or change.chat.type == "private":
        return
    if change.new_chat_member.status in _PRESENT and change.old_chat_member.status not in _PRESENT:
        await greet(context.services, change.chat.id, clean(change.chat.title or ""))


async def bind_group(update: Update, context: GridContext) -> None:
    """/bind CODE: a coordinator binds this group to a grid."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    services = context.services
    if message.chat.type == "private":
        language = await of_person(services, message.from_user.id)
        await answer(message, services.texts.get(language, "bind_private"))
        return
    code = command_args(message).split(maxsplit=1)[0] if command_args(message) else ""
    await answer(message, await bind(services, message.from_user.id, message.chat_id, code))


async def move_group(update: Update, context: GridContext) -> None:
    """A group became a supergroup (a new chat id): its grid and owed posts move with it."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await move(context.services, message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await move(context.services, message.migrate_from_chat_id, message.chat_id)
