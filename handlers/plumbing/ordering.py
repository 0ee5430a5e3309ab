"""Updates of one chat are handled in order; different chats are handled side by side."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from handlers.plumbing.telemetry import timed

logger = logging.getLogger(__name__)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """A report and its edit, or /take then /progress, must not overtake each other."""

    __slots__ = ("_locks", "_slots", "_waiting", "before", "on_done")

    def __init__(self, max_concurrent_updates: int) -> None:
        # The base class's semaphore is taken before do_process_update; were it the bound,
        # one busy group could hold every slot while waiting for its own lock. So it is
        # made wide, and the real bound is taken only once the chat's turn has come.
        super().__init__(max_concurrent_updates=2**16)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        # Awaited before an update's handlers run (in its chat's turn): the classifier being
        # built after the first getUpdates (bot/classify/deferred.py).
        self.before: Callable[[], Awaitable[None]] | None = None
        # Told when every handler has run, so the update log can let the update go.
        self.on_done: Callable[[object], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await self._before(coroutine)
                async with self._slots:
                    await timed(update, coroutine)
                    await self._done(update)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat as updates arrive."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def _before(self, coroutine: Awaitable[Any]) -> None:
        if self.before is None:
            return
        try:
            await self.before()
        except BaseException:  # not run (nor marked): the update is replayed at the next start
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            raise

    async def _done(self, update: object) -> None:
        if self.on_done is None:
            return
        try:
            await self.on_done(update)
        except Exception:  # not marked: the sweep replays it, and intake is idempotent
            logger.exception("could not mark update as handled")


def _chat_key(update: object) -> int:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return 0
