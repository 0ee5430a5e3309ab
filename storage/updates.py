"""The update log: every update is stored before it is confirmed to Telegram or handled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from storage.database import Database
from storage.schema import updates
from storage.upsert import insert_ignore


class UpdateLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, batch: Sequence[tuple[int, str]], now: datetime) -> list[int]:
        """Store raw updates in one transaction; returns the ids not seen before."""
        fresh = []
        async with self.db.transaction() as conn:
            for update_id, payload in batch:
                values = {"update_id": update_id, "received_at": now, "payload": payload}
                if await insert_ignore(conn, updates, values):
                    fresh.append(update_id)
        return fresh

    async def done(self, update_id: int, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                update(updates)
                .where(updates.c.update_id == update_id)
                .values(processed_at=now, payload=None)
            )

    async def unhandled(self, received_before: datetime, limit: int = 500) -> list[str]:
        """Raw updates stored but never handled (the process died in between), oldest first."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(updates.c.payload)
                .where(updates.c.processed_at.is_(None), updates.c.payload.is_not(None))
                .where(updates.c.received_at <= received_before)
                .order_by(updates.c.update_id)
                .limit(limit)
            )
            return [payload for (payload,) in rows]

    async def last_id(self) -> int | None:
        async with self.db.read() as conn:
            return (await conn.execute(select(updates.c.update_id).order_by(
                updates.c.update_id.desc()).limit(1))).scalar()  # fmt: skip
