"""微协商 meetings: scheduling with their announcement, attendance votes, reminders, minutes."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database
from storage.issues import _insert_event
from storage.outbox import enqueue
from storage.records import IssueEvent, Meeting, OutgoingMessage
from storage.schema import meeting_issues, meeting_votes, meetings
from storage.upsert import upsert

MessagesFor = Callable[[Meeting], Sequence[OutgoingMessage]]
EventsFor = Callable[[Meeting], Sequence[IssueEvent]]
CHOICES = 3  # a meeting's poll: 参加, 不参加, 待定


@dataclass(frozen=True)
class MeetingDraft:
    grid_id: int
    title: str
    starts_at: datetime
    place: str
    created_by: int
    created_by_name: str
    created_at: datetime
    source_chat_id: int
    source_message_id: int
    issue_ids: tuple[int, ...]


async def _load(conn: AsyncConnection, where: Any, limit: int | None = None) -> list[Meeting]:
    query = select(meetings).where(where).order_by(meetings.c.starts_at, meetings.c.id)
    rows = (await conn.execute(query.limit(limit) if limit else query)).all()
    ids = [row.id for row in rows]
    linked: dict[int, list[int]] = defaultdict(list)
    found = await conn.execute(
        select(meeting_issues.c.meeting_id, meeting_issues.c.issue_id)
        .where(meeting_issues.c.meeting_id.in_(ids))
        .order_by(meeting_issues.c.issue_id)
    )
    for meeting_id, issue_id in found:
        linked[meeting_id].append(issue_id)
    votes = {row.id: [0] * _choices(row) for row in rows}
    counted = await conn.execute(
        select(meeting_votes.c.meeting_id, meeting_votes.c.choice, func.count())
        .where(meeting_votes.c.meeting_id.in_(ids))
        .group_by(meeting_votes.c.meeting_id, meeting_votes.c.choice)
    )
    for meeting_id, choice, count in counted:
        if 0 <= choice < len(votes[meeting_id]):
            votes[meeting_id][choice] = count
    return [_meeting(row, linked[row.id], votes[row.id]) for row in rows]


def _options(row: Any) -> tuple[str, ...]:
    return tuple(json.loads(row.options)) if row.options else ()


def _choices(row: Any) -> int:
    """How many poll options: 参加, 不参加, 待定 for a meeting, its own for an online one."""
    return len(_options(row)) or CHOICES


def _meeting(row: Any, issue_ids: list[int], votes: list[int]) -> Meeting:
    fields = set(Meeting.__dataclass_fields__) - {"issue_ids", "votes", "options"}
    values = {name: getattr(row, name) for name in fields}
    return Meeting(**values, issue_ids=tuple(issue_ids), votes=tuple(votes), options=_options(row))


async def meeting_by_source(db: Database, chat_id: int, message_id: int) -> int | None:
    """The meeting (or online consultation) a /consult message already made, if any."""
    async with db.read() as conn:
        return (
            await conn.execute(
                select(meetings.c.id).where(
                    meetings.c.source_chat_id == chat_id,
                    meetings.c.source_message_id == message_id,
                )
            )
        ).scalar()


class ConsultationStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, draft: MeetingDraft, events_for: EventsFor, owed: MessagesFor
    ) -> Meeting | None:
        """Store a meeting, its issues' timeline events and announcement; None if re-sent."""
        values = {k: v for k, v in draft.__dict__.items() if k != "issue_ids"}
        try:
            async with self.db.transaction() as conn:
                result = await conn.execute(
                    insert(meetings).values(**values).returning(meetings.c.id)
                )
                meeting_id = result.scalar_one()
                links = [{"meeting_id": meeting_id, "issue_id": n} for n in draft.issue_ids]
                if links:
                    await conn.execute(insert(meeting_issues), links)
                [meeting] = await _load(conn, meetings.c.id == meeting_id)
                for event in events_for(meeting):
                    await _insert_event(conn, event, event.issue_id)
                await enqueue(conn, owed(meeting))
        except IntegrityError:
            if await self._by_source(draft.source_chat_id, draft.source_message_id) is None:
                raise
            return None
        return meeting

    async def get(self, meeting_id: int) -> Meeting | None:
        async with self.db.read() as conn:
            found = await _load(conn, meetings.c.id == meeting_id)
        return found[0] if found else None

    async def of_grids(
        self, grid_ids: Sequence[int], since: datetime | None = None, limit: int = 30
    ) -> list[Meeting]:
        """Meetings of these grids, soonest first; with `since`, those starting after it."""
        where: Any = meetings.c.grid_id.in_(list(grid_ids))
        if since is not None:
            where = where & (meetings.c.starts_at >= since)
        async with self.db.read() as conn:
            return await _load(conn, where, limit)

    async def between(
        self, grid_ids: Sequence[int] | None, start: datetime, end: datetime
    ) -> list[Meeting]:
        """Meetings starting in [start, end), and any still to come after `start`."""
        where: Any = (meetings.c.starts_at >= start) & (
            (meetings.c.starts_at < end) | (meetings.c.status == "scheduled")
        )
        where = where & (meetings.c.kind == "meeting")  # online ones: storage/online.py
        if grid_ids is not None:
            where = where & meetings.c.grid_id.in_(list(grid_ids))
        async with self.db.read() as conn:
            return await _load(conn, where)

    async def record_minutes(
        self, meeting_id: int, minutes: str, by_name: str, at: datetime, owed: MessagesFor
    ) -> Meeting | None:
        """Minute a scheduled meeting once, with the outcome post; None if already minuted."""
        async with self.db.transaction() as conn:
            result = await conn.execute(
                update(meetings)
                .where(meetings.c.id == meeting_id, meetings.c.status == "scheduled")
                .values(status="minuted", minutes=minutes, minuted_by_name=by_name, minuted_at=at)
            )
            if not result.rowcount:
                return None
            [meeting] = await _load(conn, meetings.c.id == meeting_id)
            await enqueue(conn, owed(meeting))
        return meeting

    async def vote(
        self, meeting_id: int, telegram_id: int, name: str, choice: int | None, at: datetime
    ) -> None:
        """A poll answer: the newest choice counts; None (a retracted vote) removes it."""
        async with self.db.transaction() as conn:
            if choice is None:
                await conn.execute(
                    delete(meeting_votes).where(
                        meeting_votes.c.meeting_id == meeting_id,
                        meeting_votes.c.telegram_id == telegram_id,
                    )
                )
                return
            row = {"meeting_id": meeting_id, "telegram_id": telegram_id, "name": name,
                   "choice": choice, "at": at}  # fmt: skip
            await upsert(conn, meeting_votes, row, keys=["meeting_id", "telegram_id"])

    async def to_remind(self, now: datetime, horizon: datetime) -> list[Meeting]:
        """Scheduled meetings starting in (now, horizon] whose group was not reminded yet."""
        c = meetings.c
        where: Any = (c.status == "scheduled") & c.reminded_at.is_(None) & (c.kind == "meeting")
        where = where & (c.starts_at > now) & (c.starts_at <= horizon)
        async with self.db.read() as conn:
            return await _load(conn, where)

    async def remind(
        self, meeting_id: int, at: datetime, messages: Sequence[OutgoingMessage]
    ) -> bool:
        """Claim the meeting's one reminder and queue it together; False if it was done."""
        async with self.db.transaction() as conn:
            result = await conn.execute(
                update(meetings)
                .where(meetings.c.id == meeting_id, meetings.c.reminded_at.is_(None))
                .values(reminded_at=at)
            )
            if not result.rowcount:
                return False
            await enqueue(conn, messages)
        return True

    async def _by_source(self, chat_id: int, message_id: int) -> int | None:
        return await meeting_by_source(self.db, chat_id, message_id)
