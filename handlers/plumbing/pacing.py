"""Pacing the sends that can wait (handlers.plumbing.limits), so that a wave never fills a
whole second at once.

Telegram's overall window lets 30 sends go in any second. A digest wave granted them the
moment places came free, all 30 together, so the window came free again all at once a
second later: a report acknowledged mid-second waited for the next one, up to a second, and
behind a second of sends with a little luck. Holding one place a second for
acknowledgements cost the wave a thirtieth of its pace whether a report came or not. A
token bucket at the window's own rate spreads the wave's grants over the second instead:
places come free a few at a time, and an acknowledgement, served first, takes the next.
A bucket, not a sliding window: a grant the event loop made late is made up for (up to
`burst`), so the pacing costs the wave nothing of its rate.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.records import MessageKind, OutgoingMessage, Priority

# Told as a report is acknowledged: a member's notice of the issue for them. A burst's last
# second of such notices, paced, was spread over the whole second, and the burst told its
# members up to 0.8 s later than its limits allowed. What a wave owes (digests, reminders,
# spot checks) is paced; a report's notices are queued below its acknowledgements anyway.
TOLD_WITH_REPORT = frozenset({MessageKind.NOTICE})
PACED_AFTER = Priority.ACK


def paced(rows: Sequence[OutgoingMessage]) -> bool:
    """Whether a send of these rows (one message, or a bundle) is paced."""
    least_urgent = min(row.priority for row in rows) > PACED_AFTER
    return least_urgent and not all(row.kind in TOLD_WITH_REPORT for row in rows)


class Pace:
    """At most `rate` sends a second on average, and `burst` at once."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self._tokens = self.burst
        self._at: float | None = None

    def delay(self, now: float) -> float:
        """Seconds until one more send may go."""
        self._fill(now)
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def take(self, now: float) -> None:
        self._fill(now)
        self._tokens -= 1

    def _fill(self, now: float) -> None:
        if self._at is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
