"""Whole rosters in and out: grids and members written in one transaction each, members who
left made inactive. A county's roster (10,000 rows) is a few statements, not 40,000."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database
from storage.roster_cache import RosterCache
from storage.roster_records import RosterChanges, RosterGrid, RosterMember
from storage.schema import (
    grids,
    member_grids,
    members,
    pending_members,
    roster_version,
)

CHUNK = 500  # ids per IN (...): well under SQLite's and asyncpg's parameter limits

_UPDATE_MEMBER = (
    update(members)
    .where(members.c.id == bindparam("m_id"))
    .values(
        {
            members.c.name: bindparam("v_name"),
            members.c.role: bindparam("v_role"),
            members.c.sector: bindparam("v_sector"),
            members.c.expertise: bindparam("v_expertise"),
            members.c.active: bindparam("v_active"),
        }
    )
)
_UPDATE_GRID = (
    update(grids)
    .where(grids.c.code == bindparam("g_code"))
    .values(
        {
            grids.c.name: bindparam("v_name"),
            grids.c.community: bindparam("v_community"),
            grids.c.street: bindparam("v_street"),
            grids.c.district: bindparam("v_district"),
        }
    )
)
# An empty chat_id in the file keeps the group bound with /bind: only a given id binds.
_BIND_GRID = (
    update(grids)
    .where(grids.c.code == bindparam("g_code"))
    .values({grids.c.chat_id: bindparam("g_chat")})
)
_UPDATE_PENDING = (
    update(pending_members)
    .where(pending_members.c.id == bindparam("p_id"))
    .values(
        {
            pending_members.c.role: bindparam("v_role"),
            pending_members.c.sector: bindparam("v_sector"),
            pending_members.c.expertise: bindparam("v_expertise"),
            pending_members.c.grid_codes: bindparam("v_grids"),
            pending_members.c.active: bindparam("v_active"),
        }
    )
)


async def _bulk(conn: AsyncConnection) -> None:
    """Many statements follow: PostgreSQL's roster trigger waits for `_bulk_done` (0007)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT set_config('gridbot.roster_bulk', 'on', true)"))


async def _bulk_done(conn: AsyncConnection) -> None:
    if conn.dialect.name == "postgresql":
        await conn.execute(
            update(roster_version)
            .where(roster_version.c.id == 1)
            .values(version=roster_version.c.version + 1)
        )
        await conn.execute(text("SELECT set_config('gridbot.roster_bulk', '', true)"))


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _values(entry: RosterMember, pending: bool = False) -> dict[str, Any]:
    values = {
        "v_role": entry.role, "v_sector": entry.sector,
        "v_expertise": ";".join(entry.expertise), "v_active": entry.active,
    }  # fmt: skip
    values |= {"v_grids": ";".join(entry.grid_codes)} if pending else {"v_name": entry.name}
    return values


class EnrolmentStore:
    """Bulk roster writes; reads go through the roster cache as ever."""

    def __init__(self, db: Database, roster: RosterCache) -> None:
        self.db = db
        self.roster = roster

    async def save_grids(self, rows: Sequence[RosterGrid]) -> tuple[int, int]:
        """Create or update grids by code; (new, updated). A chat named for a grid leaves
        any other grid it was bound to: a re-import moves it rather than failing."""
        async with self.db.transaction() as conn:
            await _bulk(conn)
            codes = await conn.execute(select(grids.c.code, grids.c.id))
            known = {code: grid_id for code, grid_id in codes}
            fresh = [row for row in rows if row.code not in known]
            old = [row for row in rows if row.code in known]
            chats = [row.chat_id for row in rows if row.chat_id is not None]
            for chunk in _chunks(chats):
                await conn.execute(
                    update(grids).where(grids.c.chat_id.in_(chunk)).values(chat_id=None)
                )
            if fresh:
                await conn.execute(insert(grids), [_grid_values(row) for row in fresh])
            if old:
                await conn.execute(_UPDATE_GRID, [_grid_params(row) for row in old])
            bound = [{"g_code": row.code, "g_chat": row.chat_id} for row in old if row.chat_id]
            if bound:
                await conn.execute(_BIND_GRID, bound)
            await _bulk_done(conn)
        self.roster.invalidate()
        return len(fresh), len(old)

    async def save_members(self, entries: Sequence[RosterMember], replace: bool) -> RosterChanges:
        """Create or update members (by Telegram id, else by name); with `replace`, everyone
        the entries do not name becomes inactive."""
        async with self.db.transaction() as conn:
            await _bulk(conn)
            plan = await _Plan.make(conn)
            for entry in entries:
                plan.add(entry)
            changes = await plan.apply(conn, replace)
            await _bulk_done(conn)
        self.roster.invalidate()
        return changes

    async def deactivate(self, member_ids: Sequence[int], pending_ids: Sequence[int]) -> None:
        """These members and invitees leave the roster; invitations of those stop working."""
        async with self.db.transaction() as conn:
            for chunk in _chunks(list(member_ids)):
                await conn.execute(
                    update(members).where(members.c.id.in_(chunk)).values(active=False)
                )
            await _drop_pending(conn, list(pending_ids))
        self.roster.invalidate()


def _grid_values(row: RosterGrid) -> dict[str, Any]:
    return dict(
        code=row.code, name=row.name, community=row.community, street=row.street,
        district=row.district, chat_id=row.chat_id,
    )  # fmt: skip


def _grid_params(row: RosterGrid) -> dict[str, Any]:
    return {
        "g_code": row.code, "v_name": row.name, "v_community": row.community,
        "v_street": row.street, "v_district": row.district,
    }  # fmt: skip


async def _drop_pending(conn: AsyncConnection, pending_ids: list[int]) -> None:
    for chunk in _chunks(pending_ids):
        # Their invitations stay, and opening one now says it was revoked (storage.invitations).
        await conn.execute(
            update(pending_members).where(pending_members.c.id.in_(chunk)).values(active=False)
        )


class _Plan:
    """The statements one members import comes to, sorted by kind before any is run."""

    def __init__(self, by_id: dict[int, Any], pending: dict[str, Any], grid_ids: dict[str, int]):
        self.by_id = by_id  # telegram id → existing member row
        self.by_name = {row.name: row for row in by_id.values()}
        self.pending = pending  # name → pending row
        self.grid_ids = grid_ids
        self.inserts: list[RosterMember] = []
        self.updates: list[tuple[int, RosterMember]] = []
        self.pending_inserts: list[RosterMember] = []
        self.pending_updates: list[tuple[int, RosterMember]] = []
        self.joined_pending: list[int] = []  # now in the roster with their Telegram id

    @classmethod
    async def make(cls, conn: AsyncConnection) -> _Plan:
        rows = (await conn.execute(select(members))).all()
        pending = (await conn.execute(select(pending_members))).all()
        codes = {c: gid for c, gid in await conn.execute(select(grids.c.code, grids.c.id))}
        return cls({r.telegram_id: r for r in rows}, {r.name: r for r in pending}, dict(codes))

    def add(self, entry: RosterMember) -> None:
        waiting = self.pending.get(entry.name)
        if entry.telegram_id is not None:
            row = self.by_id.get(entry.telegram_id)
            if row is not None:
                self.updates.append((row.id, entry))
            else:
                self.inserts.append(entry)
            if waiting is not None and waiting.active:
                self.joined_pending.append(waiting.id)
        elif (row := self.by_name.get(entry.name)) is not None:
            self.updates.append((row.id, entry))  # joined by invitation since
        elif waiting is not None:
            self.pending_updates.append((waiting.id, entry))
        else:
            self.pending_inserts.append(entry)

    async def apply(self, conn: AsyncConnection, replace: bool) -> RosterChanges:
        named = {member_id for member_id, _ in self.updates}
        was_active = {row.id for row in self.by_id.values() if row.active}
        left = {mid for mid, entry in self.updates if not entry.active and mid in was_active}
        if replace:
            left |= was_active - named
        new_ids = await self._insert_members(conn)
        if self.updates:
            await conn.execute(
                _UPDATE_MEMBER, [{"m_id": mid, **_values(e)} for mid, e in self.updates]
            )
        await self._link_grids(conn, [*self.updates, *zip(new_ids, self.inserts, strict=True)])
        if left:
            await conn.execute(
                update(members).where(members.c.id.in_(sorted(left))).values(active=False)
            )
        pending_left = await self._write_pending(conn, replace)
        return RosterChanges(
            new=len(self.inserts) + len(self.pending_inserts),
            updated=len(self.updates) + len(self.pending_updates),
            left=tuple(sorted(left)), pending_left=pending_left,
        )  # fmt: skip

    async def _insert_members(self, conn: AsyncConnection) -> list[int]:
        if not self.inserts:
            return []
        rows = [
            dict(
                telegram_id=e.telegram_id, name=e.name, role=e.role, sector=e.sector,
                expertise=";".join(e.expertise), active=e.active,
            )
            for e in self.inserts
        ]  # fmt: skip
        # A plain executemany: RETURNING with many rows goes row by row on SQLite.
        await conn.execute(insert(members), rows)
        ids = await conn.execute(select(members.c.telegram_id, members.c.id))
        by_telegram = {telegram_id: member_id for telegram_id, member_id in ids}
        return [by_telegram[e.telegram_id] for e in self.inserts]

    async def _link_grids(
        self, conn: AsyncConnection, changed: Sequence[tuple[int, RosterMember]]
    ) -> None:
        ids = [member_id for member_id, _ in changed]
        for chunk in _chunks(ids):
            await conn.execute(delete(member_grids).where(member_grids.c.member_id.in_(chunk)))
        links = [
            {"member_id": member_id, "grid_id": self.grid_ids[code]}
            for member_id, entry in changed
            for code in dict.fromkeys(entry.grid_codes)
            if code in self.grid_ids
        ]
        if links:
            await conn.execute(insert(member_grids), links)

    async def _write_pending(self, conn: AsyncConnection, replace: bool) -> int:
        if self.pending_inserts:
            await conn.execute(
                insert(pending_members),
                [
                    dict(
                        name=e.name, role=e.role, sector=e.sector,
                        expertise=";".join(e.expertise), grid_codes=";".join(e.grid_codes),
                        active=e.active,
                    )
                    for e in self.pending_inserts
                ],
            )  # fmt: skip
        if self.pending_updates:
            await conn.execute(
                _UPDATE_PENDING,
                [{"p_id": pid, **_values(e, pending=True)} for pid, e in self.pending_updates],
            )
        named = {pid for pid, _ in self.pending_updates}
        gone = [pid for pid, e in self.pending_updates if not e.active]
        if replace:
            gone += [row.id for row in self.pending.values() if row.active and row.id not in named]
        await _drop_pending(conn, [*gone, *self.joined_pending])
        return len(gone)
