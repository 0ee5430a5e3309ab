"""The issues behind 社情民意 reports: those of a period, with their grids and supporters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.issue_rows import SUPPORTERS, created_between, issue_from
from storage.records import Grid
from storage.report_records import ReportIssue
from storage.roster_cache import grid_of
from storage.schema import grids, issues
from storage.statuses import NOT_COUNTED

# Not a problem of the community any more, or counted under another issue already.


class SqmyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def issues(
        self, start: datetime | None, end: datetime | None, grid_ids: Sequence[int] | None = None
    ) -> list[ReportIssue]:
        """Issues created in [start, end), less rejected and merged ones, oldest first; of
        these grids only, unless None."""
        columns = [column.label(f"g_{column.name}") for column in grids.c]
        query = created_between(
            select(issues, *columns, SUPPORTERS)
            .join(grids, grids.c.id == issues.c.grid_id)
            .where(issues.c.status.not_in(NOT_COUNTED))
            .order_by(issues.c.id),
            start, end,
        )  # fmt: skip
        if grid_ids is not None:
            query = query.where(issues.c.grid_id.in_(list(grid_ids)))
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        seen: dict[int, Grid] = {}  # one Grid a grid, not one a row
        return [
            ReportIssue(issue_from(row), seen.get(row.grid_id) or seen.setdefault(row.grid_id,
                        _grid_of(row)), row.supporters)
            for row in rows
        ]  # fmt: skip


def _grid_of(row: Any) -> Grid:
    mapping = row._mapping
    return grid_of(SimpleNamespace(**{c.name: mapping[f"g_{c.name}"] for c in grids.c}))
