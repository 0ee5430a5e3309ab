"""Members and coordinators, with the grids each serves."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, delete, func, insert, select, update

from storage.batching import Combined
from storage.database import Database
from storage.lists import among
from storage.records import Member
from storage.roster_cache import RosterCache
from storage.schema import grids, issues, member_grids, members
from storage.statuses import ACTIVE
from storage.upsert import upsert

# Asked for every new issue (routing by load): built once, not per message.
_OPEN_COUNTS = (
    select(issues.c.assignee_id, func.count())
    .where(among(issues.c.assignee_id, "m_ids"))
    .where(issues.c.status.in_(ACTIVE))
    .group_by(issues.c.assignee_id)
)


_SET_REACHABLE = (
    update(members)
    .where(among(members.c.telegram_id, "m_ids"))
    .values(reachable=bindparam("m_value"))
    .returning(members.c.telegram_id)
)


class MemberStore:
    """Members are read from the process's roster copy, and written through."""

    def __init__(self, db: Database, roster: RosterCache | None = None) -> None:
        self.db = db
        self.roster = roster or RosterCache(db)
        self._reachable: Combined[tuple[int, bool], bool] = Combined(self._set_reachable)

    async def save(
        self,
        telegram_id: int,
        name: str,
        role: str,
        sector: str,
        expertise: Iterable[str],
        grid_codes: Iterable[str],
    ) -> bool:
        """Create or update a member by Telegram id and replace their grids; True when new."""
        async with self.db.transaction() as conn:
            found = await conn.execute(
                select(members.c.id).where(members.c.telegram_id == telegram_id)
            )
            is_new = found.first() is None
            values = dict(
                telegram_id=telegram_id,
                name=name,
                role=role,
                sector=sector,
                expertise=";".join(expertise),
                active=True,
            )
            await upsert(conn, members, values, keys=["telegram_id"])
            member_id = (
                await conn.execute(
                    select(members.c.id).where(members.c.telegram_id == telegram_id)
                )
            ).scalar_one()
            await conn.execute(delete(member_grids).where(member_grids.c.member_id == member_id))
            grid_ids = (
                (await conn.execute(select(grids.c.id).where(grids.c.code.in_(list(grid_codes)))))
                .scalars()
                .all()
            )
            if grid_ids:
                rows = [{"member_id": member_id, "grid_id": gid} for gid in grid_ids]
                await conn.execute(insert(member_grids), rows)
        self.roster.invalidate()
        return is_new

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        return (await self.roster.get()).by_telegram.get(telegram_id)

    async def by_id(self, member_id: int) -> Member | None:
        return (await self.roster.get()).members.get(member_id)

    async def all(self) -> list[Member]:
        """The active members (one who left the roster is found by id only)."""
        return list((await self.roster.get()).by_telegram.values())

    async def of_grid(self, grid_id: int) -> list[Member]:
        """Everyone assigned to the grid, coordinators included."""
        return list((await self.roster.get()).of_grid.get(grid_id, []))

    async def coordinators_of(self, grid_id: int) -> list[Member]:
        """Coordinators of this grid, and those with no grids (they oversee all)."""
        return (await self.roster.get()).coordinators_of(grid_id)

    async def set_reachable(self, telegram_id: int, reachable: bool) -> bool:
        """Record whether the member can be written to privately; True if they are a member.
        Marks made at the same moment (the sender reaching many members) share one
        statement and one reload of the roster."""
        return await self._reachable.submit((telegram_id, reachable))

    async def _set_reachable(self, group: list[tuple[int, bool]]) -> list[bool]:
        latest = dict(group)  # one person marked twice at once: the later mark stands
        found: set[int] = set()
        async with self.db.transaction() as conn:
            for value in (True, False):
                ids = [telegram_id for telegram_id, mark in latest.items() if mark is value]
                if ids:
                    result = await conn.execute(_SET_REACHABLE, {"m_ids": ids, "m_value": value})
                    found.update(result.scalars())
        self.roster.invalidate()
        return [telegram_id in found for telegram_id, _ in group]

    async def open_counts(self, member_ids: Iterable[int]) -> dict[int, int]:
        """Open issues per member: the load that routing balances."""
        ids = list(member_ids)
        if not ids:
            return {}
        async with self.db.read() as conn:
            result = await conn.execute(_OPEN_COUNTS, {"m_ids": ids})
            counts: dict[int, int] = {member_id: count for member_id, count in result}
        return {member_id: counts.get(member_id, 0) for member_id in ids}
