"""Which time limit an issue has reached: the rules behind reminders, hand-over and escalation.

Time waiting on a department (已转交) never counts; a planned issue (已列入计划) waits for
its plan date. When an issue leaves either state its solve-by moves on by the time it
waited. storage/stats.py spells the same "overdue" in SQL; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services import Services
from storage.records import Issue, IssueChange, IssueEvent
from storage.statuses import Status

ACTIVE = frozenset({Status.NEW, Status.TAKEN, Status.IN_PROGRESS})
PAUSED = frozenset({Status.PLANNED, Status.ESCALATED})

# Reminders come when a quarter of the time is left, but never earlier than these.
RESPOND_LEAD = timedelta(hours=6)
SOLVE_LEAD = timedelta(days=1)
# An issue still overdue this long after its reminder is overdue a second time.
AGAIN_AFTER = timedelta(hours=24)
# Counted towards "overdue twice": a missed limit, or one missed again.
STRIKES = frozenset({"respond_late", "respond_late_again", "solve_late", "solve_late_again"})


@dataclass(frozen=True)
class Due:
    kind: str
    deadline: datetime


def lead(window: timedelta, cap: timedelta) -> timedelta:
    return min(window / 4, cap)


def solve_deadline(issue: Issue, zone: ZoneInfo) -> datetime | None:
    """When the issue must be solved or planned; None while it waits on someone else."""
    status = Status(issue.status)
    if status in ACTIVE:
        return issue.solve_by
    if status == Status.PLANNED and issue.plan_date:
        day_after = datetime.fromisoformat(issue.plan_date).date() + timedelta(days=1)
        return max(issue.solve_by, datetime.combine(day_after, time.min, tzinfo=zone))
    return None


def overdue(issue: Issue, now: datetime, zone: ZoneInfo) -> bool:
    """Past a limit at `now`: not taken in time, or not solved (or planned) in time; what
    storage/stats.py counts as overdue, for one issue."""
    if issue.status == Status.NEW and now > issue.respond_by:
        return True
    deadline = solve_deadline(issue, zone)
    return deadline is not None and now > deadline


def reached(
    issue: Issue,
    done: Mapping[str, datetime],
    now: datetime,
    respond_window: timedelta,
    zone: ZoneInfo,
) -> list[Due]:
    """The limits the issue has reached by `now` and has not been reminded of yet."""
    found = _respond(issue, done, now, respond_window) if issue.status == Status.NEW else []
    solve_by = solve_deadline(issue, zone)
    if solve_by is not None:
        found += _solve(issue, done, now, solve_by)
    return [due for due in found if due.kind not in done]


def _respond(
    issue: Issue, done: Mapping[str, datetime], now: datetime, window: timedelta
) -> list[Due]:
    if "respond_late" in done:
        # The member it was handed over to gets a whole response window of their own.
        again = done["respond_late"] + window
        return [Due("respond_late_again", again)] if now >= again else []
    if now >= issue.respond_by:
        return [Due("respond_late", issue.respond_by)]
    if now >= issue.respond_by - lead(window, RESPOND_LEAD):
        return [Due("respond_soon", issue.respond_by)]
    return []


def _solve(
    issue: Issue, done: Mapping[str, datetime], now: datetime, deadline: datetime
) -> list[Due]:
    if "solve_late" in done:
        again = done["solve_late"] + AGAIN_AFTER
        return [Due("solve_late_again", deadline)] if now >= again else []
    if now >= deadline:
        return [Due("solve_late", deadline)]
    if now >= deadline - lead(deadline - issue.created_at, SOLVE_LEAD):
        return [Due("solve_soon", deadline)]
    return []


def strikes(kinds: set[str] | Mapping[str, datetime]) -> int:
    return len(STRIKES & set(kinds))


def paused_since(events: list[IssueEvent]) -> datetime | None:
    """When the issue last went into waiting (planned or escalated) from active work."""
    for event in reversed(events):
        if event.to_status in PAUSED and event.from_status not in PAUSED:
            return event.at
    return None


async def resumed(services: Services, issue: Issue, target: str) -> IssueChange:
    """The solve-by moved on by the wait, when the issue goes back to active work."""
    if issue.status not in PAUSED or target not in ACTIVE:
        return IssueChange()
    since = paused_since(await services.store.issues.events(issue.id))
    now = services.clock()
    if since is None or now <= since:
        return IssueChange()
    return IssueChange(solve_by=issue.solve_by + (now - since))
