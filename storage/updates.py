"""The update log: every update is stored before it is confirmed to Telegram or handled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select, update

from storage.batching import GroupCommit
from storage.database import Database
from storage.schema import updates
from storage.upsert import insert_ignore_returning

# Handled: the payload is no longer needed, and the mark keeps the update from a replay.
_DONE = (
    update(updates)
    .where(updates.c.update_id == bindparam("u_id"))
    .values(processed_at=bindparam("u_at"), payload=None)
)


class UpdateLog:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._done = GroupCommit(db, _DONE)

    async def record(self, batch: Sequence[tuple[int, str]], now: datetime) -> list[int]:
        """Store raw updates in one statement; returns the ids not seen before.

        A conflicting id (sent twice, or taken by another worker first) is left out of what
        the insert returns, so two workers never both take the same update as fresh."""
        if not batch:
            return []
        rows = [{"update_id": i, "received_at": now, "payload": payload} for i, payload in batch]
        async with self.db.transaction() as conn:
            return await insert_ignore_returning(conn, updates, rows, updates.c.update_id)

    async def done(self, update_id: int, now: datetime) -> None:
        """Mark one update handled; marks arriving together are committed together."""
        await self._done.submit({"u_id": update_id, "u_at": now})

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
