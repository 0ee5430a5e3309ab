"""Messages the bot owes, written with the change that owes them and sent by a worker."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.batching import GroupCommit
from storage.database import Database, mark_owed
from storage.lists import among
from storage.outbox_rows import message_of, row_values
from storage.records import OutgoingMessage
from storage.schema import outbox

# A row being sent is "sending" until the lease runs out; then it may be taken again.
CLAIMABLE = ("pending", "sending")
# A send holds its claim for one HTTP call (PTB times out within ~10 s); a dead sender's
# rows fall due again after this, so a crash delays them by at most half a minute.
LEASE = timedelta(seconds=30)
# A row of another sender's chat that has been due this long is anyone's: late, not lost.
TAKEOVER = timedelta(minutes=1)


_INSERT = insert(outbox)


async def enqueue(conn: AsyncConnection, messages: Iterable[OutgoingMessage]) -> None:
    """Add owed messages inside the caller's transaction; its commit wakes the sender."""
    rows = [row_values(message) for message in messages]
    if rows:
        await conn.execute(_INSERT, rows)
        mark_owed(conn)


async def enqueue_one(conn: AsyncConnection, message: OutgoingMessage) -> int:
    """Add one owed message and return its row id (a poll that others refer to)."""
    result = await conn.execute(
        insert(outbox).values(**row_values(message)).returning(outbox.c.id)
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
            return [message_of(row) for row in rows]

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
            return [message_of(row) for row in rows]

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
            return [message_of(row) for row in rows]

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

    async def all(self) -> list[tuple[OutgoingMessage, str]]:
        async with self.db.read() as conn:
            rows = await conn.execute(select(outbox).order_by(outbox.c.id))
            return [(message_of(row), row.state) for row in rows]

    async def _set(self, message_id: int, **values: Any) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))
