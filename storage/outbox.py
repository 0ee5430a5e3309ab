"""Messages the bot owes, written with the change that owes them and sent by a worker."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.batching import GroupCommit
from storage.database import Database, mark_owed
from storage.lists import among
from storage.records import Buttons, MessageKind, OutgoingMessage, PollSpec
from storage.schema import outbox

# A row being sent is "sending" until the lease runs out; then it may be taken again.
CLAIMABLE = ("pending", "sending")
# A send holds its claim for one HTTP call (PTB times out within ~10 s); a dead sender's
# rows fall due again after this, so a crash delays them by at most half a minute.
LEASE = timedelta(seconds=30)
# A row of another sender's chat that has been due this long is anyone's: late, not lost.
TAKEOVER = timedelta(minutes=1)


def _row_values(message: OutgoingMessage) -> dict[str, Any]:
    return dict(
        kind=message.kind,
        issue_id=message.issue_id,
        chat_id=message.chat_id,
        thread_id=message.thread_id,
        reply_to_message_id=message.reply_to_message_id,
        text=message.text,
        buttons=json.dumps(message.buttons, ensure_ascii=False) if message.buttons else None,
        fallback_chat_id=message.fallback_chat_id,
        fallback_thread_id=message.fallback_thread_id,
        fallback_text=message.fallback_text,
        priority=message.priority,
        created_at=message.created_at,
        not_before=message.not_before or message.created_at,
        media_kind=message.media_kind,
        media_name=message.media_name or None,
        media=message.media,
        poll=_poll_json(message.poll),
    )


def _poll_json(poll: PollSpec | None) -> str | None:
    if poll is None:
        return None
    spec = {"question": poll.question, "options": list(poll.options), "ref": poll.ref,
            "anonymous": poll.anonymous}  # fmt: skip
    return json.dumps(spec, ensure_ascii=False)


def _poll(raw: str | None) -> PollSpec | None:
    if not raw:
        return None
    spec = json.loads(raw)
    return PollSpec(spec["question"], tuple(spec["options"]), spec["ref"], spec["anonymous"])


def _buttons(raw: str | None) -> Buttons:
    if not raw:
        return ()
    return tuple(tuple((label, data) for label, data in row) for row in json.loads(raw))


def _message(row: Any) -> OutgoingMessage:
    return OutgoingMessage(
        id=row.id,
        kind=row.kind,
        issue_id=row.issue_id,
        chat_id=row.chat_id,
        thread_id=row.thread_id,
        reply_to_message_id=row.reply_to_message_id,
        text=row.text,
        buttons=_buttons(row.buttons),
        fallback_chat_id=row.fallback_chat_id,
        fallback_thread_id=row.fallback_thread_id,
        fallback_text=row.fallback_text,
        priority=row.priority,
        created_at=row.created_at,
        not_before=row.not_before,
        attempts=row.attempts,
        media_kind=row.media_kind,
        media_name=row.media_name or "",
        media=row.media,
        poll=_poll(row.poll),
    )


_INSERT = insert(outbox)


async def enqueue(conn: AsyncConnection, messages: Iterable[OutgoingMessage]) -> None:
    """Add owed messages inside the caller's transaction; its commit wakes the sender."""
    rows = [_row_values(message) for message in messages]
    if rows:
        await conn.execute(_INSERT, rows)
        mark_owed(conn)


async def enqueue_one(conn: AsyncConnection, message: OutgoingMessage) -> int:
    """Add one owed message and return its row id (a poll that others refer to)."""
    result = await conn.execute(
        insert(outbox).values(**_row_values(message)).returning(outbox.c.id)
    )
    mark_owed(conn)
    return int(result.scalar_one())


async def withdraw(conn: AsyncConnection, kind: str, issue_id: int) -> None:
    """Drop unsent messages of this kind for an issue, which a newer one supersedes."""
    await conn.execute(
        delete(outbox).where(
            outbox.c.kind == kind, outbox.c.issue_id == issue_id, outbox.c.state == "pending"
        )
    )


# Telegram keeps the photo or file now; a week of digest charts need not stay here.
_SENT = (
    update(outbox)
    .where(outbox.c.id == bindparam("o_id"))
    .values(state="sent", sent_message_id=bindparam("o_sent"), sent_at=bindparam("o_at"),
            media=None)
)  # fmt: skip


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._sent = GroupCommit(db, _SENT)

    async def add(self, messages: Iterable[OutgoingMessage]) -> None:
        async with self.db.transaction() as conn:
            await enqueue(conn, messages)

    async def due(
        self,
        now: datetime,
        limit: int = 200,
        after_id: int = 0,
        skip_chats: Collection[int] = (),
        part: tuple[int, int] | None = None,
    ) -> list[OutgoingMessage]:
        """Pending messages whose time has come, most urgent first, then oldest first.

        `after_id` keeps to rows added after a point (a one-off job draining its own);
        `skip_chats` leaves out chats that may not be sent to yet, so they never crowd out
        the others; `part` (senders, index) keeps to one sender's chats, and to the others'
        rows only once they are TAKEOVER overdue (their sender is gone or swamped)."""
        query = (
            select(outbox)
            .where(outbox.c.state.in_(CLAIMABLE), outbox.c.not_before <= now)
            .where(outbox.c.id > after_id)
        )
        if part is not None:
            senders, index = part
            mine = func.abs(outbox.c.chat_id) % senders == index
            query = query.where(or_(mine, outbox.c.not_before <= now - TAKEOVER))
        if skip_chats:
            query = query.where(outbox.c.chat_id.not_in(list(skip_chats)))
        async with self.db.read() as conn:
            rows = await conn.execute(query.order_by(outbox.c.priority, outbox.c.id).limit(limit))
            return [_message(row) for row in rows]

    async def charts_to_draw(self, limit: int = 8, after_id: int = 0) -> list[OutgoingMessage]:
        """Owed charts not drawn yet, most urgent first, then oldest first."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(outbox)
                .where(outbox.c.state.in_(CLAIMABLE), outbox.c.media_kind == "chart")
                .where(outbox.c.id > after_id)
                .order_by(outbox.c.priority, outbox.c.id)
                .limit(limit)
            )
            return [_message(row) for row in rows]

    async def drawn(self, message_id: int, png: bytes | None, error: str | None = None) -> None:
        """The chart, drawn: a photo to send from now on (or, if it could not be drawn, a
        failed row, so that it never holds up its chat)."""
        async with self.db.transaction() as conn:
            values: dict[str, Any] = (
                {"media_kind": "photo", "media": png}
                if error is None
                else {"state": "failed", "error": error}
            )
            await conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))
            mark_owed(conn)

    async def last_id(self) -> int:
        async with self.db.read() as conn:
            return (await conn.execute(select(func.max(outbox.c.id)))).scalar() or 0

    async def states_after(self, after_id: int) -> dict[str, int]:
        """How many rows added after `after_id` are pending, sent or failed."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(outbox.c.state, func.count())
                .where(outbox.c.id > after_id)
                .group_by(outbox.c.state)
            )
            return {state: count for state, count in rows}

    async def pending_after(self, after_id: int) -> list[OutgoingMessage]:
        """Rows added after `after_id` that are still to be sent, due or not."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(outbox)
                .where(outbox.c.state.in_(CLAIMABLE), outbox.c.id > after_id)
                .order_by(outbox.c.id)
            )
            return [_message(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(func.min(outbox.c.not_before)).where(outbox.c.state.in_(CLAIMABLE))
                )
            ).scalar()

    async def claim_many(self, message_ids: Collection[int], now: datetime) -> set[int]:
        """Take due messages for sending in one statement; returns those this sender now
        holds (another sender may have taken some first).

        The claim is a lease: a sender that dies holding it lets the message fall due
        again after LEASE, so it is delayed, never lost."""
        if not message_ids:
            return set()
        async with self.db.transaction() as conn:
            result = await conn.execute(
                update(outbox)
                .where(among(outbox.c.id, message_ids), outbox.c.state.in_(CLAIMABLE))
                .where(outbox.c.not_before <= now)
                .values(state="sending", not_before=now + LEASE)
                .returning(outbox.c.id)
            )
            return set(result.scalars())

    async def release(self, message_ids: Collection[int], now: datetime) -> None:
        """Give back claimed messages this pass did not get to: due again at once."""
        if not message_ids:
            return
        async with self.db.transaction() as conn:
            await conn.execute(
                update(outbox)
                .where(among(outbox.c.id, message_ids), outbox.c.state == "sending")
                .values(state="pending", not_before=now)
            )

    async def mark_sent(self, message_id: int, telegram_id: int | None, now: datetime) -> None:
        await self.mark_all_sent([message_id], telegram_id, now)

    async def mark_all_sent(
        self, message_ids: Collection[int], telegram_id: int | None, now: datetime
    ) -> None:
        """Rows delivered as one Telegram message (several: bundled acknowledgements).
        Marks made at the same moment by other chats' sends share one commit."""
        await self._sent.submit_many(
            [{"o_id": i, "o_sent": telegram_id, "o_at": now} for i in message_ids]
        )

    async def bundled(
        self, chat_id: int, sent_message_id: int, kind: MessageKind = MessageKind.ACK
    ) -> bool:
        """Whether that Telegram message carried several rows of a kind (bundled acks)."""
        async with self.db.read() as conn:
            count = (
                await conn.execute(
                    select(func.count())
                    .where(outbox.c.chat_id == chat_id, outbox.c.state == "sent")
                    .where(outbox.c.sent_message_id == sent_message_id, outbox.c.kind == kind)
                )
            ).scalar()
        return (count or 0) > 1

    async def retry_later(self, message_id: int, not_before: datetime, error: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == message_id)
                .values(
                    state="pending",
                    not_before=not_before,
                    error=error,
                    attempts=outbox.c.attempts + 1,
                )
            )

    async def fail(self, message_id: int, error: str) -> None:
        """A permanent refusal (blocked, chat gone): kept for coordinators, never retried."""
        await self._set(message_id, state="failed", error=error)

    async def use_fallback(self, message: OutgoingMessage, error: str) -> None:
        """Send the group version instead of the private one that Telegram refused."""
        assert message.id is not None and message.fallback_chat_id is not None
        await self._set(
            message.id,
            chat_id=message.fallback_chat_id,
            thread_id=message.fallback_thread_id,
            text=message.fallback_text or message.text,
            fallback_chat_id=None,
            fallback_text=None,
            error=error,
            state="pending",
            not_before=message.not_before or message.created_at,  # due at once, not at lease end
        )

    async def sent_message_id(self, kind: str, issue_id: int) -> int | None:
        """The Telegram id of the message of this kind sent for an issue, if any."""
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(outbox.c.sent_message_id)
                    .where(outbox.c.kind == kind, outbox.c.issue_id == issue_id)
                    .where(outbox.c.state == "sent")
                    .order_by(outbox.c.id)
                    .limit(1)
                )
            ).scalar()

    async def issue_of_sent(self, chat_id: int, sent_message_id: int) -> int | None:
        """The issue a message the bot sent in this chat was about (its ack, a progress post);
        None for a message about several (bundled acknowledgements): which one is unclear."""
        async with self.db.read() as conn:
            found = (
                (
                    await conn.execute(
                        select(outbox.c.issue_id)
                        .where(outbox.c.chat_id == chat_id, outbox.c.state == "sent")
                        .where(outbox.c.sent_message_id == sent_message_id)
                        .where(outbox.c.issue_id.is_not(None))
                        .distinct()
                        .limit(2)
                    )
                )
                .scalars()
                .all()
            )
        return found[0] if len(found) == 1 else None

    async def first_text(self, kind: str, issue_id: int) -> str | None:
        """The text of the first message of this kind owed for an issue, sent or not."""
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(outbox.c.text)
                    .where(outbox.c.kind == kind, outbox.c.issue_id == issue_id)
                    .order_by(outbox.c.id)
                    .limit(1)
                )
            ).scalar()

    async def record_poll(self, message_id: int, poll_id: str) -> None:
        """Remember the id Telegram gave a poll: its answers arrive under that id only."""
        await self._set(message_id, poll_id=poll_id)

    async def poll_ref(self, poll_id: str) -> str | None:
        """What a poll is for (its spec's `ref`), found by Telegram's poll id."""
        async with self.db.read() as conn:
            raw = (
                await conn.execute(select(outbox.c.poll).where(outbox.c.poll_id == poll_id))
            ).scalar()
        spec = _poll(raw)
        return spec.ref if spec else None

    async def all(self) -> list[tuple[OutgoingMessage, str]]:
        async with self.db.read() as conn:
            rows = await conn.execute(select(outbox).order_by(outbox.c.id))
            return [(_message(row), row.state) for row in rows]

    async def _set(self, message_id: int, **values: Any) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))
