"""What the bot sent, looked up again by what it was for: the Telegram message of an issue's
acknowledgement, whether it carried several, the issue a message was about, a poll's ref."""

from __future__ import annotations

from sqlalchemy import func, select, update

from storage.database import Database
from storage.outbox_rows import poll_spec
from storage.records import MessageKind
from storage.schema import outbox


class SentMessageStore:
    def __init__(self, db: Database) -> None:
        self.db = db

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
        async with self.db.transaction() as conn:
            await conn.execute(
                update(outbox).where(outbox.c.id == message_id).values(poll_id=poll_id)
            )

    async def poll_ref(self, poll_id: str) -> str | None:
        """What a poll is for (its spec's `ref`), found by Telegram's poll id."""
        async with self.db.read() as conn:
            raw = (
                await conn.execute(select(outbox.c.poll).where(outbox.c.poll_id == poll_id))
            ).scalar()
        spec = poll_spec(raw)
        return spec.ref if spec else None
