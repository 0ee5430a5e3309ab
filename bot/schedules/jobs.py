"""Scheduled jobs: what each sends, its period, when it last fell due, and running it once.

A run is recorded in the database under (job, period) in the same transaction as the
messages it owes, so two bot processes, or a restart catching up, never send a period twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal

from bot.config import ConfigError, Settings
from bot.consult.meetings import close_due
from bot.consult.reminders import remind_meetings
from bot.intake.registration import expire_questions
from bot.quiet import deferred
from bot.reports.digest import Window, weekly_messages
from bot.reports.oversight import coordinator_messages
from bot.reports.spotcheck import Quarter, spotcheck_messages
from bot.schedules.duesoon import duesoon_messages
from bot.schedules.reminders import sweep
from bot.services import Services
from bot.support.topics import offer_topics
from bot.workdays import SEARCH_DAYS, Calendar, load_calendar
from storage.records import Grid, OutgoingMessage

logger = logging.getLogger(__name__)

SWEEP_MINUTES = 10
SPOTCHECK_TIME = time(9, 0)  # on the first day of each quarter

Sweep = Callable[[Services, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Job:
    """One scheduled job, as the scheduler installs it and `gridbot jobs run` runs it.

    `kind` is the word on the command line, `name` the structured name the scheduler and the
    database use. Weekly and quarterly jobs owe messages once per period; sweeps run every
    `minutes` and, when they claim their own work (a meeting row, an offer key), `sweep` does
    it."""

    kind: str
    name: str
    cadence: Literal["weekly", "quarterly", "daily", "sweep"]
    minutes: int = 0
    sweep: Sweep | None = None


JOBS = (
    Job("digest", "digest:weekly", "weekly"),
    Job("spotcheck", "spotcheck:quarterly", "quarterly"),
    # 即将超期: at the start of office hours every day; on days off it finds nothing to send.
    Job("duesoon", "duesoon:morning", "daily"),
    Job("reminders", "reminders:sweep", "sweep", SWEEP_MINUTES),
    Job("meetings", "consult:reminders", "sweep", SWEEP_MINUTES, remind_meetings),
    Job("online", "consult:online", "sweep", 1, close_due),
    Job("topics", "consult:topics", "sweep", SWEEP_MINUTES, offer_topics),
    # Unanswered 登记为诉求 / 不用了 questions lapse; marking one expired is the claim.
    Job("questions", "intake:questions", "sweep", 1, expire_questions),
)
BY_KIND = {job.kind: job for job in JOBS}
# The kinds `gridbot jobs run` takes, and the names the scheduler and database use.
NAMES = {job.kind: job.name for job in JOBS}


@dataclass(frozen=True)
class Outcome:
    job: str
    period: str
    ran: bool
    messages: int = 0


def period_of(kind: str, at: datetime, settings: Settings) -> str:
    """The period a run at `at` belongs to: an ISO week, a quarter, a day, a ten-minute slot."""
    zone = settings.timezone
    if kind == "digest":
        year, week, _ = at.astimezone(zone).isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "spotcheck":
        return Quarter.before(at, zone).key
    if kind == "duesoon":
        return at.astimezone(zone).date().isoformat()
    utc = at.astimezone(UTC)
    slot = utc.replace(minute=utc.minute - utc.minute % SWEEP_MINUTES, second=0, microsecond=0)
    return slot.strftime("%Y-%m-%dT%H:%MZ")


def last_due(kind: str, now: datetime, settings: Settings) -> datetime:
    """The latest moment at or before `now` when the job was due."""
    zone = settings.timezone
    local = now.astimezone(zone)
    if kind == "digest":
        back = (local.weekday() - settings.digest_weekday) % 7
        due = datetime.combine(local.date() - timedelta(days=back), settings.digest_time, zone)
        return due if due <= now else due - timedelta(days=7)
    if kind == "spotcheck":
        month = 3 * ((local.month - 1) // 3) + 1
        due = datetime.combine(local.date().replace(month=month, day=1), SPOTCHECK_TIME, zone)
        if due <= now:
            return due
        return datetime.combine(Quarter.before(due, zone).start.date(), SPOTCHECK_TIME, zone)
    if kind == "duesoon":
        return _last_morning(load_calendar(settings), now)
    return now


def _last_morning(calendar: Calendar, now: datetime) -> datetime:
    """The start of office hours on the latest working day, at or before `now`."""
    day = now.astimezone(calendar.zone).date()
    for _ in range(SEARCH_DAYS):
        due = datetime.combine(day, calendar.office_start, calendar.zone)
        if due <= now and calendar.is_workday(day):
            return due
        day -= timedelta(days=1)
    return now


def check_scope(kind: str, grid_code: str | None) -> None:
    """A job for one grid: only those that go grid by grid can be narrowed so."""
    if grid_code is not None and BY_KIND[kind].sweep is not None:
        raise ConfigError(f"--grid does not apply to the job {kind!r}: it covers every grid")


async def grids_for(services: Services, code: str | None) -> list[Grid]:
    grids = await services.store.grids.all()
    if code is None:
        return grids
    found = [grid for grid in grids if grid.code == code]
    if not found:
        raise ConfigError(f"no grid with code {code!r} (see `gridbot roster import`)")
    return found


async def owed(
    services: Services, kind: str, at: datetime, grids: list[Grid]
) -> list[OutgoingMessage]:
    """What a digest, spot check or 即将超期 list run at `at` sends."""
    zone = services.settings.timezone
    if kind == "digest":
        window = Window.ending(at, zone)
        found = await weekly_messages(services, window, grids)
        found += await coordinator_messages(services, window, grids)
    elif kind == "duesoon":
        found = await duesoon_messages(services, at, grids)
    else:
        found = await spotcheck_messages(services, Quarter.before(at, zone), grids)
    return [deferred(services.settings, message, urgent=False) for message in found]


async def run_scheduled(services: Services, kind: str, at: datetime) -> Outcome:
    """Run as the scheduler does: at most once per period, across processes and restarts."""
    store = services.store
    name, period = NAMES[kind], period_of(kind, at, services.settings)
    if (own := BY_KIND[kind].sweep) is not None:
        return Outcome(name, period, True, await own(services, at))
    grids = await store.grids.all()
    if kind == "reminders":
        if not await store.jobs.claim(name, period, at):
            return Outcome(name, period, ran=False)
        counts = await sweep(services, at, grids)
        return Outcome(name, period, True, sum(counts.values()))
    if await store.jobs.ran(name, period):  # spare the work; the claim below still decides
        return Outcome(name, period, ran=False)
    messages = await owed(services, kind, at, grids)
    ran = await store.jobs.claim(name, period, at, messages)
    logger.info("%s for %s: ran=%s, %d messages", name, period, ran, len(messages))
    return Outcome(name, period, ran, len(messages) if ran else 0)


async def run_now(
    services: Services, kind: str, at: datetime, grid_code: str | None = None
) -> Outcome:
    """Run on request: always sends; a run for all grids also counts as the period's run."""
    store = services.store
    name, period = NAMES[kind], period_of(kind, at, services.settings)
    check_scope(kind, grid_code)
    if (own := BY_KIND[kind].sweep) is not None:
        return Outcome(name, period, True, await own(services, at))
    grids = await grids_for(services, grid_code)
    if kind == "reminders":
        counts = await sweep(services, at, grids)
        if grid_code is None:
            await store.jobs.claim(name, period, at)
        return Outcome(name, period, True, sum(counts.values()))
    messages = await owed(services, kind, at, grids)
    if grid_code is not None or not await store.jobs.claim(name, period, at, messages):
        await store.outbox.add(messages)
    return Outcome(name, period, True, len(messages))


async def catch_up(services: Services, now: datetime) -> list[Outcome]:
    """At start-up: run once whatever fell due while the bot was down (never before install)."""
    installed = await services.store.jobs.installed_at(now)
    outcomes = []
    for kind in ("digest", "spotcheck", "duesoon"):
        due = last_due(kind, now, services.settings)
        if due > installed:
            outcomes.append(await run_scheduled(services, kind, due))
    outcomes.append(await run_scheduled(services, "reminders", now))
    return outcomes
