"""The scheduled jobs on PTB's JobQueue (APScheduler), rebuilt at every start from the settings.

The database, not the scheduler, remembers what ran (bot/schedules/jobs.py): a restart catches up a
missed run once, and a second bot process on the same database does not double it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.schedules import jobs
from handlers.consult import close_online, offer_recurring_topics, remind_upcoming
from handlers.context import SERVICES_KEY, GridApplication, GridContext
from handlers.intake import expire_questions

logger = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Let the bot settle (getMe, the sender) before the first pass.
FIRST_SWEEP = timedelta(seconds=20)
CATCH_UP_AFTER = timedelta(seconds=0)  # at once: what was missed is owed already


def install_schedules(app: GridApplication) -> None:
    """Name every job by what it does (`digest:weekly`) so it can be found and tested."""
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot[job-queue] is a dependency"
    settings = app.bot_data[SERVICES_KEY].settings
    zone, at = settings.timezone, settings.digest_time
    weekly = CronTrigger(
        day_of_week=WEEKDAYS[settings.digest_weekday], hour=at.hour, minute=at.minute,
        timezone=zone,
    )  # fmt: skip
    quarterly = CronTrigger(
        month="1,4,7,10", day=1, hour=jobs.SPOTCHECK_TIME.hour,
        minute=jobs.SPOTCHECK_TIME.minute, timezone=zone,
    )  # fmt: skip
    queue.run_repeating(
        sweep_reminders, interval=timedelta(minutes=jobs.SWEEP_MINUTES), first=FIRST_SWEEP,
        name=jobs.NAMES["reminders"],
    )  # fmt: skip
    queue.run_custom(send_digests, {"trigger": weekly}, name=jobs.NAMES["digest"])
    queue.run_custom(send_spotchecks, {"trigger": quarterly}, name=jobs.NAMES["spotcheck"])
    queue.run_once(catch_up_missed, CATCH_UP_AFTER, name="schedules:catch-up")
    # Meetings are reminded a day ahead; each once (the meeting row is the claim).
    queue.run_repeating(
        remind_upcoming, interval=timedelta(minutes=jobs.SWEEP_MINUTES), first=FIRST_SWEEP,
        name="consult:reminders",
    )  # fmt: skip
    # Online consultations close at their end, within a minute; recording the result is the
    # claim, so each closes once however many processes run this.
    queue.run_repeating(
        close_online, interval=timedelta(minutes=1), first=FIRST_SWEEP, name="consult:online"
    )
    # Unanswered 登记为诉求 / 不用了 questions are taken down; marking one expired is the
    # claim, so each is taken down once.
    queue.run_repeating(
        expire_questions, interval=timedelta(minutes=1), first=FIRST_SWEEP,
        name="intake:questions",
    )  # fmt: skip
    # Recurring topics are looked for here rather than at every intake; each offered once.
    queue.run_repeating(
        offer_recurring_topics, interval=timedelta(minutes=jobs.SWEEP_MINUTES),
        first=FIRST_SWEEP, name="consult:topics",
    )  # fmt: skip


async def _run(context: GridContext, kind: str) -> None:
    services = context.services
    outcome = await jobs.run_scheduled(services, kind, services.clock())
    if outcome.ran:
        services.outbox_ready.set()
    logger.debug("%s %s ran=%s", outcome.job, outcome.period, outcome.ran)


async def sweep_reminders(context: GridContext) -> None:
    """Every ten minutes: reminders, hand-overs, escalations, closing unrated issues."""
    await _run(context, "reminders")


async def send_digests(context: GridContext) -> None:
    """Weekly: each grid group's digest and each coordinator's figures."""
    await _run(context, "digest")


async def send_spotchecks(context: GridContext) -> None:
    """Quarterly: the spot-check workbooks to coordinators."""
    await _run(context, "spotcheck")


async def catch_up_missed(context: GridContext) -> None:
    """Once after start: what fell due while the bot was down."""
    services = context.services
    outcomes = await jobs.catch_up(services, services.clock())
    if any(outcome.ran for outcome in outcomes):
        services.outbox_ready.set()
    for outcome in outcomes:
        if outcome.ran and outcome.job != jobs.NAMES["reminders"]:
            logger.info("caught up %s for %s", outcome.job, outcome.period)
