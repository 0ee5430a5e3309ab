"""Telegram's sending limits, each kept as a sliding window of the latest sends.

Telegram lets a bot send about 30 messages a second in all, 20 a minute into one group and
about one a second into one private chat. A window is a log of the latest sends, so a send
goes only when fewer than the limit left in the last span. aiolimiter (what PTB's
rate-limiter extra uses) is a leaky bucket, which lets up to twice its rate through within
one span and so still trips a limit counted over a sliding minute; it is not used.
"""

from __future__ import annotations

import bisect
import contextlib
from collections import deque
from dataclasses import dataclass


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


def shared(limit: Limit, senders: int) -> Limit:
    """One of `senders` processes' part of a limit: fewer sends, or the same over longer."""
    if limit.count >= senders:
        return Limit(limit.count // senders, limit.seconds)
    return Limit(1, limit.seconds * senders / limit.count)
