"""Time limits: when an issue must be answered and solved, which limit it has reached, and how a
pause moves them on. The one place that turns a category's limits into deadlines.

The clock pauses while the member waits on someone else: the resident (/ask, until they reply
or for ASK_WAIT at most), a department (已转交) or a plan date (已列入计划). When a pause ends
its deadlines move on by the time it took: office time for a limit in working days, the whole
time otherwise. storage/stats.py spells the same "overdue" in SQL; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot import timefmt
from bot.quiet import quiet_until
from bot.services import Services
from bot.timelimits import Limit, Unit
from storage.records import Issue, IssueChange, Pause
from storage.statuses import ACTIVE, Status

PAUSED = frozenset({Status.PLANNED, Status.ESCALATED})
ASK = "ask"  # the reason of a pause while the resident is asked something
ASK_WAIT = timedelta(days=3)
# A solved issue the reporter does not rate within this many days closes by itself.
FEEDBACK_DAYS = 7

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


def limits(services: Services, category: str, urgent: bool) -> tuple[Limit, Limit]:
    """The respond and solve limits: the category's, else the taxonomy's defaults; an urgent
    issue is answered within the urgent limit (hours) if that is shorter."""
    taxonomy = services.taxonomy
    found = taxonomy.category(category)
    respond = (found.respond if found else None) or taxonomy.respond
    quick = taxonomy.urgent_respond
    if urgent and (respond.unit is not Unit.HOURS or respond.amount > quick.amount):
        respond = quick
    return respond, (found.solve if found else None) or taxonomy.solve


def deadlines(
    services: Services, category: str, urgent: bool, at: datetime
) -> tuple[datetime, datetime]:
    """Respond-by and solve-by for an issue registered at `at`."""
    respond, solve = limits(services, category, urgent)
    return services.calendar.end_of(respond, at), services.calendar.end_of(solve, at)


def respond_from(services: Services, issue: Issue) -> Callable[[datetime], datetime]:
    """Where the issue's response limit ends when counted from a moment (a hand-over)."""
    respond, _ = limits(services, issue.category, issue.urgent)
    return lambda start: services.calendar.end_of(respond, start)


def shown(
    services: Services, language: str, moment: datetime, *, relative: bool = True,
    waits: bool = False,
) -> str:  # fmt: skip
    """A deadline as people act on it (“今天 17:00 前”, “12月4日（周四）下班前”). Without
    `relative` no 今天/明天, for posts read again days later; a message that `waits` out quiet
    hours says 今天 of the morning it arrives."""
    settings = services.settings
    say = partial(services.texts.get, language)
    now = services.clock()
    if waits:
        now = quiet_until(settings, now) or now
    return timefmt.due(moment, settings.timezone, settings.office_end, say, now, relative)


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
    respond_again: Callable[[datetime], datetime],
    zone: ZoneInfo,
) -> list[Due]:
    """The limits the issue has reached by `now` and has not been reminded of yet."""
    found = _respond(issue, done, now, respond_again) if issue.status == Status.NEW else []
    solve_by = solve_deadline(issue, zone)
    if solve_by is not None:
        found += _solve(issue, done, now, solve_by)
    return [due for due in found if due.kind not in done]


def _respond(
    issue: Issue, done: Mapping[str, datetime], now: datetime, again_from: Callable[..., datetime]
) -> list[Due]:
    if "respond_late" in done:
        # The member it was handed over to gets a whole response limit of their own.
        again = again_from(done["respond_late"])
        return [Due("respond_late_again", again)] if now >= again else []
    if now >= issue.respond_by:
        return [Due("respond_late", issue.respond_by)]
    if now >= issue.respond_by - lead(issue.respond_by - issue.created_at, RESPOND_LEAD):
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


def moved_on(services: Services, issue: Issue, since: datetime, until: datetime) -> IssueChange:
    """The deadlines after a pause from `since` to `until`; the response limit only moves
    while nobody has answered yet."""
    respond, solve = limits(services, issue.category, issue.urgent)
    calendar = services.calendar
    change = IssueChange(solve_by=calendar.shifted(solve, issue.solve_by, since, until))
    if issue.taken_at is None:
        change = replace(
            change, respond_by=calendar.shifted(respond, issue.respond_by, since, until)
        )
    return change


def waited(pause: Pause, now: datetime) -> datetime:
    """Until when the clock stood still: an /ask pause no longer than its wait."""
    return min(now, pause.until) if pause.until else now


@dataclass(frozen=True)
class PauseChange:
    """What a member's action does to the clock: deadlines moved, a pause ended or begun."""

    change: IssueChange = field(default_factory=IssueChange)
    ends: bool = False
    starts: Pause | None = None


def pause_change(
    services: Services, issue: Issue, current: Pause | None, action: str, target: Status
) -> PauseChange:
    """An /ask pause lasts while the issue is worked on; one for a department or a plan date
    lasts while the issue keeps that status. Leaving a pause moves the deadlines on."""
    now = services.clock()
    ends = current is not None and (
        target not in ACTIVE if current.reason == ASK else target != current.reason
    )
    change = IssueChange()
    if current is not None and ends:
        change = moved_on(services, issue, current.started_at, waited(current, now))
    still = current is not None and not ends
    starts = None
    if not still and target in PAUSED:
        starts = Pause(issue.id, str(target), now)
    elif not still and action == ASK:
        starts = Pause(issue.id, ASK, now, until=now + ASK_WAIT)
    return PauseChange(change, ends, starts)
