"""社情民意 drafts: the issues of a period grouped into recurring topics, each with its facts,
residents' words (masked, without names), what was done so far, and room for a 建议.

A topic is one category in one community (a grid outside any community counts as its own),
as for 微协商 offers (bot/support/topics.py); it recurs when it holds `topic_issues` issues
(default 3) in the period, or one of its issues has `topic_supporters` supporters (default 5).
Rejected and merged issues do not count. Rendering: bot/reports/sqmy_render.py.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.lifecycle import LABELS
from bot.privacy import mask
from bot.services import Services
from bot.timefmt import start_of_day
from storage.records import IssueEvent, ReportIssue
from storage.statuses import Status

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30  # without --from: the month up to --to (or today)
QUOTES = 3
QUOTE_LIMIT = 120
NAME_HIDDEN = "×××"  # how official documents leave a name out
STEPS = 5
# Timeline steps that say what was done, with a note worth quoting.
DONE_ACTIONS = ("progress", "plan", "escalate", "done", "consult", "reject")


class ReportError(Exception):
    """A filter names nothing there is (a grid, a category); the message says which."""


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    grid: str | None = None
    community: str | None = None
    category: str | None = None
    within: tuple[str, ...] | None = None  # only these grid codes (a coordinator's own)


@dataclass(frozen=True)
class Step:
    number: int
    at: datetime
    action: str
    note: str


@dataclass(frozen=True)
class Topic:
    category: str
    community: str
    grids: tuple[str, ...]  # "A01 幸福里第一网格"
    numbers: tuple[int, ...]
    supporters: int
    first: datetime
    last: datetime
    quotes: tuple[str, ...]
    statuses: tuple[tuple[str, int], ...]  # (label, count), in lifecycle order
    steps: tuple[Step, ...]

    @property
    def count(self) -> int:
        return len(self.numbers)


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    scope: str  # the filters in words, or "" for everything
    topics: tuple[Topic, ...]
    made_at: datetime


def window(filters: Filters, today: date) -> tuple[date, date]:
    """The period's first and last day (inclusive)."""
    end = filters.end or today
    return filters.start or end - timedelta(days=DEFAULT_DAYS - 1), end


async def build(services: Services, filters: Filters) -> Report:
    """The report model for these filters; ReportError for a grid or category unknown."""
    zone = services.settings.timezone
    now = services.clock()
    await _check(services, filters)
    start, end = window(filters, now.astimezone(zone).date())
    since, until = start_of_day(start, zone), start_of_day(end + timedelta(days=1), zone)
    found = [row for row in await services.store.sqmy.issues(since, until) if _kept(row, filters)]
    events = await services.store.issues.events_between(since, until)
    topics = recurring(services, found, events)
    logger.info("sqmy %s..%s: %d issues, %d topics", start, end, len(found), len(topics))
    return Report(start, end, _scope(filters), tuple(topics), now)


async def _check(services: Services, filters: Filters) -> None:
    if filters.grid and await services.store.grids.by_code(filters.grid) is None:
        raise ReportError(f"no grid with code {filters.grid!r}")
    if filters.community:
        known = {grid.community for grid in await services.store.grids.all()}
        if filters.community not in known:
            raise ReportError(f"no community named {filters.community!r}")
    if filters.category:
        names = [category.name for category in services.taxonomy.categories]
        if filters.category not in names:
            raise ReportError(f"no category {filters.category!r}; one of {'、'.join(names)}")


def _kept(row: ReportIssue, filters: Filters) -> bool:
    return (
        (not filters.grid or row.grid.code == filters.grid)
        and (not filters.community or row.grid.community == filters.community)
        and (not filters.category or row.issue.category == filters.category)
        and (filters.within is None or row.grid.code in filters.within)
    )


def _scope(filters: Filters) -> str:
    parts = [filters.grid or "", filters.community or "", filters.category or ""]
    return "、".join(part for part in parts if part)


def recurring(
    services: Services, rows: Sequence[ReportIssue], events: Sequence[IssueEvent]
) -> list[Topic]:
    """The topics that recur among these issues, the largest first."""
    settings = services.settings
    groups: dict[tuple[str, str], list[ReportIssue]] = defaultdict(list)
    for row in rows:
        groups[(row.grid.community or row.grid.code, row.issue.category)].append(row)
    by_issue: dict[int, list[IssueEvent]] = defaultdict(list)
    for event in events:
        by_issue[event.issue_id].append(event)
    topics = [
        _topic(community, category, found, by_issue)
        for (community, category), found in groups.items()
        if len(found) >= settings.topic_issues
        or max(row.supporters for row in found) >= settings.topic_supporters
    ]
    topics.sort(key=lambda t: (-t.count, -t.supporters, t.numbers[0]))
    return topics


def _topic(
    community: str, category: str, found: list[ReportIssue], events: dict[int, list[IssueEvent]]
) -> Topic:
    grids = {row.grid.code: f"{row.grid.code} {row.grid.name}" for row in found}
    counts = Counter(row.issue.status for row in found)
    names = sorted({row.issue.reporter_name for row in found}, key=len, reverse=True)
    steps = [
        Step(event.issue_id, event.at, event.action, _clean(event.note, names))
        for row in found
        for event in events.get(row.issue.id, [])
        if event.action in DONE_ACTIONS and event.note.strip()
    ]
    steps.sort(key=lambda step: step.at)
    return Topic(
        category=category, community=community, grids=tuple(sorted(grids.values())),
        numbers=tuple(row.issue.id for row in found),
        supporters=sum(row.supporters for row in found),
        first=min(row.issue.created_at for row in found),
        last=max(row.issue.created_at for row in found),
        quotes=_quotes(found, names),
        statuses=tuple((LABELS[s], counts[s]) for s in Status if counts[s]),
        steps=tuple(steps[-STEPS:]),
    )  # fmt: skip


def _quotes(found: list[ReportIssue], names: Sequence[str]) -> tuple[str, ...]:
    """The words of the most seconded reports, masked, without the reporters' names."""
    chosen: list[str] = []
    for row in sorted(found, key=lambda r: (-r.supporters, r.issue.id)):
        text = _clean(row.issue.text, names)
        if text and text not in chosen:
            chosen.append(text)
        if len(chosen) == QUOTES:
            break
    return tuple(chosen)


def _clean(text: str, names: Sequence[str]) -> str:
    """One line, phones and ID numbers masked, the given names as ×××, clipped."""
    for name in names:
        if len(name) >= 2:
            text = text.replace(name, NAME_HIDDEN)
    text = mask(" ".join(text.split()))
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


async def topic_count(
    services: Services, grid_ids: Sequence[int] | None, start: datetime, end: datetime
) -> int:
    """How many topics recur among the issues of these grids created in [start, end)."""
    rows = await services.store.sqmy.issues(start, end)
    kept = [row for row in rows if grid_ids is None or row.grid.id in grid_ids]
    return len(recurring(services, kept, []))
