"""Figures for digests, /stats and spot checks: GROUP BY queries, never a loop over issues.

Overdue means what bot/deadlines.py says, spelt in SQL: an issue waiting on a department
(escalated) or on the resident's answer (/ask) never is; a planned one only once its plan date
has passed. The deadlines themselves are counted on working days where the limit is (and
moved on by every pause), so comparing with them is comparing on working time.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from storage.database import Database
from storage.issue_rows import issue_from
from storage.pauses import asking
from storage.records import Issue
from storage.report_records import Figures, GridWeek, LedgerRow
from storage.schema import grids, issue_events, issues, members
from storage.statuses import ACTIVE, ANSWERED, NOT_COUNTED, OPEN, WATCHED, Status

CAN_BE_LATE = tuple(sorted(WATCHED))  # a department's issue waits on it, not on the member


def overdue(at: datetime, today: str) -> ColumnElement[bool]:
    """Open and past its limit at `at`; `today` is the local date of `at` (YYYY-MM-DD)."""
    c = issues.c
    return ~asking() & or_(
        c.status.in_(ACTIVE) & (c.solve_by < at),
        (c.status == Status.NEW) & (c.respond_by < at),
        (c.status == Status.PLANNED) & (c.plan_date < today) & (c.solve_by < at),
    )


def late_at(at: datetime, today: str) -> ColumnElement[bool]:
    """Overdue at `at`, led by the statuses that can be: the status index then finds the few
    open issues instead of a scan."""
    return issues.c.status.in_(CAN_BE_LATE) & overdue(at, today)


def solve_due(at: datetime, today: str) -> ColumnElement[bool]:
    """Solved, or past the solve limit and not waiting: what 按时办结率 divides by."""
    c = issues.c
    return or_(
        c.resolved_at.is_not(None),
        ~asking() & c.status.in_(ACTIVE) & (c.solve_by < at),
        ~asking() & (c.status == Status.PLANNED) & (c.plan_date < today) & (c.solve_by < at),
    )


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _only(query: Any, grid_ids: Sequence[int] | None) -> Any:
    return query if grid_ids is None else query.where(issues.c.grid_id.in_(list(grid_ids)))


class StatsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def week(
        self, start: datetime, end: datetime, today: str, grid_ids: Sequence[int] | None = None
    ) -> dict[int, GridWeek]:
        """New, solved, open and overdue issues per grid for the week [start, end)."""
        c = issues.c
        query = select(
            c.grid_id,
            _count(_in(c.created_at, start, end)),
            _count(_in(c.resolved_at, start, end)),
            _count(c.status.in_(OPEN) & (c.created_at < end)),
            _count(overdue(end, today)),
        ).group_by(c.grid_id)
        rows = await self._rows(_only(query, grid_ids))
        return {row[0]: GridWeek(*row) for row in rows}

    async def weekly(
        self, starts: Sequence[datetime], end: datetime, grid_ids: Sequence[int] | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """(new, solved) per grid in each week [starts[i], starts[i+1]) (the last up to
        `end`): one GROUP BY with a pair of sums per week."""
        c = issues.c
        bounds = [*starts, end]
        columns = []
        for start, stop in itertools.pairwise(bounds):
            columns += [
                _count(_in(c.created_at, start, stop)),
                _count(_in(c.resolved_at, start, stop)),
            ]
        query = (
            select(c.grid_id, *columns)
            .where(or_(_in(c.created_at, bounds[0], end), _in(c.resolved_at, bounds[0], end)))
            .group_by(c.grid_id)
        )
        return {
            row[0]: [(int(row[i]), int(row[i + 1])) for i in range(1, len(row), 2)]
            for row in await self._rows(_only(query, grid_ids))
        }

    async def categories(
        self, start: datetime, end: datetime, grid_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, int]]:
        """Issues registered in [start, end) per grid and category."""
        query = (
            select(issues.c.grid_id, issues.c.category, func.count())
            .where(_in(issues.c.created_at, start, end))
            .group_by(issues.c.grid_id, issues.c.category)
        )
        found: dict[int, dict[str, int]] = defaultdict(dict)
        for grid_id, category, count in await self._rows(_only(query, grid_ids)):
            found[grid_id][category] = count
        return found

    async def verdicts(
        self,
        start: datetime,
        end: datetime,
        grid_ids: Sequence[int] | None = None,
        by_member: bool = False,
    ) -> dict[tuple[int, int | None], tuple[int, int]]:
        """(rated, satisfied) per grid (and assignee): verdicts given in [start, end)."""
        keys = [issues.c.grid_id, issues.c.assignee_id if by_member else None]
        columns = [key for key in keys if key is not None]
        query = (
            select(*columns, func.count(), _count(issue_events.c.action == "satisfied"))
            .join(issues, issues.c.id == issue_events.c.issue_id)
            .where(issue_events.c.action.in_(("satisfied", "unsatisfied")))
            .where(_in(issue_events.c.at, start, end))
            .group_by(*columns)
        )
        rows = await self._rows(_only(query, grid_ids))
        if by_member:
            return {(row[0], row[1]): (row[2], row[3]) for row in rows}
        return {(row[0], None): (row[1], row[2]) for row in rows}

    async def self_rated(
        self, start: datetime, end: datetime, grid_ids: Sequence[int] | None = None
    ) -> int:
        """Verdicts given in [start, end) by staff on issues they reported: not in 满意率."""
        query = (
            select(func.count())
            .select_from(issue_events.join(issues, issues.c.id == issue_events.c.issue_id))
            .where(issue_events.c.action == "self_rated", _in(issue_events.c.at, start, end))
        )
        rows = await self._rows(_only(query, grid_ids))
        return int(rows[0][0]) if rows else 0

    async def oldest_open(
        self, end: datetime, per_grid: int, grid_ids: Sequence[int] | None = None
    ) -> dict[int, list[Issue]]:
        """The `per_grid` longest-waiting open issues of each grid, the longest first. The
        open issues are ranked by their numbers alone, and only the winners read whole: a
        county's 40,000 open issues sorted with their texts took SQLite 150 ms, 91 this way
        (PostgreSQL 72 and 70 ms)."""
        c = issues.c
        order = (c.created_at, c.id)
        rank = func.row_number().over(partition_by=c.grid_id, order_by=order)
        ranked = _only(
            select(c.id, rank.label("rank")).where(c.status.in_(OPEN), c.created_at < end),
            grid_ids,
        ).subquery()
        query = (
            select(issues)
            .join(ranked, ranked.c.id == c.id)
            .where(ranked.c.rank <= per_grid)
            .order_by(c.grid_id, *order)
        )
        found: dict[int, list[Issue]] = defaultdict(list)
        for row in await self._rows(query):
            found[row.grid_id].append(issue_from(row))
        return found

    async def figures(
        self,
        start: datetime,
        end: datetime,
        today: str,
        grid_ids: Sequence[int] | None = None,
        by_member: bool = False,
    ) -> list[Figures]:
        """Response, solution and satisfaction counts per grid (or per grid and member)."""
        c = issues.c
        counted = _in(c.created_at, start, end) & c.status.not_in(NOT_COUNTED)
        keys = [c.grid_id, c.assignee_id] if by_member else [c.grid_id]
        query = (
            select(
                *keys,
                _count(counted),
                _count(counted & (c.taken_at.is_not(None) | (c.respond_by <= end))),
                _count(counted & c.taken_at.is_not(None)),
                _count(counted & (c.taken_at <= c.respond_by)),
                _count(counted & c.resolved_at.is_not(None)),
                _count(overdue(end, today)),
                _count(counted & solve_due(end, today)),
                _count(counted & (c.resolved_at <= c.solve_by)),
            )
            .where(counted | overdue(end, today))
            .group_by(*keys)
        )
        rated = await self.verdicts(start, end, grid_ids, by_member)
        found = []
        for row in await self._rows(_only(query, grid_ids)):
            key = (row[0], row[1] if by_member else None)
            total, due, responded, on_time, solved, late, solve_due_, solved_in_time = row[
                len(keys) :
            ]
            votes, happy = rated.pop(key, (0, 0))
            found.append(
                Figures(
                    key[0], key[1], total=total, due=due, responded=responded,
                    solved=solved, overdue=late, rated=votes, satisfied=happy,
                    responded_on_time=on_time, solve_due=solve_due_,
                    solved_on_time=solved_in_time,
                )
            )  # fmt: skip
        found.extend(Figures(g, m, rated=r, satisfied=s) for (g, m), (r, s) in rated.items())
        return found

    async def overdue_items(
        self, end: datetime, today: str, grid_ids: Sequence[int] | None, limit: int
    ) -> list[LedgerRow]:
        """Open issues past their limit, longest overdue first."""
        query = _ledger_query().where(overdue(end, today)).order_by(issues.c.respond_by)
        return await self._ledger(_only(query, grid_ids).limit(limit))

    async def closed_between(
        self, start: datetime, end: datetime, grid_ids: Sequence[int] | None = None
    ) -> list[LedgerRow]:
        """Issues a member finished (办结, 不予受理) in [start, end): what spot checks sample."""
        query = (
            _ledger_query()
            .where(issues.c.status.in_(ANSWERED))
            .where(issues.c.assignee_id.is_not(None), _in(issues.c.closed_at, start, end))
            .order_by(issues.c.id)
        )
        return await self._ledger(_only(query, grid_ids))

    async def _rows(self, query: Any) -> list[Any]:
        async with self.db.read() as conn:
            return list((await conn.execute(query)).all())

    async def _ledger(self, query: Any) -> list[LedgerRow]:
        return [
            LedgerRow(issue_from(row), row.grid_code, row.assignee or "", 0, row.grid_name)
            for row in await self._rows(query)
        ]


def _ledger_query() -> Any:
    return (
        select(
            issues,
            grids.c.code.label("grid_code"),
            grids.c.name.label("grid_name"),
            members.c.name.label("assignee"),
        )
        .join(grids, grids.c.id == issues.c.grid_id)
        .outerjoin(members, members.c.id == issues.c.assignee_id)
    )
