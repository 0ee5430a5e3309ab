"""A chat's lane in the outbox sender (handlers.plumbing.delivery): the rows claimed for it,
sent in order, one send at a time.

A lane being served used to take nothing new until its claimed rows were all sent, so a
report's acknowledgement waited behind the group's digest post, and that post behind the
whole wave's turn for the overall limit. Now rows more urgent than the wave join the lane
while it is served, in the order a pass would have claimed them (most urgent, then oldest),
never ahead of the send already under way; one that goes to the head while the head is
still waiting for its turn takes that turn instead (`overtaken`).
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterable

from storage.records import OutgoingMessage, Priority

# Rows this urgent or more join a lane being served; a wave's rows (a chat's next digest
# post) wait for its service to end, so that a chat is served one digest post at a time.
JOINS = Priority.ROUTINE


def _order(message: OutgoingMessage) -> tuple[int, int]:
    return message.priority, message.id or 0


class Lane:
    def __init__(self, rows: Iterable[OutgoingMessage]) -> None:
        self.rows = list(rows)
        self.sending = 0  # rows at the head being sent now: nothing goes before them
        self.closed = False  # service over: what is left is given back, nothing joins
        self.overtaken = asyncio.Event()  # a more urgent row is the head now

    def __len__(self) -> int:
        return len(self.rows)

    def join(self, rows: Iterable[OutgoingMessage]) -> bool:
        """Add claimed rows in their order; False (nothing added) once the lane is closed."""
        if self.closed:
            return False
        for row in rows:
            keys = [_order(m) for m in self.rows]
            at = max(self.sending, bisect.bisect(keys, _order(row)))
            self.rows.insert(at, row)
            if at == 0:
                self.overtaken.set()
        return True

    def close(self) -> list[OutgoingMessage]:
        """The rows left unsent; from now on nothing joins."""
        self.closed = True
        return self.rows
