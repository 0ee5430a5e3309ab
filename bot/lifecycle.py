"""The issue lifecycle: the one place that knows which status may follow which, and for whom."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Statuses and their sets are defined with the data they filter.
from storage.statuses import OPEN, Status

# The labels residents and ledgers see (SPEC §7); they are part of the contract.
LABELS: dict[Status, str] = {
    Status.NEW: "已受理",
    Status.TAKEN: "已认领",
    Status.IN_PROGRESS: "办理中",
    Status.PLANNED: "已列入计划",
    Status.ESCALATED: "已转交",
    Status.RESOLVED: "已解决",
    Status.CLOSED: "已办结",
    Status.REJECTED: "不予受理",
    Status.MERGED: "已合并",
}


class Role(StrEnum):
    MEMBER = "member"  # a member of the grid
    COORDINATOR = "coordinator"
    REPORTER = "reporter"
    SYSTEM = "system"


STAFF = frozenset({Role.MEMBER, Role.COORDINATOR})
_RESOLVED = frozenset({Status.RESOLVED})
_REPORTER = frozenset({Role.REPORTER})
_SYSTEM = frozenset({Role.SYSTEM})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (a note, a reassignment)
    actors: frozenset[Role]


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("take", frozenset({Status.NEW}), Status.TAKEN, STAFF),
        Transition("progress", OPEN, Status.IN_PROGRESS, STAFF),
        Transition("plan", OPEN, Status.PLANNED, STAFF),
        Transition("escalate", OPEN, Status.ESCALATED, STAFF),
        Transition("done", OPEN, Status.RESOLVED, STAFF),
        Transition("reject", OPEN, Status.REJECTED, STAFF),
        Transition("merge", OPEN, Status.MERGED, STAFF),
        Transition("assign", OPEN, None, STAFF),
        Transition("recategorise", OPEN | _RESOLVED, None, STAFF),
        Transition("satisfied", _RESOLVED, Status.CLOSED, _REPORTER),
        Transition("unsatisfied", _RESOLVED, Status.IN_PROGRESS, _REPORTER),
        Transition("auto_close", _RESOLVED, Status.CLOSED, _SYSTEM),
        Transition("hand_over", frozenset({Status.NEW}), None, _SYSTEM),
        # The assignee left the roster: another member of the grid carries the issue on.
        Transition("leave", OPEN, None, _SYSTEM),
        Transition("edit", frozenset({Status.NEW}), None, _REPORTER),
        Transition("attach", OPEN, None, _REPORTER),
        # A 微协商 outcome noted on the issue; a status change it decides goes its own way.
        Transition("consult", OPEN | _RESOLVED | {Status.CLOSED}, None, STAFF),
    )
}  # fmt: skip


class TransitionError(Exception):
    """The action is not allowed now; `reason` is a texts key for the refusal."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def next_status(action: str, current: Status, roles: frozenset[Role]) -> Status:
    """The status after `action`, or TransitionError saying why it may not happen."""
    transition = TRANSITIONS[action]
    if not roles & transition.actors:
        raise TransitionError("not_allowed")
    if current not in transition.sources:
        raise TransitionError("wrong_status")
    return transition.target or current


def label(status: str) -> str:
    return LABELS[Status(status)]
