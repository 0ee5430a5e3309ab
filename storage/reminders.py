"""Reminders, hand-overs and escalations: which issues are due, and each done once per kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from storage.database import Database
from storage.issue_rows import fetch_issue, insert_event, issue_from
from storage.outbox import enqueue
from storage.pauses import asking
from storage.records import Issue, IssueEvent, MessagesFor, OutgoingMessage
from storage.schema import issue_reminders, issues
from storage.statuses import WATCHED, Status
from storage.upsert import insert_ignore


class _Moved(Exception):
    """The issue changed status meanwhile: undo the claim with the rest of the transaction."""


class ReminderStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def nearing(
        self, respond_horizon: datetime, solve_horizon: datetime, grid_ids: Sequence[int] | None
    ) -> list[Issue]:
        """Open issues with a limit before the horizons; the rules decide on each exactly."""
        query = (
            select(issues)
            .where(issues.c.status.in_(WATCHED), ~asking())  # the clock stands while asking
            .where(
                or_(
                    (issues.c.status == Status.NEW) & (issues.c.respond_by <= respond_horizon),
                    issues.c.solve_by <= solve_horizon,
                )
            )
            .order_by(issues.c.id)
        )
        return await self._issues(query, grid_ids)

    async def unrated_since(self, cutoff: datetime, grid_ids: Sequence[int] | None) -> list[Issue]:
        """Solved issues still waiting for the reporter's verdict since before `cutoff`."""
        query = (
            select(issues)
            .where(issues.c.status == Status.RESOLVED, issues.c.resolved_at <= cutoff)
            .order_by(issues.c.id)
        )
        return await self._issues(query, grid_ids)

    async def done(self, issue_ids: Iterable[int]) -> dict[int, dict[str, datetime]]:
        """Per issue, the kinds already done and when."""
        ids = list(issue_ids)
        found: dict[int, dict[str, datetime]] = defaultdict(dict)
        c = issue_reminders.c
        async with self.db.read() as conn:
            rows = await conn.execute(select(c.issue_id, c.kind, c.at).where(c.issue_id.in_(ids)))
            for issue_id, kind, at in rows:
                found[issue_id][kind] = at
        return found

    async def record(
        self, issue_id: int, kind: str, at: datetime, messages: Sequence[OutgoingMessage]
    ) -> bool:
        """Claim (issue, kind) and queue its messages together; False if it was done before."""
        async with self.db.transaction() as conn:
            if not await _claim(conn, issue_id, kind, at):
                return False
            await enqueue(conn, messages)
        return True

    async def record_change(
        self,
        kind: str,
        expected_status: str,
        changes: dict[str, Any],
        event: IssueEvent,
        messages_for: MessagesFor,
    ) -> Issue | None:
        """Claim (issue, kind) and change the issue in one transaction; None if either fails."""
        try:
            async with self.db.transaction() as conn:
                if not await _claim(conn, event.issue_id, kind, event.at):
                    return None
                result = await conn.execute(
                    update(issues)
                    .where(issues.c.id == event.issue_id, issues.c.status == expected_status)
                    .values(**changes)
                )
                if not result.rowcount:
                    raise _Moved
                issue = await fetch_issue(conn, event.issue_id)
                await insert_event(conn, event, event.issue_id)
                await enqueue(conn, messages_for(issue))
        except _Moved:
            return None
        return issue

    async def _issues(self, query: Any, grid_ids: Sequence[int] | None) -> list[Issue]:
        if grid_ids is not None:
            query = query.where(issues.c.grid_id.in_(list(grid_ids)))
        async with self.db.read() as conn:
            return [issue_from(row) for row in await conn.execute(query)]


async def _claim(conn: Any, issue_id: int, kind: str, at: datetime) -> bool:
    return await insert_ignore(
        conn, issue_reminders, {"issue_id": issue_id, "kind": kind, "at": at}
    )
