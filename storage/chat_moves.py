"""Groups that became supergroups: Telegram gives them a new id, and everything follows it."""

from __future__ import annotations

from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database, mark_owed
from storage.roster_cache import RosterCache
from storage.schema import chats, grids, outbox, resident_chats
from storage.upsert import upsert

UNSENT = ("pending", "sending")


class ChatMoveStore:
    def __init__(self, db: Database, roster: RosterCache) -> None:
        self.db = db
        self.roster = roster

    async def move(self, old: int, new: int) -> int:
        """The grid binding, owed posts and residents' sightings go to the new id; returns how
        many owed posts moved. Doing it twice (both updates, then an error) changes nothing."""
        async with self.db.transaction() as conn:
            await upsert(conn, chats, {"chat_id": old, "moved_to": new}, keys=["chat_id"])
            bound = await conn.execute(select(grids.c.id).where(grids.c.chat_id == old))
            if bound.first() is not None:
                await conn.execute(
                    update(grids).where(grids.c.chat_id == new).values(chat_id=None)
                )
                await conn.execute(update(grids).where(grids.c.chat_id == old).values(chat_id=new))
            moved = await conn.execute(
                update(outbox)
                .where(outbox.c.chat_id == old, outbox.c.state.in_(UNSENT))
                .values(chat_id=new)
            )
            await conn.execute(
                update(outbox)
                .where(outbox.c.fallback_chat_id == old, outbox.c.state.in_(UNSENT))
                .values(fallback_chat_id=new)
            )
            await self._move_sightings(conn, old, new)
            if moved.rowcount:
                mark_owed(conn)  # they are owed at the new id now: the sender wakes
        self.roster.invalidate()
        return int(moved.rowcount or 0)

    @staticmethod
    async def _move_sightings(conn: AsyncConnection, old: int, new: int) -> None:
        seen_new = select(resident_chats.c.telegram_id).where(resident_chats.c.chat_id == new)
        await conn.execute(
            delete(resident_chats).where(
                and_(resident_chats.c.chat_id == old, resident_chats.c.telegram_id.in_(seen_new))
            )
        )
        await conn.execute(
            update(resident_chats).where(resident_chats.c.chat_id == old).values(chat_id=new)
        )

    async def moves(self) -> dict[int, int]:
        """Every old id and the id it moved to."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(chats.c.chat_id, chats.c.moved_to).where(chats.c.moved_to.is_not(None))
            )
            return {old: new for old, new in rows}
