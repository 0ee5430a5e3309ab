"""The roster (grids, members, who serves where) held in memory between changes.

Every resident message needs its grid, the grid's members and its coordinators; read from
the database each time, that was most of intake's queries. The roster is small (a county:
~1,500 grids, ~200 members) and changes seldom, so each process keeps one copy and reloads
it when the roster version (moved by triggers, migration 0005) has changed. The version is
looked at no more than once per FRESH seconds, and at once after this process's own
changes: a change made by another process is seen within that second.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.records import Grid, Member
from storage.schema import grids, member_grids, members, roster_version

FRESH = 1.0


def grid_of(row: Any) -> Grid:
    return Grid(
        id=row.id, code=row.code, name=row.name, community=row.community, street=row.street,
        district=row.district, chat_id=row.chat_id, intake_mode=row.intake_mode,
        language=row.language,
    )  # fmt: skip


def member_of(row: Any, codes: list[str]) -> Member:
    return Member(
        id=row.id, telegram_id=row.telegram_id, name=row.name, role=row.role,
        sector=row.sector, expertise=tuple(part for part in row.expertise.split(";") if part),
        reachable=bool(row.reachable), grid_codes=tuple(sorted(codes)), active=bool(row.active),
    )  # fmt: skip


@dataclass(frozen=True)
class Roster:
    """One consistent copy of the roster, indexed the ways intake and actions look it up."""

    version: int
    grids: dict[int, Grid] = field(default_factory=dict)
    by_chat: dict[int, Grid] = field(default_factory=dict)
    by_code: dict[str, Grid] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)  # by id, in id order; all
    # Below, active members only: one who left is found by id (old issues name them) only.
    by_telegram: dict[int, Member] = field(default_factory=dict)
    of_grid: dict[int, list[Member]] = field(default_factory=dict)  # by grid id, in id order
    gridless: list[Member] = field(default_factory=list)  # members serving no grid

    def coordinators_of(self, grid_id: int) -> list[Member]:
        """Coordinators of this grid, and those with no grids (they oversee all)."""
        found = {m.id: m for m in self.of_grid.get(grid_id, []) if m.is_coordinator}
        found.update((m.id, m) for m in self.gridless if m.is_coordinator)
        return [found[key] for key in sorted(found)]


async def _load(db: Database) -> Roster:
    async with db.read() as conn:
        # The version first: a change landing during the load makes the next look reload.
        version = (await conn.execute(select(roster_version.c.version))).scalar() or 0
        grid_rows = (await conn.execute(select(grids).order_by(grids.c.id))).all()
        member_rows = (await conn.execute(select(members).order_by(members.c.id))).all()
        pairs = select(member_grids.c.member_id, member_grids.c.grid_id)
        links = (await conn.execute(pairs)).all()
    all_grids = {row.id: grid_of(row) for row in grid_rows}
    grid_ids: dict[int, list[int]] = defaultdict(list)
    for member_id, grid_id in links:
        if grid_id in all_grids:
            grid_ids[member_id].append(grid_id)
    roster = Roster(version, grids=all_grids)
    for grid in all_grids.values():
        roster.by_code[grid.code] = grid
        if grid.chat_id is not None:
            roster.by_chat[grid.chat_id] = grid
    for row in member_rows:
        member = member_of(row, [all_grids[g].code for g in grid_ids[row.id]])
        roster.members[member.id] = member
        if not member.active:
            continue
        roster.by_telegram[member.telegram_id] = member
        for grid_id in sorted(grid_ids[row.id]):
            roster.of_grid.setdefault(grid_id, []).append(member)
        if not grid_ids[row.id]:
            roster.gridless.append(member)
    return roster


class RosterCache:
    """The process's copy of the roster; `get()` returns a current one."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.clock = clock
        self._roster: Roster | None = None
        self._checked = 0.0
        self._generation = 0  # moved by invalidate(), so a load racing a change is not kept
        self._lock = asyncio.Lock()

    async def get(self) -> Roster:
        roster = self._roster
        if roster is not None and self.clock() - self._checked < FRESH:
            return roster
        async with self._lock:
            if self._roster is not None and self.clock() - self._checked < FRESH:
                return self._roster
            checked, generation = self.clock(), self._generation
            roster = self._roster
            if roster is None or await self._version() != roster.version:
                roster = await _load(self.db)
            if generation == self._generation:
                self._roster, self._checked = roster, checked
            return roster

    def invalidate(self) -> None:
        """This process changed the roster: the next look reloads it."""
        self._roster = None
        self._generation += 1

    async def _version(self) -> int:
        async with self.db.read() as conn:
            return (await conn.execute(select(roster_version.c.version))).scalar() or 0
