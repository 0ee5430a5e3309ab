"""Binding group chats to grids and greeting new groups."""

from __future__ import annotations

import logging

from bot.grids.codes import normalise_code
from bot.language import of_person
from bot.services import Services
from bot.texts import DEFAULT
from storage.records import MessageKind, OutgoingMessage

logger = logging.getLogger(__name__)


async def bind(services: Services, telegram_id: int, chat_id: int, code: str) -> str:
    """Bind the chat to the grid with `code`; only a coordinator may. Returns the answer."""
    texts = services.texts
    code = normalise_code(code)
    lang = await of_person(services, telegram_id)
    if not code:
        return texts.get(lang, "bind_usage")
    member = await services.store.members.by_telegram_id(telegram_id)
    if member is None or not member.is_coordinator or not member.serves(code):
        return texts.get(lang, "bind_refused")
    grid = await services.store.grids.bind(code, chat_id)
    if grid is None:
        return texts.get(lang, "bind_unknown", code=code)
    return texts.get(grid.language, "bind_ok", code=grid.code, name=grid.name)


async def move(services: Services, old: int, new: int) -> None:
    """The group `old` is now the supergroup `new`: binding, owed posts and sightings move,
    and the outbox sender stops trying the old id."""
    if old == new:
        return
    # Idempotent: both migration updates, and a send refused with ChatMigrated, call it.
    moved = await services.store.chat_moves.move(old, new)
    services.moved_chats[old] = new
    logger.info("chat %s moved to %s; %s owed posts follow", old, new, moved)


async def greet(services: Services, chat_id: int, title: str) -> None:
    """The bot was added to a group: say what it does, once, and how to bind if needed."""
    now = services.clock()
    if not await services.store.chats.greet_once(chat_id, title, now):
        return
    grid = await services.store.grids.by_chat(chat_id)
    lang = grid.language if grid else DEFAULT  # no grid speaks for it yet
    text = services.texts.get(lang, "greeting")
    if grid is None:
        text += "\n" + services.texts.get(lang, "greeting_unbound")
        # The greeting already says how to bind; the first message need not say it again.
        await services.store.chats.hint_once(chat_id, title, now)
    await services.store.outbox.add(
        [OutgoingMessage(kind=MessageKind.GREETING, chat_id=chat_id, text=text, created_at=now)]
    )
