"""Issues and their timelines; every change writes its event and owed messages atomically."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from storage import pauses
from storage.batching import Combined
from storage.database import Database
from storage.issue_rows import (
    BY_ID,
    SUPPORTERS,
    created_between,
    event_from,
    fetch_issue,
    insert_event,
    issue_from,
)
from storage.new_issues import NewIssue, insert_fresh, not_stored, source
from storage.outbox import enqueue
from storage.records import Issue, IssueChange, IssueDraft, IssueEvent, MessagesFor, Pause
from storage.report_records import LedgerRow
from storage.schema import grids, issue_events, issues, members


class _PauseGone(Exception):
    """The pause a change meant to end had ended: undo the change with its transaction."""


class IssueStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._creating: Combined[NewIssue, Issue | None] = Combined(
            self._create_group, self._create_one
        )

    async def create(
        self, draft: IssueDraft, event: IssueEvent, messages_for: MessagesFor
    ) -> Issue | None:
        """Store a new issue with its first event and owed messages; None if already stored.

        Reports arriving together (a busy minute, a backlog after downtime) are stored in
        one transaction, three statements for the lot; each caller still waits for its own."""
        return await self._creating.submit((draft, event, messages_for))

    async def _create_group(self, group: list[NewIssue]) -> list[Issue | None]:
        """All in one go; a message that has its issue already (re-delivered after a crash)
        is left out (new_issues._insert_issues). Any other trouble and each goes alone."""
        keys = [source(draft) for draft, _, _ in group]
        async with self.db.transaction() as conn:
            fresh = await not_stored(conn, group)
            pairs: list[tuple[NewIssue, Issue]] = []
            if fresh:
                pairs = await insert_fresh(conn, fresh)
        issued = {source(issue_draft): issue for (issue_draft, _, _), issue in pairs}
        return [issued.get(key) for key in keys]

    async def _create_one(self, new: NewIssue) -> Issue | None:
        """One issue in its own transaction: after a group failed, or for a group of one."""
        draft = new[0]
        try:
            async with self.db.transaction() as conn:
                created = await insert_fresh(conn, [new])
        except IntegrityError:
            # The same Telegram message came again (re-delivery): it already has its issue.
            if await self.by_message(draft.chat_id, draft.message_id) is None:
                raise
            return None
        return created[0][1] if created else None

    async def change(
        self,
        issue_id: int,
        expected_status: str,
        change: IssueChange,
        event: IssueEvent,
        messages_for: MessagesFor,
        *,
        ends_pause: bool = False,
        starts_pause: Pause | None = None,
    ) -> Issue | None:
        """Apply a change if the issue still has the expected status; None if it moved on.
        The issue's open pause ends, or a new one begins, with it."""
        try:
            async with self.db.transaction() as conn:
                result = await conn.execute(
                    update(issues)
                    .where(issues.c.id == issue_id, issues.c.status == expected_status)
                    .values(**change.columns())
                )
                if not result.rowcount:
                    return None
                # Ended meanwhile (the resident answered): its deadlines moved; decide again.
                if ends_pause and not await pauses.finish(conn, issue_id, event.at, event.action):
                    raise _PauseGone
                if starts_pause is not None:
                    await pauses.begin(conn, starts_pause)
                issue = await fetch_issue(conn, issue_id)
                await insert_event(conn, event, issue_id)
                await enqueue(conn, messages_for(issue))
        except _PauseGone:
            return None
        return issue

    async def get(self, issue_id: int) -> Issue | None:
        async with self.db.read() as conn:
            row = (await conn.execute(BY_ID, {"i_id": issue_id})).first()
        return issue_from(row) if row else None

    async def by_message(self, chat_id: int, message_id: int) -> Issue | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(issues).where(
                        issues.c.chat_id == chat_id, issues.c.message_id == message_id
                    )
                )
            ).first()
        return issue_from(row) if row else None

    async def events(self, issue_id: int) -> list[IssueEvent]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issue_events)
                .where(issue_events.c.issue_id == issue_id)
                .order_by(issue_events.c.at, issue_events.c.id)
            )
            return [event_from(row) for row in rows]

    async def find(
        self,
        *,
        grid_ids: Sequence[int] | None = None,
        assignee_id: int | None = None,
        reporter_id: int | None = None,
        statuses: Sequence[str] | None = None,
        limit: int = 50,
    ) -> list[Issue]:
        query = select(issues).order_by(issues.c.id).limit(limit)
        if grid_ids is not None:
            query = query.where(issues.c.grid_id.in_(list(grid_ids)))
        if assignee_id is not None:
            query = query.where(issues.c.assignee_id == assignee_id)
        if reporter_id is not None:
            query = query.where(issues.c.reporter_id == reporter_id)
        if statuses is not None:
            query = query.where(issues.c.status.in_(list(statuses)))
        async with self.db.read() as conn:
            return [issue_from(row) for row in await conn.execute(query)]

    async def latest_of(self, chat_id: int, reporter_id: int, since: datetime) -> Issue | None:
        """The reporter's newest issue in this chat since a moment (for a photo sent after)."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(issues)
                    .where(issues.c.chat_id == chat_id, issues.c.reporter_id == reporter_id)
                    .where(issues.c.created_at >= since)
                    .order_by(issues.c.id.desc())
                    .limit(1)
                )
            ).first()
        return issue_from(row) if row else None

    async def events_between(
        self, start: datetime | None, end: datetime | None
    ) -> list[IssueEvent]:
        """Timeline events of the issues created in [start, end), for the ledger's second sheet."""
        query = (
            select(issue_events)
            .join(issues, issues.c.id == issue_events.c.issue_id)
            .order_by(issue_events.c.issue_id, issue_events.c.at, issue_events.c.id)
        )
        if start is not None:
            query = query.where(issues.c.created_at >= start)
        if end is not None:
            query = query.where(issues.c.created_at < end)
        async with self.db.read() as conn:
            return [event_from(row) for row in await conn.execute(query)]

    async def corrections(self) -> list[tuple[str, str]]:
        """(text, category) of every issue a member recategorised: labelled training data."""
        corrected = select(issue_events.c.issue_id).where(issue_events.c.action == "recategorise")
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issues.c.text, issues.c.category)
                .where(issues.c.id.in_(corrected))
                .order_by(issues.c.id)
            )
            return [(text, category) for text, category in rows]

    async def count(self) -> int:
        async with self.db.read() as conn:
            return (await conn.execute(select(func.count()).select_from(issues))).scalar_one()

    async def ledger(self, start: datetime | None, end: datetime | None) -> list[LedgerRow]:
        """Every issue created in [start, end), with its grid code, assignee and supporters."""
        assignee = members.c.name.label("assignee")
        query = created_between(
            select(issues, grids.c.code.label("grid_code"), grids.c.name.label("grid_name"),
                   assignee, SUPPORTERS)
            .join(grids, grids.c.id == issues.c.grid_id)
            .outerjoin(members, members.c.id == issues.c.assignee_id)
            .order_by(issues.c.id),
            start, end,
        )  # fmt: skip
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [
            LedgerRow(issue=issue_from(row), grid_code=row.grid_code,
                      assignee_name=row.assignee or "", supporters=row.supporters,
                      grid_name=row.grid_name)
            for row in rows
        ]  # fmt: skip
