"""Queries behind the web app's overview: GROUP BY counts per grid and per week, and the
meetings to come, so a county (1,505 grids, 100,000 issues) answers at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select, union_all

from storage.database import Database
from storage.meeting_records import Meeting
from storage.meetings import _load as load_meetings
from storage.report_records import Figures
from storage.schema import issue_events, issues, meetings
from storage.stats import late_at
from storage.statuses import NOT_COUNTED

VERDICTS = ("satisfied", "unsatisfied")


@dataclass(frozen=True)
class WeekCounts:
    """One week of the trend: the counts behind the three rates (as Figures has them)."""

    week: int  # 0 the oldest
    total: int = 0
    due: int = 0
    responded: int = 0
    solved: int = 0
    rated: int = 0
    satisfied: int = 0


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _week_of(column: Any, bounds: Sequence[datetime]) -> Any:
    """The index of the week [bounds[i], bounds[i+1]) a moment falls in; NULL outside."""
    whens = [
        (and_(column >= bounds[i], column < bounds[i + 1]), i) for i in range(len(bounds) - 1)
    ]
    return case(*whens, else_=None)


def _rate_counts(end: datetime) -> list[Any]:
    """Of the issues selected: how many, due by `end` (or answered), answered in time, solved."""
    c = issues.c
    return [
        func.count(), _count(c.taken_at.is_not(None) | (c.respond_by <= end)),
        _count(c.taken_at <= c.respond_by), _count(c.resolved_at.is_not(None)),
    ]  # fmt: skip


def _scoped(query: Any, grid_ids: Sequence[int] | None) -> Any:
    return query if grid_ids is None else query.where(issues.c.grid_id.in_(list(grid_ids)))


def _events_of(query: Any, grid_ids: Sequence[int] | None) -> Any:
    """A query over issue events kept to those of these grids' issues. As a list of issue
    numbers, not a condition on a joined issue: SQLite then looks up only the issues of the
    events kept (a member's seven grids: 5 ms instead of 100)."""
    if grid_ids is None:
        return query
    scope = select(issues.c.id).where(issues.c.grid_id.in_(list(grid_ids)))
    return query.where(issue_events.c.issue_id.in_(scope))


class DashboardStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def grid_figures(
        self, start: datetime, end: datetime, today: str, grid_ids: Sequence[int] | None
    ) -> list[Figures]:
        """The counts behind the three rates per grid, as StatsStore.figures counts them, in
        three narrow queries (registered in the period; overdue now; verdicts given)."""
        c = issues.c
        # On SQLite the creation time as an expression, not the bare column: a range on the
        # column would steer SQLite to the creation index and a sort of the period's rows by
        # grid; the grid index hands them over grouped already (a county: 100,000 in ~35 ms).
        # PostgreSQL, though, then cannot estimate the range (475 rows of 95,000), so it
        # sorted them for a GroupAggregate and spilled the sort to disk (91 days: 166 ms);
        # with the bare column it hashes them: 56 ms, and 28 days 11 ms from the index.
        created: Any = c.created_at
        if self.db.dialect == "sqlite":
            created = func.coalesce(c.created_at, c.created_at)
        registered = _scoped(
            select(c.grid_id, *_rate_counts(end))
            .where(created >= start, created < end, c.status.not_in(NOT_COUNTED))
            .group_by(c.grid_id),
            grid_ids,
        )
        # `grid_id + 0`: grouping by the bare column would make SQLite walk the grid index
        # and read every row, instead of the few open ones through their own index.
        late_grid = (c.grid_id + 0).label("grid")
        late = _scoped(
            select(late_grid, func.count()).where(late_at(end, today)).group_by(late_grid),
            grid_ids,
        )
        e = issue_events.c
        votes = _events_of(
            select(c.grid_id, func.count(), _count(e.action == "satisfied"))
            .join(issues, c.id == e.issue_id)
            .where(e.action.in_(VERDICTS), e.at >= start, e.at < end)
            .group_by(c.grid_id),
            grid_ids,
        )
        queries = (registered, late, votes)
        if self.db.dialect == "postgresql":
            # Each on its connection, so three server processes count at once: the overview's
            # slowest read, this one, took their sum (a county, 91 days: 170 -> 130 ms median).
            found_rows = await asyncio.gather(*(self._rows(query) for query in queries))
        else:
            # SQLite's pool of four is taken by the overview's four reads already; more
            # would open (and close) overflow connections, each with a cold page cache.
            async with self.db.read() as conn:
                found_rows = [list(await conn.execute(query)) for query in queries]
        counts = {row[0]: tuple(row[1:]) for row in found_rows[0]}
        overdue_now = {row[0]: row[1] for row in found_rows[1]}
        rated = {row[0]: tuple(row[1:]) for row in found_rows[2]}
        found = []
        for grid in sorted(set(counts) | set(overdue_now) | set(rated)):
            total, due, responded, solved = counts.get(grid, (0, 0, 0, 0))
            given, happy = rated.get(grid, (0, 0))
            late_now = overdue_now.get(grid, 0)
            found.append(
                Figures(grid, None, total, due, responded, solved, late_now, given, happy)
            )
        return found

    async def _rows(self, query: Any) -> list[Any]:
        """A query's rows, read on a connection of its own."""
        async with self.db.read() as conn:
            return list(await conn.execute(query))

    async def trend(
        self, bounds: Sequence[datetime], grid_ids: Sequence[int] | None
    ) -> list[WeekCounts]:
        """Per week between consecutive `bounds`: issues registered (less rejected and merged)
        and, of those, due, answered in time and solved by now; verdicts given that week."""
        c = issues.c
        end = bounds[-1]
        # One range of the creation index per week: cheaper than a CASE on every row.
        weeks = union_all(*(
            _scoped(
                select(literal_column(str(i)).label("week"), *_rate_counts(end))
                .where(c.created_at >= bounds[i], c.created_at < bounds[i + 1])
                .where(c.status.not_in(NOT_COUNTED)),
                grid_ids,
            )
            for i in range(len(bounds) - 1)
        ))  # fmt: skip
        e = issue_events.c
        voted = _week_of(e.at, bounds).label("week")
        verdicts = (
            select(voted, func.count(), _count(e.action == "satisfied"))
            .where(e.action.in_(VERDICTS), e.at >= bounds[0], e.at < end)
            .group_by(voted)
        )
        verdicts = _events_of(verdicts, grid_ids)
        async with self.db.read() as conn:
            counts = {row[0]: tuple(row[1:]) for row in await conn.execute(weeks)}
            votes = {row[0]: tuple(row[1:]) for row in await conn.execute(verdicts)}
        return [
            WeekCounts(i, *counts.get(i, (0, 0, 0, 0)), *votes.get(i, (0, 0)))
            for i in range(len(bounds) - 1)
        ]

    async def upcoming(
        self, now: datetime, grid_ids: Sequence[int] | None, limit: int
    ) -> list[Meeting]:
        """Meetings and online consultations not yet held or closed, soonest first."""
        where: Any = (meetings.c.status == "scheduled") & or_(
            meetings.c.starts_at >= now, meetings.c.ends_at >= now
        )
        if grid_ids is not None:
            where = where & meetings.c.grid_id.in_(list(grid_ids))
        async with self.db.read() as conn:
            return await load_meetings(conn, where, limit)
