"""Members and coordinators, with the grids each serves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from storage.database import Database
from storage.records import Member
from storage.schema import grids, issues, member_grids, members
from storage.upsert import upsert

OPEN_STATUSES = ("new", "taken", "in_progress")


def _member(row: Any, codes: Iterable[str]) -> Member:
    expertise = tuple(part for part in row.expertise.split(";") if part)
    return Member(
        id=row.id,
        telegram_id=row.telegram_id,
        name=row.name,
        role=row.role,
        sector=row.sector,
        expertise=expertise,
        reachable=bool(row.reachable),
        grid_codes=tuple(sorted(codes)),
    )


class MemberStore:
    def __init__(self, db: Database) -> None:
        self.db = db

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
            return is_new

    async def _load(self, where: Any) -> list[Member]:
        async with self.db.read() as conn:
            rows = (await conn.execute(select(members).where(where).order_by(members.c.id))).all()
            ids = [row.id for row in rows]
            links = await conn.execute(
                select(member_grids.c.member_id, grids.c.code)
                .join(grids, grids.c.id == member_grids.c.grid_id)
                .where(member_grids.c.member_id.in_(ids))
            )
            codes: dict[int, list[str]] = defaultdict(list)
            for member_id, code in links:
                codes[member_id].append(code)
        return [_member(row, codes[row.id]) for row in rows]

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        found = await self._load(members.c.telegram_id == telegram_id)
        return found[0] if found else None

    async def by_id(self, member_id: int) -> Member | None:
        found = await self._load(members.c.id == member_id)
        return found[0] if found else None

    async def all(self) -> list[Member]:
        return await self._load(members.c.id.is_not(None))

    async def of_grid(self, grid_id: int) -> list[Member]:
        """Everyone assigned to the grid, coordinators included."""
        linked = select(member_grids.c.member_id).where(member_grids.c.grid_id == grid_id)
        return await self._load(members.c.id.in_(linked))

    async def coordinators_of(self, grid_id: int) -> list[Member]:
        """Coordinators of this grid, and those with no grids (they oversee all)."""
        linked = select(member_grids.c.member_id).where(member_grids.c.grid_id == grid_id)
        any_grid = select(member_grids.c.member_id)
        return await self._load(
            (members.c.role == "coordinator")
            & or_(members.c.id.in_(linked), members.c.id.not_in(any_grid))
        )

    async def set_reachable(self, telegram_id: int, reachable: bool) -> bool:
        """Record whether the member can be written to privately; True if they are a member."""
        async with self.db.transaction() as conn:
            result = await conn.execute(
                update(members)
                .where(members.c.telegram_id == telegram_id)
                .values(reachable=reachable)
            )
        return bool(result.rowcount)

    async def open_counts(self, member_ids: Iterable[int]) -> dict[int, int]:
        """Open issues per member: the load that routing balances."""
        ids = list(member_ids)
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issues.c.assignee_id, func.count())
                .where(issues.c.assignee_id.in_(ids), issues.c.status.in_(OPEN_STATUSES))
                .group_by(issues.c.assignee_id)
            )
            counts = {member_id: count for member_id, count in rows}
        return {member_id: counts.get(member_id, 0) for member_id in ids}
