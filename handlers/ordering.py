"""Updates of one chat are handled in order; different chats are handled side by side."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from handlers.telemetry import timed

logger = logging.getLogger(__name__)


class PerChatUpdateProcessor(SimpleUpdateProcessor):
    """A report and its edit, or /take then /progress, must not overtake each other."""

    __slots__ = ("_locks", "_waiting", "on_done")

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        # Told when every handler has run, so the update log can let the update go.
        self.on_done: Callable[[object], Awaitable[None]] | None = None

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Waiting for the chat happens before a concurrency slot is taken, so one busy
        # group cannot hold every slot while the others wait.
        key = _chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await super().process_update(update, timed(update, coroutine))
                await self._done(update)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

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
