"""Grids and the group chats bound to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from storage.database import Database
from storage.records import Grid
from storage.roster_cache import RosterCache, grid_of
from storage.schema import grids
from storage.upsert import upsert


class GridStore:
    """Grids are read from the process's roster copy, and written through to the database."""

    def __init__(self, db: Database, roster: RosterCache | None = None) -> None:
        self.db = db
        self.roster = roster or RosterCache(db)

    async def save(
        self, code: str, name: str, community: str, street: str, district: str, chat_id: int | None
    ) -> bool:
        """Create or update a grid by code; True when it was new."""
        async with self.db.transaction() as conn:
            existing = (await conn.execute(select(grids.c.id).where(grids.c.code == code))).first()
            values: dict[str, Any] = dict(
                code=code, name=name, community=community, street=street, district=district
            )
            if chat_id is not None:
                # One chat belongs to one grid: a re-import moves it rather than failing.
                await conn.execute(
                    update(grids).where(grids.c.chat_id == chat_id).values(chat_id=None)
                )
                values["chat_id"] = chat_id
            await upsert(conn, grids, values, keys=["code"])
        self.roster.invalidate()
        return existing is None

    async def by_code(self, code: str) -> Grid | None:
        return (await self.roster.get()).by_code.get(code)

    async def by_chat(self, chat_id: int) -> Grid | None:
        return (await self.roster.get()).by_chat.get(chat_id)

    async def by_id(self, grid_id: int) -> Grid | None:
        return (await self.roster.get()).grids.get(grid_id)

    async def all(self) -> list[Grid]:
        return sorted((await self.roster.get()).grids.values(), key=lambda grid: grid.code)

    async def bind(self, code: str, chat_id: int) -> Grid | None:
        """Bind a chat to the grid with this code, unbinding it from any other grid."""
        async with self.db.transaction() as conn:
            await conn.execute(
                update(grids).where(grids.c.chat_id == chat_id).values(chat_id=None)
            )
            result = await conn.execute(
                update(grids).where(grids.c.code == code).values(chat_id=chat_id)
            )
            if not result.rowcount:
                return None
            row = (await conn.execute(select(grids).where(grids.c.code == code))).one()
        self.roster.invalidate()
        return grid_of(row)

    async def set_options(self, grid_id: int, **options: str) -> None:
        """Change intake_mode or language of one grid."""
        allowed = {k: v for k, v in options.items() if k in ("intake_mode", "language")}
        async with self.db.transaction() as conn:
            await conn.execute(update(grids).where(grids.c.id == grid_id).values(**allowed))
        self.roster.invalidate()
