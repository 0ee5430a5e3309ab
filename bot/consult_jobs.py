"""Meetings over time: the group is reminded the day before, and digests list them."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot import sqmy, timefmt
from bot.consult import LANG, online_state, vote_items
from bot.notices import PRIORITY_NOTICE
from bot.privacy import mask
from bot.quiet import deferred
from bot.services import Services
from storage.records import Grid, Meeting, OutgoingMessage

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=1)
DIGEST_LISTED = 10


async def remind_meetings(services: Services, now: datetime) -> int:
    """Remind each grid group of a meeting a day before it, once; returns how many.

    Run it every few minutes (the job `consult:reminders`): a meeting announced less than a
    day ahead gets no reminder, its announcement is fresh; one missed while the bot was down
    is reminded late rather than never, as long as it has not begun."""
    store = services.store
    reminded = 0
    for meeting in await store.consultations.to_remind(now, now + REMIND_BEFORE):
        grid = await store.grids.by_id(meeting.grid_id)
        fresh = meeting.created_at > meeting.starts_at - REMIND_BEFORE
        owed = [] if fresh or grid is None else [_reminder(services, grid, meeting)]
        if await store.consultations.remind(meeting.id, now, owed) and owed:
            reminded += 1
    if reminded:
        services.outbox_ready.set()
        logger.info("reminded %d meetings at %s", reminded, now.isoformat())
    return reminded


def _reminder(services: Services, grid: Grid, meeting: Meeting) -> OutgoingMessage:
    assert grid.chat_id is not None
    yes, _, maybe = meeting.votes
    text = services.texts.get(
        grid.language, "consult_reminder", id=meeting.id, title=meeting.title,
        time=timefmt.short(meeting.starts_at, services.settings.timezone), place=meeting.place,
        yes=yes, maybe=maybe,
    )  # fmt: skip
    message = OutgoingMessage(
        kind="consult", chat_id=grid.chat_id, text=mask(text), created_at=services.clock(),
        priority=PRIORITY_NOTICE,
    )  # fmt: skip
    return deferred(services.settings, message, urgent=False)


def _line(services: Services, language: str, meeting: Meeting, grid: str = "") -> str:
    texts = services.texts
    return texts.get(
        language, "consult_digest_line", id=meeting.id, grid=f"{grid} " if grid else "",
        time=timefmt.short(meeting.starts_at, services.settings.timezone), title=meeting.title,
        state=texts.get(language, f"consult_state_{meeting.status}"), yes=meeting.votes[0],
    )  # fmt: skip


def _lines(
    services: Services,
    language: str,
    found: Sequence[Meeting],
    end: datetime,
    codes: dict[int, str],
) -> list[str]:
    held = sum(1 for m in found if m.starts_at < end)
    upcoming = sum(1 for m in found if m.starts_at >= end)
    head = services.texts.get(language, "consult_digest_head", held=held, upcoming=upcoming)
    shown = [_line(services, language, m, codes.get(m.grid_id, "")) for m in found]
    return [head, *shown[:DIGEST_LISTED]]


async def consultation_summary(
    services: Services, grid_ids: Sequence[int] | None, start: datetime, end: datetime
) -> list[str]:
    """Lines for the coordinators' digest: meetings of these grids in [start, end) and those
    still to come, online consultations open in the period, and how many topics a 社情民意
    draft would take up; none of each when there are none."""
    store = services.store
    found = await store.consultations.between(grid_ids, start, end)
    online = await store.online.of_grids_between(grid_ids, start, end)
    codes = {grid.id: grid.code for grid in await store.grids.all()} if found or online else {}
    lines = _lines(services, LANG, found, end, codes) if found else []
    if online:
        lines.extend(_online_lines(services, online, codes))
    if topics := await sqmy.topic_count(services, grid_ids, start, end):
        lines.append(services.texts.get(LANG, "sqmy_digest", count=topics))
    return lines


def _online_line(services: Services, meeting: Meeting, grid: str) -> str:
    return services.texts.get(
        LANG, "consult_online_digest_line", id=meeting.id, grid=f"{grid} ", title=meeting.title,
        state=online_state(services, LANG, meeting), votes=vote_items(services, LANG, meeting),
    )  # fmt: skip


def _online_lines(
    services: Services, found: Sequence[Meeting], codes: dict[int, str]
) -> list[str]:
    texts = services.texts
    still = sum(1 for m in found if m.status == "scheduled")
    head = texts.get(
        LANG, "consult_online_digest_head", count=len(found), open=still,
        closed=len(found) - still,
    )  # fmt: skip
    shown = [_online_line(services, m, codes.get(m.grid_id, "")) for m in found]
    return [head, *shown[:DIGEST_LISTED]]


async def grid_sections(
    services: Services,
    grids: Sequence[Grid],
    ids: Sequence[int] | None,
    start: datetime,
    end: datetime,
) -> dict[int, list[str]]:
    """The same per grid, in each grid's script, for the weekly digests: one query for the
    grids `ids` (None: all of them, as the weekly run asks)."""
    by_grid: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in await services.store.consultations.between(ids, start, end):
        by_grid[meeting.grid_id].append(meeting)
    languages = {grid.id: grid.language for grid in grids}
    return {
        grid_id: _lines(services, languages[grid_id], found, end, {})
        for grid_id, found in by_grid.items()
        if grid_id in languages
    }
