"""The scheduled jobs on PTB's JobQueue (APScheduler), rebuilt at every start from the settings.

The database, not the scheduler, remembers what ran (bot/schedules/jobs.py): a restart catches up a
missed run once, and a second bot process on the same database does not double it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.schedules import jobs
from handlers.context import SERVICES_KEY, GridApplication, GridContext

logger = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Let the bot settle (getMe, the sender) before the first pass.
FIRST_SWEEP = timedelta(seconds=20)
CATCH_UP_AFTER = timedelta(seconds=0)  # at once: what was missed is owed already


def install_schedules(app: GridApplication, *, paused: bool = False) -> None:
    """Every job of the registry (bot/schedules/jobs.py), named as it is there.

    `paused`: installed but never fired by the wall clock; the demo and the tests run them
    on their own clocks (a Thursday 15:00 on the wall must not send a digest mid-test)."""
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot[job-queue] is a dependency"
    settings = app.bot_data[SERVICES_KEY].settings
    for job in jobs.JOBS:
        if job.cadence == "sweep":
            installed = queue.run_repeating(
                run_registered, interval=timedelta(minutes=job.minutes), first=FIRST_SWEEP,
                name=job.name, data=job.kind,
            )  # fmt: skip
        else:
            trigger = {"trigger": _trigger(job, settings)}
            installed = queue.run_custom(run_registered, trigger, name=job.name, data=job.kind)
        installed.enabled = not paused
    # Not on the wall clock either way: it runs once, at once, on the services' clock.
    queue.run_once(catch_up_missed, CATCH_UP_AFTER, name="schedules:catch-up")


def _trigger(job: jobs.Job, settings: Settings) -> CronTrigger:
    zone = settings.timezone
    if job.cadence == "weekly":
        at = settings.digest_time
        return CronTrigger(
            day_of_week=WEEKDAYS[settings.digest_weekday], hour=at.hour, minute=at.minute,
            timezone=zone,
        )  # fmt: skip
    if job.cadence == "daily":  # at the start of office hours
        opens = settings.office_start
        return CronTrigger(hour=opens.hour, minute=opens.minute, timezone=zone)
    return CronTrigger(
        month="1,4,7,10", day=1, hour=jobs.SPOTCHECK_TIME.hour,
        minute=jobs.SPOTCHECK_TIME.minute, timezone=zone,
    )  # fmt: skip


async def run_registered(context: GridContext) -> None:
    """A job of the registry, at most once per period (the database keeps the claims)."""
    services = context.services
    await services.classifying.ready()
    assert context.job is not None and isinstance(context.job.data, str)
    outcome = await jobs.run_scheduled(services, context.job.data, services.clock())
    logger.debug("%s %s ran=%s", outcome.job, outcome.period, outcome.ran)


async def catch_up_missed(context: GridContext) -> None:
    """Once after start: what fell due while the bot was down."""
    services = context.services
    await services.classifying.ready()  # built after the first getUpdates
    outcomes = await jobs.catch_up(services, services.clock())
    for outcome in outcomes:
        if outcome.ran and outcome.job != jobs.NAMES["reminders"]:
            logger.info("caught up %s for %s", outcome.job, outcome.period)
