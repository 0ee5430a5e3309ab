"""Time as the core reads it: one injected clock. The wall clock in production, a scripted one
in `gridbot demo`, a hand-moved one in the tests; nothing else asks the system for the time."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ScriptedClock:
    """Starts at a chosen moment and runs on at the pace of real time; a script moves it on.

    Real time keeps flowing so that retries, leases and waits behave as they do in a running
    bot; `advance` skips what a story does not need to wait for (the night, a vote's end)."""

    def __init__(self, start: datetime, elapsed: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("a scripted clock starts at an aware moment")
        self._start, self._elapsed, self._origin = start, elapsed, elapsed()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed() - self._origin)

    def advance(self, delta: timedelta) -> None:
        """Move on by `delta`; time never runs backwards."""
        if delta < timedelta(0):
            raise ValueError("a scripted clock only moves forward")
        self._start += delta

    def advance_to(self, moment: datetime) -> None:
        """Move on to `moment` (a moment already past leaves the clock where it is)."""
        self.advance(max(timedelta(0), moment - self()))

    def timestamp(self) -> float:
        """Seconds since the epoch, as Telegram dates its messages."""
        return self().timestamp()


def at_hour(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    """That day at that local hour, as an aware moment."""
    return datetime.combine(day, clock_time(hour, minute), tzinfo=zone)
