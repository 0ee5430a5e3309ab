"""Staying under Telegram's sending limits by design, so that a 429 stays the exception.

The overall window and one per chat (handlers.plumbing.windows) hand out sends: senders wait
their turn in priority order (urgent first); a chat that must wait for its own window never
holds back the others.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from handlers.plumbing.pacing import PACED_AFTER, Pace
from handlers.plumbing.windows import (
    GROUP,
    MARGIN,
    OVERALL,
    OVERALL_MARGIN,
    PRIVATE,
    Window,
    shared,
)

Clock = Callable[[], float]

DIRECT = 2  # answers to commands: after urgent notices, before acknowledgements
# Sends less urgent than PACED_AFTER (a wave's digests, reminders, spot checks) are paced
# (handlers.plumbing.pacing): at most a sixth of a second's sends at once. The outbox sender
# says which of its own are (pacing.paced): not what a report owes a member.
PACE_BURST = 6


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    chat_id: int = field(compare=False)
    granted: asyncio.Future[float] = field(compare=False)
    paced: bool = field(compare=False)


class SendLimits:
    """The overall window and one per chat; hands out sends in priority order."""

    def __init__(
        self, clock: Clock = time.monotonic, margin: float = MARGIN, share: int = 1,
        chat_share: int | None = None,
    ) -> None:  # fmt: skip
        """`share`: how many processes send for this bot (each keeps that part of the
        overall limit); `chat_share`: how many of them may send into one chat (1 when
        each has chats of its own)."""
        self.clock, self.margin, self.share = clock, margin, share
        self.chat_share = share if chat_share is None else chat_share
        overall = shared(OVERALL, share)
        self._overall = Window(overall, min(margin, OVERALL_MARGIN), credit=True)
        self._pace = Pace(overall.count / overall.seconds, max(1, overall.count // PACE_BURST))
        self._chats: dict[int, Window] = {}
        self._waiting: list[_Waiter] = []
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    def _window(self, chat_id: int) -> Window:
        if chat_id not in self._chats:
            if len(self._chats) > 10_000:  # forget chats quiet for a while
                now = self.clock()
                self._chats = {c: w for c, w in self._chats.items() if not w.idle(now)}
            limit = shared(PRIVATE if chat_id > 0 else GROUP, self.chat_share)
            self._chats[chat_id] = Window(limit, self.margin)
        return self._chats[chat_id]

    def delay(self, chat_id: int) -> float:
        now = self.clock()
        return max(self._overall.delay(now), self._window(chat_id).delay(now))

    def chat_delay(self, chat_id: int) -> float:
        """What the chat's own window (or a pause) makes it wait, whatever the others do."""
        return self._window(chat_id).delay(self.clock())

    def free(self, chat_id: int) -> int:
        now = self.clock()
        return min(self._overall.free(now), self._window(chat_id).free(now))

    def free_overall(self) -> int:
        return self._overall.free(self.clock())

    def ahead(self) -> int:
        """How many sends are worth claiming ahead: what one window lets out overall."""
        return self._overall.count

    def waiting_chats(self, longer_than: float) -> dict[int, float]:
        """Chats whose own window keeps them waiting longer than that, with the wait."""
        now = self.clock()
        waits = {chat: window.delay(now) for chat, window in self._chats.items()}
        return {chat: wait for chat, wait in waits.items() if wait > longer_than}

    def pause(self, chat_id: int, seconds: float) -> None:
        """Nothing more to this chat for a while: Telegram said 429, or a send is retried."""
        self._window(chat_id).pause(self.clock() + seconds)

    async def acquire(
        self, chat_id: int, priority: int = DIRECT, paced: bool | None = None
    ) -> float:
        """Wait for a send to this chat; the most urgent waiter whose chat may send goes first.
        Returns the moment it was granted, to be handed to `sent` when the call is over.
        `paced`: whether the send is paced (by default, when less urgent than PACED_AFTER)."""
        loop = asyncio.get_running_loop()
        waiter = _Waiter(
            priority, next(self._seq), chat_id, loop.create_future(), _paced(priority, paced)
        )
        bisect.insort(self._waiting, waiter)
        self._grant()
        try:
            return await waiter.granted
        except asyncio.CancelledError:
            if waiter.granted.done() and not waiter.granted.cancelled():
                # Granted as the caller gave up (a more urgent row took its turn).
                self.unused(chat_id, waiter.granted.result())
            raise
        finally:
            if not waiter.granted.done():
                waiter.granted.cancel()  # left the queue: _grant drops it

    def grant_now(
        self, chat_id: int, priority: int = DIRECT, paced: bool | None = None
    ) -> float | None:
        """A send granted at once when nobody waits and the windows have room, else None
        (then `acquire`): the common case, without a waiter and its future."""
        now, paced = self.clock(), _paced(priority, paced)
        if self._waiting or self._overall_delay(now, paced) or self._window(chat_id).delay(now):
            return None
        self._open(now, chat_id, paced)
        return now

    def unused(self, chat_id: int, granted: float) -> None:
        """The send granted at `granted` was never made: its places are free again."""
        self._overall.drop(granted)
        self._window(chat_id).drop(granted)
        if self._waiting:
            self._grant()

    def sent(self, chat_id: int, granted: float) -> None:
        """The send granted at `granted` is over: it counts from now, not from its grant.
        Sends granted together leave one after another (the CPU, the connections in
        flight), and Telegram counts them as they arrive: counted from their grants, the
        next second's sends could reach it while some of this second's were still arriving."""
        now = self.clock()
        self._overall.close(granted, now)
        self._window(chat_id).close(granted, now)
        if self._waiting:
            self._grant()  # a place it held may be free now

    def _overall_delay(self, now: float, paced: bool) -> float:
        """The overall wait for a send: a paced one waits for the pace too."""
        wait = self._overall.delay(now)
        return max(wait, self._pace.delay(now)) if paced else wait

    def _open(self, now: float, chat_id: int, paced: bool) -> None:
        self._overall.open(now)
        self._window(chat_id).open(now)
        if paced:
            self._pace.take(now)

    def _grant(self) -> None:
        if self._timer is not None:
            self._timer.cancel()  # one timer at a time: the earliest wake is set below
            self._timer = None
        now, still = self.clock(), []
        for waiter in self._waiting:
            if waiter.granted.done():
                continue
            if (
                self._overall_delay(now, waiter.paced) == 0
                and self._window(waiter.chat_id).delay(now) == 0
            ):
                self._open(now, waiter.chat_id, waiter.paced)
                waiter.granted.set_result(now)
            else:
                still.append(waiter)
        self._waiting = still
        if still:
            wake = min(
                max(self._overall_delay(now, w.paced), self._window(w.chat_id).delay(now))
                for w in still
            )
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(max(wake, 0.001), self._grant)


def _paced(priority: int, paced: bool | None) -> bool:
    return priority > PACED_AFTER if paced is None else paced


class NoLimits(SendLimits):
    """GRIDBOT_SEND_LIMITS=off: for a local emulator that does not enforce any."""

    def delay(self, chat_id: int) -> float:
        return 0.0

    def chat_delay(self, chat_id: int) -> float:
        return 0.0

    def free(self, chat_id: int) -> int:
        return 10**9  # never short: nothing is bundled either

    def free_overall(self) -> int:
        return 10**9

    def ahead(self) -> int:
        return 10**9

    def waiting_chats(self, longer_than: float) -> dict[int, float]:
        return {}

    async def acquire(
        self, chat_id: int, priority: int = DIRECT, paced: bool | None = None
    ) -> float:
        return 0.0

    def grant_now(
        self, chat_id: int, priority: int = DIRECT, paced: bool | None = None
    ) -> float | None:
        return 0.0

    def unused(self, chat_id: int, granted: float) -> None:
        return None

    def sent(self, chat_id: int, granted: float) -> None:
        return None


def send_limits(enabled: bool, senders: int = 1, own_chats: bool = False) -> SendLimits:
    """`own_chats`: this process alone sends to its chats (GRIDBOT_SENDER_INDEX)."""
    if not enabled:
        return NoLimits()
    return SendLimits(share=senders, chat_share=1 if own_chats else senders)
