"""Staying under Telegram's sending limits by design, so that a 429 stays the exception.

Telegram lets a bot send about 30 messages a second in all, 20 a minute into one group and
about one a second into one private chat. Each limit is kept here as a sliding window: a log
of the latest sends, so a send goes only when fewer than the limit left in the last span.
aiolimiter (what PTB's rate-limiter extra uses) is a leaky bucket, which lets up to twice
its rate through within one span and so still trips a limit counted over a sliding minute;
PTB's AIORateLimiter also stops every chat while one chat waits out a 429. Neither is used.

Senders wait their turn in priority order (urgent first); a chat that must wait for its own
window never holds back the others.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from handlers.plumbing.pacing import PACED_AFTER, Pace

logger = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: float


OVERALL = Limit(30, 1.0)
GROUP = Limit(20, 60.0)
PRIVATE = Limit(1, 1.0)
# Sends are counted as they leave and Telegram counts them as they arrive, a little later
# and not always in the same order; a slightly longer window keeps the two counts apart.
MARGIN = 0.15
# Each send is counted from when its answer came back (`SendLimits.sent`), which is after
# Telegram counted it, so the overall window, what a burst waits on, needs next to no
# margin: 0.15 s of it made a burst 15 % slower than the limit allows.
OVERALL_MARGIN = 0.01
# Counted from its answer, a send was counted a whole round trip after it left, and the next
# span's sends took a one-way trip more to arrive: with 50 ms a call, each second's 30 sends
# took 1.06 s. The overall window counts a send half the quickest recent round trip before
# its answer: the next send arrives a span after that plus its own way out, this one arrived
# its way back before its answer, and two one-way trips take about a round trip, never less
# than half the quickest. A slow call's own long trip (an upload) is never credited.
RTT_SAMPLES = 30
# No Bot API call takes longer (PTB's timeouts are seconds); a send still open after this
# was abandoned and no longer holds a place in its windows.
STALE = 60.0
DIRECT = 2  # answers to commands: after urgent notices, before acknowledgements
# Sends less urgent than PACED_AFTER (a wave's digests, reminders, spot checks) are paced
# (handlers.plumbing.pacing): at most a sixth of a second's sends at once. The outbox sender
# says which of its own are (pacing.paced): not what a report owes a member.
PACE_BURST = 6
# Longer than this and a direct answer is given up (logged as a 429 would be) rather than
# holding up the chat's later updates.
DIRECT_WAIT = 10.0
SEND_ENDPOINTS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendPoll", "sendLocation", "sendVenue",
        "sendContact", "sendMediaGroup", "sendVideo", "sendAnimation", "sendAudio",
        "sendVoice", "sendSticker", "sendDice", "copyMessage", "forwardMessage",
    }
)  # fmt: skip
_RESERVED: ContextVar[bool] = ContextVar("send_reserved", default=False)


def seconds_of(retry_after: int | float | timedelta) -> float:
    return (
        retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
    )


class Window:
    """At most `limit.count` sends within any `limit.seconds` (plus the margin).

    A send is counted from when its answer came back (`close`); until then it is in flight
    and holds its place in the window however long it takes. Counted from its grant
    instead, a send slower than the span (a photo upload on a loaded machine) dropped out
    of the window before Telegram had even counted it, and the next span's sends arrived
    beside it: the 429s of a digest wave."""

    def __init__(self, limit: Limit, margin: float = MARGIN, credit: bool = False) -> None:
        """`credit`: count a send half the quickest recent round trip before its answer."""
        self.count, self.span = limit.count, limit.seconds + margin
        self._sends: deque[float] = deque(maxlen=limit.count)  # answered, oldest first
        self._trips: deque[float] | None = deque(maxlen=RTT_SAMPLES) if credit else None
        self._flying: list[float] = []  # granted and not answered yet, by grant time
        self._paused_until = 0.0

    def delay(self, now: float) -> float:
        """Seconds until one more send is allowed (a span while every place is in flight:
        `close` makes room sooner)."""
        wait = self._paused_until - now
        room = self.count - len(self._in_flight(now))
        if room <= 0:
            wait = max(wait, self.span)
        elif len(self._sends) >= room:
            wait = max(wait, self._sends[len(self._sends) - room] + self.span - now)
        return max(0.0, wait)

    def free(self, now: float) -> int:
        """How many sends are allowed right now."""
        if self._paused_until > now:
            return 0
        recent = sum(1 for at in self._sends if at > now - self.span)
        return max(0, self.count - len(self._in_flight(now)) - recent)

    def record(self, now: float) -> None:
        """A send made and answered at `now`."""
        self._sends.append(now)

    def open(self, now: float) -> None:
        """A send granted at `now`, in flight until `close`."""
        self._flying.append(now)

    def close(self, granted: float, done: float) -> None:
        """The send granted at `granted` was answered at `done`: it counts from then."""
        try:
            self._flying.remove(granted)
        except ValueError:  # forgotten as stale, or never opened here
            return
        if self._trips is not None:
            self._trips.append(done - granted)
            done -= min(self._trips) / 2
        if len(self._sends) == self.count:
            self._sends.popleft()  # the oldest no longer matters
        bisect.insort(self._sends, done)

    def drop(self, granted: float) -> None:
        """A grant never used (its sender gave up waiting as it came): no send, no count."""
        with contextlib.suppress(ValueError):
            self._flying.remove(granted)

    def _in_flight(self, now: float) -> list[float]:
        """Sends in flight; one granted longer ago than any call may take was given up on
        without a `close` (its task cancelled) and is forgotten."""
        if self._flying and self._flying[0] < now - STALE:
            self._flying = [at for at in self._flying if at >= now - STALE]
        return self._flying

    def pause(self, until: float) -> None:
        self._paused_until = max(self._paused_until, until)

    def idle(self, now: float) -> bool:
        return self.delay(now) == 0 and self.free(now) == self.count


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


@contextlib.contextmanager
def reserved() -> Iterator[None]:
    """Sends inside this block were counted by the caller (the outbox sender)."""
    token = _RESERVED.set(True)
    try:
        yield
    finally:
        _RESERVED.reset(token)


class LimitedRequests(BaseRateLimiter[None]):
    """PTB's hook on every Bot API call: direct answers wait their turn too."""

    def __init__(self, limits: SendLimits | None = None) -> None:
        self.limits = limits or SendLimits()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        counted = endpoint in SEND_ENDPOINTS and isinstance(chat_id, int)
        granted: float | None = None
        if counted and not _RESERVED.get():
            assert isinstance(chat_id, int)
            wait = self.limits.delay(chat_id)
            if wait > DIRECT_WAIT:
                raise RetryAfter(math.ceil(wait))
            granted = await self.limits.acquire(chat_id, DIRECT)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            if isinstance(chat_id, int):
                self.limits.pause(chat_id, seconds_of(exc.retry_after))
            logger.warning("429 in chat %s: retry after %s", chat_id, exc.retry_after)
            raise
        finally:
            if granted is not None and isinstance(chat_id, int):
                self.limits.sent(chat_id, granted)


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


def limits_of(
    bot: object, enabled: bool = True, senders: int = 1, own_chats: bool = False
) -> SendLimits:
    """The limits a bot's requests already keep, or new ones for a bot without them."""
    limiter = getattr(bot, "rate_limiter", None)
    if isinstance(limiter, LimitedRequests):
        return limiter.limits
    return send_limits(enabled, senders, own_chats)


def shared(limit: Limit, senders: int) -> Limit:
    """One of `senders` processes' part of a limit: fewer sends, or the same over longer."""
    if limit.count >= senders:
        return Limit(limit.count // senders, limit.seconds)
    return Limit(1, limit.seconds * senders / limit.count)
