"""Meetings over time: the group is reminded the day before a meeting, once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from bot import timefmt
from bot.privacy import mask
from bot.quiet import deferred
from bot.services import Services
from storage.meeting_records import Meeting
from storage.records import Grid, MessageKind, OutgoingMessage, Priority

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=1)


async def remind_meetings(services: Services, now: datetime) -> int:
    """Remind each grid group of a meeting a day before it, once; returns how many.

    Run it every few minutes (the job `consult:reminders`): a meeting announced less than a
    day ahead gets no reminder, its announcement is fresh; one missed while the bot was down
    is reminded late rather than never, as long as it has not begun."""
    store = services.store
    reminded = 0
    for meeting in await store.meetings.to_remind(now, now + REMIND_BEFORE):
        grid = await store.grids.by_id(meeting.grid_id)
        fresh = meeting.created_at > meeting.starts_at - REMIND_BEFORE
        owed = [] if fresh or grid is None else [_reminder(services, grid, meeting)]
        if await store.meetings.remind(meeting.id, now, owed) and owed:
            reminded += 1
    if reminded:
        logger.info("reminded %d meetings at %s", reminded, now.isoformat())
    return reminded


def _reminder(services: Services, grid: Grid, meeting: Meeting) -> OutgoingMessage:
    assert grid.chat_id is not None
    yes, _, maybe = meeting.votes
    text = services.texts.get(
        grid.language, "consult_reminder", id=meeting.id, title=meeting.title,
        time=timefmt.dated(
            meeting.starts_at, services.settings.timezone,
            partial(services.texts.get, grid.language), services.clock(),
        ),
        place=meeting.place,
        yes=yes, maybe=maybe,
    )  # fmt: skip
    message = OutgoingMessage(
        kind=MessageKind.CONSULT,
        chat_id=grid.chat_id,
        text=mask(text),
        created_at=services.clock(),
        priority=Priority.NOTICE,
    )
    return deferred(services.settings, message, urgent=False)
