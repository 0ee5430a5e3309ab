"""A grid group in a box: residents and members talk to the real bot through the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.clock import Clock, utc_now
from handlers.app import MENUS_KEY
from handlers.emulator.local import LocalBot, local_bot
from handlers.emulator.server import BotApiEmulator, SentMessage
from storage.records import Issue
from storage.store import Store

# How long a test waits for the bot's answer. A passing test never waits it out; on a
# loaded two-core machine (four test workers, each bot building its classifier) the first
# answer of a test took over 5 s.
WAIT = 15.0


@dataclass(frozen=True)
class Person:
    id: int
    name: str


ZHANG = Person(1001, "张阿姨")
LIU = Person(1002, "刘师傅")
ZHOU = Person(1003, "小周")
LI = Person(2001, "李明")  # member of A01: 市政, 物业
WANG = Person(2002, "王芳")  # member of A01 and A02: 医疗, 社保
CHEN = Person(2003, "陈刚")  # member of B01: 农业
ZHAO = Person(2100, "赵敏")  # coordinator of all grids
PEOPLE = (ZHANG, LIU, ZHOU, LI, WANG, CHEN, ZHAO)

FOREVER = datetime(9999, 1, 1, tzinfo=UTC)  # every update stored, whenever it came

A01 = -1001000000001  # bound by the roster
A02 = -1001000000002  # in the roster, not bound yet
STRAY = -1009999999999  # a group no roster knows


class World:
    """One-line actions and expectations, errbot style."""

    def __init__(self, local: LocalBot) -> None:
        self.local = local
        self.emu = local.emulator
        self.services = local.services
        self.store = local.services.store

    def say(self, who: Person, text: str | None, chat: int = A01, **extra: Any) -> dict[str, Any]:
        return self.emu.post_message(chat, who.id, text, **extra)

    async def reply_to(self, message: dict[str, Any], timeout: float = WAIT) -> SentMessage:
        chat, number = message["chat"]["id"], message["message_id"]
        return await self.emu.wait_for(
            lambda s: s.chat_id == chat and s.reply_to_message_id == number, timeout
        )

    async def private(self, who: Person, contains: str, timeout: float = WAIT) -> SentMessage:
        return await self.emu.wait_for(
            lambda s: s.chat_id == who.id and contains in (s.text or ""), timeout
        )

    async def in_group(self, chat: int, contains: str, timeout: float = WAIT) -> SentMessage:
        return await self.emu.wait_for(
            lambda s: s.chat_id == chat and contains in (s.text or ""), timeout
        )

    async def settle(self, timeout: float = 20.0) -> None:
        """Until the bot has taken in and handled every update and sent what it owes now.
        Each is a positive signal, not a quiet spell: no Bot API call in flight, every update
        confirmed (so stored) and handled (some, a comment or a vote, without a word sent),
        and no owed message due or being sent (one deferred to the morning is not owed now)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await self.emu.wait_idle(quiet=0.02, timeout=timeout)
            if (
                self._menus_published()
                and not self.emu.unconfirmed()
                and not await self.store.updates.unhandled(FOREVER)
                and not await owed_now(self)
                and self.emu.idle()
            ):
                return
            assert loop.time() < deadline, "the bot never finished its updates"
            await asyncio.sleep(0.02)

    def _menus_published(self) -> bool:
        """The start-up's setMyCommands calls are done (they run beside the first polls)."""
        menus = self.local.app.bot_data.get(MENUS_KEY)
        return menus is None or menus.done()

    async def issue(self, number: int) -> Issue:
        found = await self.store.issues.get(number)
        assert found is not None, f"no issue #{number}"
        return found


async def owed_now(world: World) -> bool:
    """Owed messages due now, or claimed by a sender (its lease moves not_before ahead)."""
    if await world.store.outbox.due(world.services.clock(), limit=1):
        return True
    return (await world.store.outbox.states_after(0)).get("sending", 0) > 0


async def nothing_owed(store: Store, timeout: float = 30.0) -> None:
    """Until every stored update is handled and every owed message sent (or given up): then
    nothing more can arrive, which a fixed sleep could only hope."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        states = await store.outbox.states_after(0)
        busy = states.get("pending", 0) + states.get("sending", 0)
        if not busy and not await store.updates.unhandled(FOREVER):
            return
        assert loop.time() < deadline, f"still owed after {timeout} s: {states}"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def grid_world(
    database_url: str,
    clock: Clock = utc_now,
    started: tuple[Person, ...] = (LI, WANG, CHEN, ZHAO),
    env: dict[str, str] | None = None,
    limits: bool = False,
) -> AsyncIterator[World]:
    """The demo roster, the A01/A02 groups, and members who have started the bot.

    With `limits` the emulator answers 429 beyond Telegram's limits and the bot keeps to
    them; without, neither does, and tests need not wait a second between private notices."""
    env = {"GRIDBOT_SEND_LIMITS": "telegram" if limits else "off", **(env or {})}
    # Messages are dated by the test's clock, as Telegram dates them by its own.
    async with BotApiEmulator(clock=lambda: clock().timestamp()) as emu:
        emu.enforce_limits = limits
        for person in PEOPLE:
            emu.add_user(person.id, person.name)
        emu.add_group(A01, "幸福里第一网格群")
        emu.add_group(A02, "幸福里第二网格群")
        emu.add_group(STRAY, "闲聊群")
        for person in started:
            emu.start_private(person.id)
        async with local_bot(database_url, emu, clock=clock, env=env) as local:
            yield World(local)
