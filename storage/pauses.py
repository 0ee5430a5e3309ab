"""Pauses of an issue's clock: begun and ended in the same transaction as the change that
causes them, so a pause is never left open by a change that did not happen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database
from storage.issue_rows import fetch_issue, insert_event
from storage.outbox import enqueue
from storage.records import Issue, IssueChange, IssueEvent, MessagesFor, Pause
from storage.schema import issue_pauses, issues

ASK = "ask"


def asking() -> ColumnElement[bool]:
    """True for an issue whose member is waiting for the resident's answer."""
    p = issue_pauses.c
    return exists().where(p.issue_id == issues.c.id, p.reason == ASK, p.ended_at.is_(None))


def _pause(row: Any) -> Pause:
    return Pause(**{name: getattr(row, name) for name in Pause.__dataclass_fields__})


async def begin(conn: AsyncConnection, pause: Pause) -> None:
    values = {k: v for k, v in vars(pause).items() if k != "id"}
    await conn.execute(insert(issue_pauses).values(**values))


async def finish(conn: AsyncConnection, issue_id: int, at: datetime, how: str) -> bool:
    """End the issue's open pause; False when there was none (someone ended it already)."""
    c = issue_pauses.c
    result = await conn.execute(
        update(issue_pauses)
        .where(c.issue_id == issue_id, c.ended_at.is_(None))
        .values(ended_at=at, ended_how=how)
    )
    return bool(result.rowcount)


class PauseStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def open_for(self, issue_id: int) -> Pause | None:
        c = issue_pauses.c
        query = select(issue_pauses).where(c.issue_id == issue_id, c.ended_at.is_(None))
        async with self.db.read() as conn:
            row = (await conn.execute(query.order_by(c.id.desc()).limit(1))).first()
        return _pause(row) if row else None

    async def of_issue(self, issue_id: int) -> list[Pause]:
        c = issue_pauses.c
        query = select(issue_pauses).where(c.issue_id == issue_id).order_by(c.started_at, c.id)
        async with self.db.read() as conn:
            return [_pause(row) for row in await conn.execute(query)]

    async def overdue_asks(self, now: datetime, grid_ids: Sequence[int] | None) -> list[Pause]:
        """Open /ask pauses whose wait is over."""
        c = issue_pauses.c
        query = (
            select(issue_pauses)
            .join(issues, issues.c.id == c.issue_id)
            .where(c.reason == ASK, c.ended_at.is_(None), c.until <= now)
            .order_by(c.id)
        )
        if grid_ids is not None:
            query = query.where(issues.c.grid_id.in_(list(grid_ids)))
        async with self.db.read() as conn:
            return [_pause(row) for row in await conn.execute(query)]

    async def end(
        self,
        issue_id: int,
        how: str,
        change: IssueChange,
        event: IssueEvent,
        messages_for: MessagesFor,
    ) -> Issue | None:
        """End the open pause, move the deadlines, record and owe; None if it had ended."""
        async with self.db.transaction() as conn:
            if not await finish(conn, issue_id, event.at, how):
                return None
            if columns := change.columns():
                await conn.execute(update(issues).where(issues.c.id == issue_id).values(**columns))
            issue = await fetch_issue(conn, issue_id)
            await insert_event(conn, event, issue_id)
            await enqueue(conn, messages_for(issue))
        return issue
