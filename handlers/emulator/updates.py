"""The updates Telegram holds for the bot: queued as residents act, handed out to getUpdates or
to the webhook, confirmed; and the event that wakes whoever waits for the world to change."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import time
from dataclasses import dataclass

from handlers.emulator.api import JSON
from handlers.emulator.webhook import chat_of

# Update kinds Telegram sends only when allowed_updates names them.
_OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}


@dataclass
class _Queued:
    update: JSON
    forced: bool = False  # a re-delivery: survives the offset that already confirmed it, once
    delivered: bool = False


class UpdateQueue:
    """Pending updates, in order, and the waking of waiters whenever something happens."""

    def __init__(self) -> None:
        self.allowed_updates: list[str] | None = None
        self._pending: list[_Queued] = []
        self._history: dict[int, JSON] = {}
        self._update_ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._last_activity = time.monotonic()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _notify(self) -> None:
        """Something happened in the world: wake waiters and count it as activity."""
        self._last_activity = time.monotonic()
        self._wake()

    async def _wait_change(self, timeout: float) -> None:
        # Callers check their condition and then call this without awaiting in between,
        # so a notify cannot slip between the check and the wait.
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0))

    def queue_update(self, kind: str, obj: JSON) -> JSON:
        update_id = next(self._update_ids)
        update: JSON = {"update_id": update_id, kind: copy.deepcopy(obj)}
        self._history[update_id] = update
        self._pending.append(_Queued(copy.deepcopy(update)))
        self._notify()
        return update

    def post_raw_update(self, update: JSON) -> int:
        update_id = next(self._update_ids)
        update = {**copy.deepcopy(update), "update_id": update_id}
        self._history[update_id] = update
        self._pending.append(_Queued(copy.deepcopy(update)))
        self._notify()
        return update_id

    @property
    def last_update_id(self) -> int:
        """The id of the newest update queued, for re-delivering it."""
        return max(self._history, default=0)

    def redeliver(self, update_id: int) -> None:
        if update_id not in self._history:
            raise ValueError(f"update {update_id} was never queued")
        if any(q.update["update_id"] == update_id and not q.delivered for q in self._pending):
            return
        self._pending.append(_Queued(copy.deepcopy(self._history[update_id]), forced=True))
        self._pending.sort(key=lambda q: q.update["update_id"])
        self._notify()

    def _allowed(self, update: JSON) -> bool:
        if not self.allowed_updates:
            return not (_OPT_IN_UPDATES & set(update))
        return bool(set(self.allowed_updates) & set(update))

    def take_updates(self, offset: int, limit: int) -> list[JSON]:
        """getUpdates: forget what `offset` confirms, hand out up to `limit` of the rest."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [
                q
                for q in self._pending
                if q.update["update_id"] >= offset or (q.forced and not q.delivered)
            ]
        self._pending = [q for q in self._pending if self._allowed(q.update)]
        batch = self._pending[:limit]
        for q in batch:
            q.delivered = True
        if batch:
            self._last_activity = time.monotonic()
        return [copy.deepcopy(q.update) for q in batch]

    def next_for_webhook(self, busy_chats: set[object]) -> _Queued | None:
        """The oldest update not handed out whose chat has none in flight (webhook); marked
        handed out. An update behind one in flight for its chat waits for it."""
        self._pending = [q for q in self._pending if self._allowed(q.update)]
        held = set(busy_chats)
        for queued in self._pending:
            chat = chat_of(queued.update)
            if not queued.delivered and chat not in held:
                queued.delivered = True
                self._last_activity = time.monotonic()
                return queued
            held.add(chat)  # in flight or refused for now: the chat's later ones wait
        return None

    def confirm(self, queued: _Queued) -> None:
        """The webhook answered 200 for this update: it is gone from the queue."""
        with contextlib.suppress(ValueError):
            self._pending.remove(queued)

    def undelivered(self) -> int:
        return sum(not q.delivered for q in self._pending)

    def unconfirmed(self) -> int:
        """Updates not yet confirmed by a later getUpdates offset: the bot confirms one only
        once it has stored it, so none left means every update is in the bot's hands."""
        return len(self._pending)
