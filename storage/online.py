"""Online consultations (线上协商): a meeting row of kind `online` with its poll's options
and end, the outbox rows of its announcement and poll, and residents' comments."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.exc import IntegrityError

from storage.consultations import EventsFor, _load, meeting_by_source
from storage.database import Database
from storage.issues import _insert_event
from storage.outbox import enqueue_one
from storage.records import Comment, Meeting, OutgoingMessage
from storage.schema import meeting_comments, meeting_issues, meetings, outbox

# What an online consultation owes when created: its announcement and its poll.
Posts = tuple[OutgoingMessage, OutgoingMessage]
PostsFor = Callable[[Meeting], Posts]


@dataclass(frozen=True)
class OnlineDraft:
    grid_id: int
    title: str
    options: tuple[str, ...]
    opens_at: datetime
    ends_at: datetime
    created_by: int
    created_by_name: str
    source_chat_id: int
    source_message_id: int
    issue_ids: tuple[int, ...]


def _values(draft: OnlineDraft) -> dict[str, Any]:
    return dict(
        grid_id=draft.grid_id, title=draft.title, starts_at=draft.opens_at, place="",
        created_by=draft.created_by, created_by_name=draft.created_by_name,
        created_at=draft.opens_at, source_chat_id=draft.source_chat_id,
        source_message_id=draft.source_message_id, kind="online",
        options=json.dumps(list(draft.options), ensure_ascii=False), ends_at=draft.ends_at,
    )  # fmt: skip


def _comment(row: Any) -> Comment:
    return Comment(
        meeting_id=row.meeting_id, telegram_id=row.telegram_id, name=row.name, text=row.text,
        chat_id=row.chat_id, message_id=row.message_id, at=row.at,
    )  # fmt: skip


class OnlineStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, draft: OnlineDraft, events_for: EventsFor, posts_for: PostsFor
    ) -> Meeting | None:
        """Store the consultation, its issues' events, announcement and poll in one
        transaction; None if the same command was stored already (a re-delivery)."""
        try:
            async with self.db.transaction() as conn:
                result = await conn.execute(
                    insert(meetings).values(**_values(draft)).returning(meetings.c.id)
                )
                meeting_id = result.scalar_one()
                links = [{"meeting_id": meeting_id, "issue_id": n} for n in draft.issue_ids]
                if links:
                    await conn.execute(insert(meeting_issues), links)
                [meeting] = await _load(conn, meetings.c.id == meeting_id)
                for event in events_for(meeting):
                    await _insert_event(conn, event, event.issue_id)
                announcement, poll = posts_for(meeting)
                ids = {"announce_outbox_id": await enqueue_one(conn, announcement),
                       "poll_outbox_id": await enqueue_one(conn, poll)}  # fmt: skip
                await conn.execute(meetings.update().where(meetings.c.id == meeting_id), ids)
        except IntegrityError:
            if await self._by_source(draft.source_chat_id, draft.source_message_id) is None:
                raise
            return None
        return meeting

    async def by_post(self, chat_id: int, message_id: int) -> Meeting | None:
        """The open online consultation whose announcement or poll is this sent message."""
        posted = or_(
            outbox.c.id == meetings.c.announce_outbox_id, outbox.c.id == meetings.c.poll_outbox_id
        )
        query = (
            select(meetings.c.id)
            .join(outbox, posted)
            .where(outbox.c.chat_id == chat_id, outbox.c.sent_message_id == message_id)
            .where(meetings.c.kind == "online", meetings.c.status == "scheduled")
        )
        async with self.db.read() as conn:
            found = (await conn.execute(query.limit(1))).scalar()
            return (await _load(conn, meetings.c.id == found))[0] if found else None

    async def poll_message(self, meeting_id: int) -> tuple[int, int] | None:
        """(chat, Telegram message id) of the consultation's poll, once it was sent."""
        query = (
            select(outbox.c.chat_id, outbox.c.sent_message_id)
            .join(meetings, meetings.c.poll_outbox_id == outbox.c.id)
            .where(meetings.c.id == meeting_id, outbox.c.sent_message_id.is_not(None))
        )
        async with self.db.read() as conn:
            row = (await conn.execute(query)).first()
        return (row.chat_id, row.sent_message_id) if row else None

    async def add_comment(self, comment: Comment) -> bool:
        """Keep a reply as a comment; False if this message was stored already."""
        try:
            async with self.db.transaction() as conn:
                await conn.execute(insert(meeting_comments).values(**comment.__dict__))
        except IntegrityError:
            return False
        return True

    async def comments(self, meeting_id: int) -> list[Comment]:
        query = (
            select(meeting_comments)
            .where(meeting_comments.c.meeting_id == meeting_id)
            .order_by(meeting_comments.c.at, meeting_comments.c.id)
        )
        async with self.db.read() as conn:
            return [_comment(row) for row in await conn.execute(query)]

    async def due(self, now: datetime) -> list[Meeting]:
        """Open online consultations whose end has come."""
        c = meetings.c
        where = (c.kind == "online") & (c.status == "scheduled") & (c.ends_at <= now)
        async with self.db.read() as conn:
            return await _load(conn, where)

    async def of_grids_between(
        self, grid_ids: Sequence[int] | None, start: datetime, end: datetime
    ) -> list[Meeting]:
        """Online consultations open at some time in [start, end)."""
        c = meetings.c
        where: Any = (c.kind == "online") & (c.starts_at < end)
        where = where & ((c.ends_at >= start) | (c.status == "scheduled"))
        if grid_ids is not None:
            where = where & c.grid_id.in_(list(grid_ids))
        async with self.db.read() as conn:
            return await _load(conn, where)

    async def _by_source(self, chat_id: int, message_id: int) -> int | None:
        return await meeting_by_source(self.db, chat_id, message_id)
