"""微协商, face to face and online, as one kind of record: a meeting of one grid with the
issues it takes up, an announcement and a poll. Face to face, the poll asks who comes;
online, the poll is the vote (its own options, open until `ends_at`) and replies to it are
kept as comments. Minutes are recorded once, reminders sent once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database
from storage.issue_rows import insert_event
from storage.meeting_records import Comment, Meeting, MeetingKind, MeetingStatus
from storage.outbox import enqueue, enqueue_one
from storage.records import IssueEvent, OutgoingMessage
from storage.schema import meeting_comments, meeting_issues, meeting_votes, meetings, outbox
from storage.upsert import upsert

MessagesFor = Callable[[Meeting], Sequence[OutgoingMessage]]
EventsFor = Callable[[Meeting], Sequence[IssueEvent]]
# What a meeting owes when it is opened: its announcement and its poll.
Posts = tuple[OutgoingMessage, OutgoingMessage]
PostsFor = Callable[[Meeting], Posts]
CHOICES = 3  # a face-to-face meeting's poll: 参加, 不参加, 待定
SCHEDULED, MINUTED = MeetingStatus.SCHEDULED, MeetingStatus.MINUTED


@dataclass(frozen=True)
class MeetingDraft:
    """A meeting to open. Online: `starts_at` is when it opens, `options` the vote's."""

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
    kind: MeetingKind = MeetingKind.MEETING
    options: tuple[str, ...] = ()
    ends_at: datetime | None = None


def _values(draft: MeetingDraft) -> dict[str, Any]:
    values = {k: v for k, v in draft.__dict__.items() if k not in ("issue_ids", "options")}
    options = json.dumps(list(draft.options), ensure_ascii=False) if draft.options else None
    return {**values, "options": options}


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


def _comment(row: Any) -> Comment:
    return Comment(
        meeting_id=row.meeting_id, telegram_id=row.telegram_id, name=row.name, text=row.text,
        chat_id=row.chat_id, message_id=row.message_id, at=row.at,
    )  # fmt: skip


class MeetingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, draft: MeetingDraft, events_for: EventsFor, posts_for: PostsFor
    ) -> Meeting | None:
        """Store the meeting, its issues' timeline events, its announcement and poll in one
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
                    await insert_event(conn, event, event.issue_id)
                announcement, poll = posts_for(meeting)
                ids = {"announce_outbox_id": await enqueue_one(conn, announcement),
                       "poll_outbox_id": await enqueue_one(conn, poll)}  # fmt: skip
                await conn.execute(meetings.update().where(meetings.c.id == meeting_id), ids)
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
            (meetings.c.starts_at < end) | (meetings.c.status == SCHEDULED)
        )
        where = where & (meetings.c.kind == MeetingKind.MEETING)  # online: of_grids_between
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
                .where(meetings.c.id == meeting_id, meetings.c.status == SCHEDULED)
                .values(status=MINUTED, minutes=minutes, minuted_by_name=by_name, minuted_at=at)
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
        where: Any = (
            (c.status == SCHEDULED) & c.reminded_at.is_(None) & (c.kind == MeetingKind.MEETING)
        )
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

    async def by_post(self, chat_id: int, message_id: int) -> Meeting | None:
        """The open online consultation whose announcement or poll is this sent message."""
        posted = or_(
            outbox.c.id == meetings.c.announce_outbox_id, outbox.c.id == meetings.c.poll_outbox_id
        )
        query = (
            select(meetings.c.id)
            .join(outbox, posted)
            .where(outbox.c.chat_id == chat_id, outbox.c.sent_message_id == message_id)
            .where(meetings.c.kind == MeetingKind.ONLINE, meetings.c.status == SCHEDULED)
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
        where = (c.kind == MeetingKind.ONLINE) & (c.status == SCHEDULED) & (c.ends_at <= now)
        async with self.db.read() as conn:
            return await _load(conn, where)

    async def of_grids_between(
        self, grid_ids: Sequence[int] | None, start: datetime, end: datetime
    ) -> list[Meeting]:
        """Online consultations open at some time in [start, end)."""
        c = meetings.c
        where: Any = (c.kind == MeetingKind.ONLINE) & (c.starts_at < end)
        where = where & ((c.ends_at >= start) | (c.status == SCHEDULED))
        if grid_ids is not None:
            where = where & c.grid_id.in_(list(grid_ids))
        async with self.db.read() as conn:
            return await _load(conn, where)

    async def _by_source(self, chat_id: int, message_id: int) -> int | None:
        """The meeting a /consult message already made, if any."""
        async with self.db.read() as conn:
            query = select(meetings.c.id).where(
                meetings.c.source_chat_id == chat_id, meetings.c.source_message_id == message_id
            )
            return (await conn.execute(query)).scalar()
