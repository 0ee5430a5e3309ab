"""Where residents were seen: the grid groups a private /report may belong to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.batching import GroupCommit
from storage.database import Database
from storage.schema import resident_chats
from storage.upsert import insert_for


def _sighting_upsert(dialect: str) -> Any:
    statement = insert_for(dialect, resident_chats)
    return statement.on_conflict_do_update(
        index_elements=["telegram_id", "chat_id"], set_={"seen_at": statement.excluded.seen_at}
    )


class SightingStore:
    """Where residents were seen: the grid groups a private /report may belong to."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Residents' first messages in many groups at once share one transaction.
        self._seen = GroupCommit(db, _sighting_upsert(db.dialect))

    async def seen(self, telegram_id: int, chat_id: int, at: datetime) -> None:
        await self._seen.submit({"telegram_id": telegram_id, "chat_id": chat_id, "seen_at": at})

    async def chats_of(self, telegram_id: int) -> list[int]:
        """The groups, most recently seen first."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(resident_chats.c.chat_id)
                .where(resident_chats.c.telegram_id == telegram_id)
                .order_by(resident_chats.c.seen_at.desc())
            )
            return list(rows.scalars())
