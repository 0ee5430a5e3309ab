"""The reminders sweep: members are reminded as limits near and pass, an issue nobody took
is handed over, one overdue twice is raised to the coordinators, unrated ones close."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot import timefmt
from bot.deadlines import RESPOND_LEAD, SOLVE_LEAD, Due, reached, strikes
from bot.intake.notices import issue_buttons, mention
from bot.intake.registration import deadlines
from bot.privacy import mask
from bot.quiet import deferred
from bot.schedules.autoclose import close_unrated
from bot.schedules.handover import hand_over
from bot.services import Services
from storage.records import Grid, Issue, Member, MessageKind, OutgoingMessage, Priority
from storage.statuses import Status

logger = logging.getLogger(__name__)


def respond_window(services: Services, issue: Issue) -> timedelta:
    """The issue's response time, as its category and urgency give it."""
    respond_by, _ = deadlines(services, issue.category, issue.urgent, issue.created_at)
    return respond_by - issue.created_at


async def sweep(services: Services, now: datetime, grids: Sequence[Grid]) -> Counter[str]:
    """One pass over the given grids; returns how many of each kind were done."""
    store = services.store
    by_id = {grid.id: grid for grid in grids}
    candidates = await store.reminders.nearing(now + RESPOND_LEAD, now + SOLVE_LEAD, list(by_id))
    done = await store.reminders.done(issue.id for issue in candidates)
    counts: Counter[str] = Counter()
    for issue in candidates:
        counts.update(await _remind(services, by_id[issue.grid_id], issue, done[issue.id], now))
    counts["auto_close"] = await close_unrated(services, now, list(by_id))
    logger.info("reminders sweep at %s: %s", now.isoformat(), dict(counts))
    return counts


async def _remind(
    services: Services, grid: Grid, issue: Issue, done: Mapping[str, datetime], now: datetime
) -> Counter[str]:
    zone = services.settings.timezone
    counts: Counter[str] = Counter()
    kinds = dict(done)
    for due in reached(issue, done, now, respond_window(services, issue), zone):
        if await _act(services, grid, issue, due, now):
            counts[due.kind] += 1
            kinds[due.kind] = now
    if strikes(kinds) >= 2 and "raised" not in kinds and await _raise(services, grid, issue, now):
        counts["raised"] += 1
    return counts


async def _act(services: Services, grid: Grid, issue: Issue, due: Due, now: datetime) -> bool:
    store = services.store
    if due.kind == "respond_late":
        window = respond_window(services, issue)
        handed = await hand_over(services, grid, issue, now, window)
        if handed is not None:
            return handed
    member = await store.members.by_id(issue.assignee_id) if issue.assignee_id else None
    # With nobody assigned the coordinators were told at intake; the strike still counts.
    owed = [reminder(services, grid, issue, member, due)] if member else []
    return await store.reminders.record(issue.id, due.kind, now, owed)


def reminder(
    services: Services, grid: Grid, issue: Issue, member: Member, due: Due
) -> OutgoingMessage:
    """The member's private reminder; a mention in the group if they never started the bot."""
    texts, lang = services.texts, grid.language
    category = texts.name(lang, issue.category)
    text = texts.get(
        lang, f"remind_{due.kind}", n=issue.id, category=category, text=issue.text,
        deadline=timefmt.short(due.deadline, services.settings.timezone),
    )  # fmt: skip
    link = f"https://t.me/{services.bot_username}?start=member"
    fallback = texts.get(
        lang, "remind_fallback", mention=mention(member), n=issue.id, category=category, link=link
    )
    message = OutgoingMessage(
        kind=MessageKind.REMINDER, chat_id=member.telegram_id, text=text, issue_id=issue.id,
        created_at=services.clock(),
        buttons=issue_buttons(services, grid, issue) if issue.status == Status.NEW else (),
        fallback_chat_id=issue.chat_id, fallback_thread_id=issue.thread_id,
        fallback_text=mask(fallback),
        priority=Priority.URGENT if issue.urgent else Priority.NOTICE,
    )  # fmt: skip
    return deferred(services.settings, message, issue.urgent)


async def _raise(services: Services, grid: Grid, issue: Issue, now: datetime) -> bool:
    """Overdue twice: every coordinator of the grid is asked to step in, once."""
    store = services.store
    current = await store.issues.get(issue.id) or issue  # a hand-over may have just changed it
    member = await store.members.by_id(current.assignee_id) if current.assignee_id else None
    texts, lang, zone = services.texts, grid.language, services.settings.timezone
    text = texts.get(
        lang, "raised_notice", n=current.id, grid=f"{grid.code} {grid.name}",
        member=member.name if member else texts.get(lang, "nobody"),
        category=texts.name(lang, current.category), label=texts.status(lang, current.status),
        text=current.text, respond_by=timefmt.short(current.respond_by, zone),
        solve_by=timefmt.short(current.solve_by, zone),
    )  # fmt: skip
    owed = [
        deferred(services.settings, _private(services, c, current, text), current.urgent)
        for c in await store.members.coordinators_of(grid.id)
    ]
    return await store.reminders.record(current.id, "raised", now, owed)


def _private(services: Services, member: Member, issue: Issue, text: str) -> OutgoingMessage:
    return OutgoingMessage(
        kind=MessageKind.ALERT,
        chat_id=member.telegram_id,
        text=text,
        issue_id=issue.id,
        created_at=services.clock(),
        priority=Priority.URGENT if issue.urgent else Priority.NOTICE,
    )
