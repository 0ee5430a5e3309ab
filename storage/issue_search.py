"""Queries behind the web app's issue list and Open311's requests: filtered, paged SELECTs,
so a county (1,505 grids, 100,000 issues) answers at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from storage.database import Database
from storage.issue_rows import SUPPORTERS, event_from, issue_from
from storage.records import Issue, IssueEvent
from storage.report_records import LedgerRow
from storage.schema import grids, issue_events, issues, members
from storage.stats import late_at
from storage.statuses import FINAL, OPEN, Status

# Open311's `closed`: solved (awaiting only the rating) or finished.
CLOSED = tuple(sorted(FINAL | {Status.RESOLVED}))


@dataclass(frozen=True)
class IssueQuery:
    """What the issue list is narrowed to; None is no bound. `grid_ids` is the viewer's scope
    already intersected with any chosen grid; `reporter_id` keeps a resident to their own."""

    grid_ids: tuple[int, ...] | None = None
    reporter_id: int | None = None
    category: str | None = None
    statuses: tuple[str, ...] | None = None
    start: datetime | None = None
    end: datetime | None = None
    overdue_at: datetime | None = None  # only issues overdue at this moment
    today: str = ""  # the local date of overdue_at, as plan dates are stored
    urgent: bool | None = None
    text: str | None = None
    ids: tuple[int, ...] | None = None
    categories: tuple[str, ...] | None = None  # any of these (Open311's service codes)


@dataclass(frozen=True)
class IssuePage:
    total: int
    rows: list[LedgerRow]


@dataclass(frozen=True)
class RequestRow:
    """An issue as Open311 reports it: with its last change and its latest step's note."""

    issue: Issue
    updated_at: datetime
    note: str


def _where(query: Any, q: IssueQuery) -> Any:
    c = issues.c
    conditions: list[Any] = []
    if q.grid_ids is not None:
        conditions.append(c.grid_id.in_(list(q.grid_ids)))
    if q.reporter_id is not None:
        conditions.append(c.reporter_id == q.reporter_id)
    if q.category:
        conditions.append(c.category == q.category)
    if q.statuses:
        conditions.append(c.status.in_(list(q.statuses)))
    if q.start is not None:
        conditions.append(c.created_at >= q.start)
    if q.end is not None:
        conditions.append(c.created_at < q.end)
    if q.overdue_at is not None:
        conditions.append(late_at(q.overdue_at, q.today))
    if q.urgent is not None:
        conditions.append(c.urgent.is_(q.urgent))
    if q.text:
        pattern = "%" + q.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(c.text.like(pattern, escape="\\"))
    if q.ids is not None:
        conditions.append(c.id.in_(list(q.ids)))
    if q.categories is not None:
        conditions.append(c.category.in_(list(q.categories)))
    return query.where(*conditions) if conditions else query


class IssueSearchStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def search(
        self, q: IssueQuery, limit: int, offset: int = 0, longest_overdue: bool = False
    ) -> IssuePage:
        """One page of the issues matching `q` (newest first, or the longest overdue first),
        and how many match in all."""
        count_query = _where(select(func.count()).select_from(issues), q)
        async with self.db.read() as conn:
            total = int((await conn.execute(count_query)).scalar_one())
            rows = await self._page(conn, q, limit, offset, longest_overdue) if total else []
        return IssuePage(total, rows)

    async def page(
        self, q: IssueQuery, limit: int, offset: int = 0, longest_overdue: bool = False
    ) -> list[LedgerRow]:
        """search()'s page alone, for a caller that has the count already."""
        async with self.db.read() as conn:
            return await self._page(conn, q, limit, offset, longest_overdue)

    @staticmethod
    async def _page(
        conn: Any, q: IssueQuery, limit: int, offset: int, longest_overdue: bool
    ) -> list[LedgerRow]:
        """The page's numbers are found first, so names and supporters are looked up for
        those rows only."""
        c = issues.c
        order = (c.respond_by, c.id) if longest_overdue else (c.id.desc(),)
        page = _where(select(c.id), q).order_by(*order).limit(limit).offset(offset).subquery()
        assignee = members.c.name.label("assignee")
        rows_query = (
            select(issues, grids.c.code.label("grid_code"), assignee, SUPPORTERS)
            .join(page, page.c.id == c.id)
            .join(grids, grids.c.id == c.grid_id)
            .outerjoin(members, members.c.id == c.assignee_id)
            .order_by(*order)
        )
        return [
            LedgerRow(issue_from(row), row.grid_code, row.assignee or "", row.supporters)
            for row in await conn.execute(rows_query)
        ]

    async def events(self, q: IssueQuery) -> list[IssueEvent]:
        """The timeline events of every issue matching `q`, issue by issue."""
        e = issue_events.c
        query = _where(
            select(issue_events).join(issues, issues.c.id == e.issue_id), q
        ).order_by(e.issue_id, e.at, e.id)
        async with self.db.read() as conn:
            return [event_from(row) for row in await conn.execute(query)]

    async def requests(
        self, q: IssueQuery, closed: bool | None, limit: int
    ) -> list[RequestRow]:
        """Issues for Open311, newest first: each with its last change and latest note."""
        e = issue_events.c
        updated = (
            select(func.max(e.at)).where(e.issue_id == issues.c.id).scalar_subquery()
        ).label("updated")
        note = (
            select(e.note).where(e.issue_id == issues.c.id, e.note != "")
            .order_by(e.at.desc(), e.id.desc()).limit(1).scalar_subquery().label("latest_note")
        )  # fmt: skip
        query = _where(select(issues, updated, note), q).order_by(issues.c.id.desc()).limit(limit)
        if closed is not None:
            query = query.where(issues.c.status.in_(CLOSED if closed else OPEN))
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [
            RequestRow(issue_from(row), row.updated or row.created_at, row.latest_note or "")
            for row in rows
        ]
