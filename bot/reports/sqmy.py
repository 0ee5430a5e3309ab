"""社情民意 drafts: the issues of a period grouped into recurring topics, each with its facts,
residents' words (masked, without names), what was done so far, and room for a 建议.

A topic is one problem in one community (a grid outside any community counts as its own): a
category's issues there are split by what they are about, two issues meeting when their
taxonomy keywords do (路灯 / 路灯坏) or, lacking keywords, when their words are alike
(bot/classify/similarity.py). 路灯, 井盖 and 停水 are three topics, not one 市政设施. A topic
recurs when it holds `topic_issues` issues (default 3) in the period, or one of its issues
has `topic_supporters` supporters (default 5). Rejected and merged issues do not count.
Rendering: bot/reports/sqmy_render.py.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.classify import similarity
from bot.classify.textnorm import Normalizer
from bot.lifecycle import LABELS
from bot.privacy import excerpt
from bot.services import Services
from bot.timefmt import start_of_day
from storage.records import IssueEvent
from storage.report_records import ReportIssue
from storage.statuses import Status

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30  # without --from: the month up to --to (or today)
QUOTES = 3
QUOTE_LIMIT = 120
NAME_HIDDEN = "×××"  # how official documents leave a name out
STEPS = 5
# Timeline steps that say what was done, with a note worth quoting.
DONE_ACTIONS = ("progress", "plan", "escalate", "done", "consult", "reject")
# Internal numbers mean nothing to the reader: "#3", "（编号 1）" leave the body (the
# appendix table keeps the issue numbers for the office's own tracing).
_CODES = re.compile(r"\s*[（(]编号\s*\d+[)）]|\s*#\d+")


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
    grids: tuple[str, ...]  # the grids' names: 幸福里第一网格
    numbers: tuple[int, ...]
    supporters: int
    first: datetime
    last: datetime
    quotes: tuple[str, ...]
    statuses: tuple[tuple[str, int], ...]  # (label, count), in lifecycle order
    steps: tuple[Step, ...]
    subject: str = ""  # what the issues are about: 路灯 (the category when nothing better)
    codes: tuple[str, ...] = ()  # the grids' codes, for the appendix only

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
    grid_name = await _check(services, filters)
    start, end = window(filters, now.astimezone(zone).date())
    since, until = start_of_day(start, zone), start_of_day(end + timedelta(days=1), zone)
    found = [row for row in await services.store.sqmy.issues(since, until) if _kept(row, filters)]
    events = await services.store.issues.events_between(since, until)
    topics = recurring(services, found, events)
    logger.info("sqmy %s..%s: %d issues, %d topics", start, end, len(found), len(topics))
    return Report(start, end, _scope(filters, grid_name), tuple(topics), now)


async def _check(services: Services, filters: Filters) -> str:
    """The grid's name, if one is asked for (the reader is told names, not codes)."""
    grid = await services.store.grids.by_code(filters.grid) if filters.grid else None
    if filters.grid and grid is None:
        raise ReportError(f"no grid with code {filters.grid!r}")
    if filters.community:
        known = {each.community for each in await services.store.grids.all()}
        if filters.community not in known:
            raise ReportError(f"no community named {filters.community!r}")
    if filters.category:
        names = [category.name for category in services.taxonomy.categories]
        if filters.category not in names:
            raise ReportError(f"no category {filters.category!r}; one of {'、'.join(names)}")
    return grid.name if grid else ""


def _kept(row: ReportIssue, filters: Filters) -> bool:
    return (
        (not filters.grid or row.grid.code == filters.grid)
        and (not filters.community or row.grid.community == filters.community)
        and (not filters.category or row.issue.category == filters.category)
        and (filters.within is None or row.grid.code in filters.within)
    )


def _scope(filters: Filters, grid_name: str) -> str:
    parts = [grid_name, filters.community or "", filters.category or ""]
    return "、".join(part for part in parts if part)


def recurring(
    services: Services, rows: Sequence[ReportIssue], events: Sequence[IssueEvent]
) -> list[Topic]:
    """The topics that recur among these issues, the largest first."""
    by_issue: dict[int, list[IssueEvent]] = defaultdict(list)
    for event in events:
        by_issue[event.issue_id].append(event)
    topics = [
        _topic(community, category, found, by_issue)
        for community, category, found in _recurring(services, rows)
    ]
    topics.sort(key=lambda t: (-t.count, -t.supporters, t.numbers[0]))
    return topics


def _recurring(
    services: Services, rows: Sequence[ReportIssue]
) -> list[tuple[str, str, list[ReportIssue]]]:
    """The problems that recur among these issues: community, category and their issues."""
    settings = services.settings
    groups: dict[tuple[str, str], list[ReportIssue]] = defaultdict(list)
    for row in rows:
        groups[(row.grid.community or row.grid.name, row.issue.category)].append(row)
    normalizer = services.classifier.normalizer
    return [
        (community, category, found)
        for (community, category), group in groups.items()
        for found in problems(normalizer, group)
        if len(found) >= settings.topic_issues
        or max(row.supporters for row in found) >= settings.topic_supporters
    ]


def problems(normalizer: Normalizer, rows: Sequence[ReportIssue]) -> list[list[ReportIssue]]:
    """One category's issues split by what they are about (joined when alike, transitively)."""
    profiles = [similarity.profile(normalizer, r.issue.text, r.issue.keywords) for r in rows]
    parent = list(range(len(rows)))

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    for i in range(len(rows)):
        for j in range(i):
            # Already joined (through others): comparing them could change nothing.
            if root(i) != root(j) and _about_the_same(profiles[i], profiles[j]):
                parent[root(i)] = root(j)
    clusters: dict[int, list[ReportIssue]] = defaultdict(list)
    for index, row in enumerate(rows):
        clusters[root(index)].append(row)
    return list(clusters.values())


def _about_the_same(a: similarity.Profile, b: similarity.Profile) -> bool:
    """Same keyword (by containment) when both have one; else alike words. Places do not
    part them: the lamps of 3号楼 and of 5号楼 are one problem for the office."""
    if a.keywords and b.keywords:
        return any(x in y or y in x for x in a.keywords for y in b.keywords)
    return similarity.cosine(a.characters, b.characters) >= similarity.THRESHOLD


def subject(found: Sequence[ReportIssue], category: str) -> str:
    """The keyword most of the issues share, the shortest of equals: 路灯 over 路灯坏."""
    counts: Counter[str] = Counter()
    for row in found:
        words = set(row.issue.keywords)
        counts.update(w for w in words if not any(o != w and o in w for o in words))
    if not counts:
        return category
    return min(counts, key=lambda word: (-counts[word], len(word), word))


def _topic(
    community: str, category: str, found: list[ReportIssue], events: dict[int, list[IssueEvent]]
) -> Topic:
    grids = {row.grid.code: row.grid.name for row in found}
    counts = Counter(row.issue.status for row in found)
    names = sorted({row.issue.reporter_name for row in found}, key=len, reverse=True)
    return Topic(
        category=category, community=community, grids=tuple(grids[c] for c in sorted(grids)),
        numbers=tuple(row.issue.id for row in found),
        supporters=sum(row.supporters for row in found),
        first=min(row.issue.created_at for row in found),
        last=max(row.issue.created_at for row in found),
        quotes=_quotes(found, names),
        statuses=tuple((LABELS[s], counts[s]) for s in Status if counts[s]),
        steps=tuple(steps(found, events, names)[-STEPS:]),
        subject=subject(found, category), codes=tuple(sorted(grids)),
    )  # fmt: skip


def steps(
    found: Sequence[ReportIssue], events: dict[int, list[IssueEvent]], names: Sequence[str]
) -> list[Step]:
    """What was done, oldest first, each step once: a 微协商 recorded on every issue it
    links is one step, not one per issue."""
    seen: set[tuple[str, str]] = set()
    kept = []
    everything = [e for row in found for e in events.get(row.issue.id, [])]
    for event in sorted(everything, key=lambda e: (e.at, e.issue_id)):
        note = _clean(_CODES.sub("", event.note), names)
        if event.action not in DONE_ACTIONS or not note or (event.action, note) in seen:
            continue
        seen.add((event.action, note))
        kept.append(Step(event.issue_id, event.at, event.action, note))
    return kept


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
    return excerpt(" ".join(text.split()), QUOTE_LIMIT)


async def topic_count(
    services: Services, grid_ids: Sequence[int] | None, start: datetime, end: datetime
) -> int:
    """How many topics recur among the issues of these grids created in [start, end). Only
    counted: the topics' quotes, steps and subjects are a draft's (a county's week: 829
    topics, 0.4 of the coordinators' digest's 1 s went to building and dropping them, and
    0.06 to keeping the grids' issues by a list instead of in the query)."""
    rows = await services.store.sqmy.issues(start, end, grid_ids)
    return len(_recurring(services, rows))
