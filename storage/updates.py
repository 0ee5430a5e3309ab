"""The update log: every update is stored before it is confirmed to Telegram or handled."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, or_, select, update

from storage.batching import GroupCommit
from storage.database import Database
from storage.lists import among
from storage.schema import updates
from storage.upsert import insert_ignore_returning

# Handled: the payload is no longer needed, and the mark keeps the update from a replay.
_DONE = (
    update(updates)
    .where(updates.c.update_id == bindparam("u_id"))
    .values(processed_at=bindparam("u_at"), payload=None)
)


_CHUNK = 500  # ids per statement, well within both engines' bound-parameter limits


class UpdateLog:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._done = GroupCommit(db, _DONE)

    async def record(
        self,
        batch: Sequence[tuple[int, str]],
        now: datetime,
        holder: str | None = None,
        lease_until: datetime | None = None,
    ) -> list[int]:
        """Store raw updates in one statement, held by `holder`; returns the ids not seen
        before.

        A conflicting id (sent twice, or taken by another worker first) is left out of what
        the insert returns, so two workers never both take the same update as fresh."""
        if not batch:
            return []
        rows = [
            {"update_id": i, "received_at": now, "payload": payload, "claimed_by": holder,
             "lease_until": lease_until}
            for i, payload in batch
        ]  # fmt: skip
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

    async def renew(self, holder: str, ids: Collection[int], until: datetime) -> int:
        """Extend `holder`'s lease on these updates, while unhandled; how many."""
        c = updates.c
        renewed, ordered = 0, sorted(ids)
        async with self.db.transaction() as conn:
            for start in range(0, len(ordered), _CHUNK):
                result = await conn.execute(
                    update(updates)
                    .where(among(c.update_id, ordered[start : start + _CHUNK]))
                    .where(c.claimed_by == holder, c.processed_at.is_(None))
                    .values(lease_until=until)
                )
                renewed += int(result.rowcount or 0)
        return renewed

    async def claim_free(
        self, holder: str, now: datetime, until: datetime, *, any_lease: bool = False,
        limit: int = 500,
    ) -> list[str]:  # fmt: skip
        """Take the unhandled updates nobody holds (no lease, or one run out before `now`;
        with `any_lease`, every unhandled one): their raw payloads, oldest first.

        The update re-checks the lease, so of two sweeps racing for a row only one wins."""
        c = updates.c
        free = _free(now, any_lease)
        async with self.db.transaction() as conn:
            found = await conn.execute(
                select(c.update_id).where(free).order_by(c.update_id).limit(limit)
            )
            ids = [update_id for (update_id,) in found]
            if not ids:
                return []
            taken = await conn.execute(
                update(updates)
                .where(c.update_id.in_(ids), free)
                .values(claimed_by=holder, lease_until=until)
                .returning(c.update_id, c.payload)
            )
            return [payload for _, payload in sorted(taken.all())]

    async def last_id(self) -> int | None:
        async with self.db.read() as conn:
            return (await conn.execute(select(updates.c.update_id).order_by(
                updates.c.update_id.desc()).limit(1))).scalar()  # fmt: skip


def _free(now: datetime, any_lease: bool) -> ColumnElement[bool]:
    c = updates.c
    waiting = c.processed_at.is_(None) & c.payload.is_not(None)
    if any_lease:
        return waiting
    return waiting & or_(c.lease_until.is_(None), c.lease_until < now)
