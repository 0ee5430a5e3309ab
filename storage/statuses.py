"""The issue statuses as they are stored, and the sets that queries count by.

The lifecycle (bot/lifecycle.py) builds its rules on these; no other module spells a status.
They live here, in the lowest room that needs them, because queries filter by them."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    TAKEN = "taken"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"


# Not finished: someone still owes the resident something.
OPEN = frozenset({Status.NEW, Status.TAKEN, Status.IN_PROGRESS, Status.PLANNED, Status.ESCALATED})
# Being worked on now: a plan date or a department's answer is waiting, not the member's work.
ACTIVE = frozenset({Status.NEW, Status.TAKEN, Status.IN_PROGRESS})
# Time limits still run (a department has the issue: its clock stops).
WATCHED = ACTIVE | {Status.PLANNED}
# Nothing more will happen.
FINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.MERGED})
# Finished by a member's answer rather than the resident's rating or a merge.
ANSWERED = frozenset({Status.CLOSED, Status.REJECTED})
# Never a problem that counts in figures and reports: refused, or a copy of another.
NOT_COUNTED = frozenset({Status.REJECTED, Status.MERGED})
