"""Consultations in digests: meetings coming up and online consultations of the period,
with the count of 社情民意 topics, for grid groups and for coordinators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import partial

from bot import timefmt
from bot.consult.ways import state, vote_items
from bot.reports import sqmy
from bot.services import Services
from storage.meeting_records import Meeting, MeetingStatus
from storage.records import Grid

DIGEST_LISTED = 10


def _line(services: Services, language: str, meeting: Meeting, grid: str = "") -> str:
    texts = services.texts
    return texts.get(
        language, "consult_digest_line", id=meeting.id, grid=f"{grid} " if grid else "",
        time=timefmt.dated(
            meeting.starts_at, services.settings.timezone,
            partial(texts.get, language), services.clock(),
        ),
        title=meeting.title,
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
    services: Services,
    grid_ids: Sequence[int] | None,
    start: datetime,
    end: datetime,
    language: str,
) -> list[str]:
    """Lines for the coordinators' digest: meetings of these grids in [start, end) and those
    still to come, online consultations open in the period, and how many topics a 社情民意
    draft would take up; none of each when there are none."""
    store = services.store
    found = await store.meetings.between(grid_ids, start, end)
    online = await store.meetings.of_grids_between(grid_ids, start, end)
    codes = {grid.id: grid.code for grid in await store.grids.all()} if found or online else {}
    lines = _lines(services, language, found, end, codes) if found else []
    if online:
        lines.extend(_online_lines(services, online, codes, language))
    if topics := await sqmy.topic_count(services, grid_ids, start, end):
        lines.append(services.texts.get(language, "sqmy_digest", count=topics))
    return lines


def _online_line(services: Services, meeting: Meeting, grid: str, language: str) -> str:
    return services.texts.get(
        language,
        "consult_online_digest_line",
        id=meeting.id,
        grid=f"{grid} ",
        title=meeting.title,
        state=state(services, language, meeting),
        votes=vote_items(services, language, meeting),
    )


def _online_lines(
    services: Services, found: Sequence[Meeting], codes: dict[int, str], language: str
) -> list[str]:
    texts = services.texts
    still = sum(1 for m in found if m.status == MeetingStatus.SCHEDULED)
    head = texts.get(
        language, "consult_online_digest_head", count=len(found), open=still,
        closed=len(found) - still,
    )  # fmt: skip
    shown = [_online_line(services, m, codes.get(m.grid_id, ""), language) for m in found]
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
    for meeting in await services.store.meetings.between(ids, start, end):
        by_grid[meeting.grid_id].append(meeting)
    languages = {grid.id: grid.language for grid in grids}
    return {
        grid_id: _lines(services, languages[grid_id], found, end, {})
        for grid_id, found in by_grid.items()
        if grid_id in languages
    }
