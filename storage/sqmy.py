"""The issues behind 社情民意 reports: those of a period, with their grids and supporters."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.issues import SUPPORTERS, _issue, created_between
from storage.records import Grid, ReportIssue
from storage.roster_cache import grid_of
from storage.schema import grids, issues
from storage.statuses import NOT_COUNTED

# Not a problem of the community any more, or counted under another issue already.


class SqmyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def issues(self, start: datetime | None, end: datetime | None) -> list[ReportIssue]:
        """Issues created in [start, end), less rejected and merged ones, oldest first."""
        columns = [column.label(f"g_{column.name}") for column in grids.c]
        query = created_between(
            select(issues, *columns, SUPPORTERS)
            .join(grids, grids.c.id == issues.c.grid_id)
            .where(issues.c.status.not_in(NOT_COUNTED))
            .order_by(issues.c.id),
            start, end,
        )  # fmt: skip
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [ReportIssue(_issue(row), _grid_of(row), row.supporters) for row in rows]


def _grid_of(row: Any) -> Grid:
    mapping = row._mapping
    return grid_of(SimpleNamespace(**{c.name: mapping[f"g_{c.name}"] for c in grids.c}))
