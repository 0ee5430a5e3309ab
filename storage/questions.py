"""Questions put to a message's author before registering it, and how each ended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from storage.database import Database
from storage.records import MessageKind
from storage.schema import intake_questions, outbox
from storage.upsert import insert_ignore

ANSWERS = ("confirmed", "declined", "expired")


class QuestionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def asked(
        self, grid_id: int, chat_id: int, message_id: int, user_id: int, borderline: bool,
        at: datetime,
    ) -> None:  # fmt: skip
        async with self.db.transaction() as conn:
            await insert_ignore(conn, intake_questions, {
                "chat_id": chat_id, "message_id": message_id, "grid_id": grid_id,
                "user_id": user_id, "borderline": borderline, "asked_at": at,
            })  # fmt: skip

    async def answer(self, chat_id: int, message_id: int, answer: str, at: datetime) -> bool:
        """Records the first answer only: a second press, or one after expiry, changes none."""
        q = intake_questions.c
        async with self.db.transaction() as conn:
            result = await conn.execute(
                update(intake_questions)
                .where(q.chat_id == chat_id, q.message_id == message_id, q.answer.is_(None))
                .values(answer=answer, answered_at=at)
            )
        return bool(result.rowcount)

    async def expire(
        self, asked_before: datetime, at: datetime
    ) -> list[tuple[int, int, int | None]]:
        """Marks the unanswered questions asked before the time expired; returns each one's
        grid, chat and the id of the bot's question message, if it was sent."""
        q = intake_questions.c
        async with self.db.transaction() as conn:
            rows = (await conn.execute(
                select(q.grid_id, q.chat_id, q.message_id)
                .where(q.answer.is_(None), q.asked_at < asked_before)
            )).all()  # fmt: skip
            out = []
            for grid_id, chat_id, message_id in rows:
                claimed = await conn.execute(
                    update(intake_questions)
                    .where(q.chat_id == chat_id, q.message_id == message_id, q.answer.is_(None))
                    .values(answer="expired", answered_at=at)
                )
                if claimed.rowcount:
                    sent = await conn.scalar(
                        select(outbox.c.sent_message_id).where(
                            outbox.c.kind == MessageKind.CONFIRM, outbox.c.chat_id == chat_id,
                            outbox.c.reply_to_message_id == message_id,
                        )
                    )  # fmt: skip
                    out.append((grid_id, chat_id, sent))
        return out

    async def counts(
        self, grid_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[str, int]:
        """Questions asked in the window: how many, and how many ended each way."""
        q = intake_questions.c
        async with self.db.read() as conn:
            rows = (await conn.execute(
                select(q.answer, func.count())
                .where(q.grid_id.in_(grid_ids), q.asked_at >= start, q.asked_at <= end)
                .group_by(q.answer)
            )).all()  # fmt: skip
        found = {str(answer or "open"): int(n) for answer, n in rows}
        return {"asked": sum(found.values()), **{a: found.get(a, 0) for a in (*ANSWERS, "open")}}
