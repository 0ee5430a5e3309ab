"""Members not yet joined, and the single-use invitations that bind them to a Telegram user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from storage.database import Database
from storage.roster_cache import RosterCache
from storage.roster_records import PendingMember
from storage.schema import grids, invitations, member_grids, members, pending_members
from storage.upsert import upsert


def _pending(row: Any) -> PendingMember:
    return PendingMember(
        id=row.id, name=row.name, role=row.role, sector=row.sector,
        expertise=tuple(p for p in row.expertise.split(";") if p),
        grid_codes=tuple(p for p in row.grid_codes.split(";") if p),
    )  # fmt: skip


@dataclass(frozen=True)
class Redeemed:
    """What opening an invitation came to: `outcome` ok, used, expired, revoked, unknown or
    member (the Telegram user is a member already); the member's name and grids when ok."""

    outcome: str
    name: str = ""
    grid_codes: tuple[str, ...] = ()


class InvitationStore:
    def __init__(self, db: Database, roster: RosterCache) -> None:
        self.db = db
        self.roster = roster

    async def waiting(self, grid_code: str | None = None) -> list[PendingMember]:
        """Members still to join, by name; with a code, those of that grid (and gridless)."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(pending_members)
                .where(pending_members.c.active.is_(True))
                .order_by(pending_members.c.name)
            )
            found = [_pending(row) for row in rows]
        if grid_code is None:
            return found
        return [p for p in found if grid_code in p.grid_codes or not p.grid_codes]

    async def by_name(self, name: str) -> PendingMember | None:
        return next((p for p in await self.waiting() if p.name == name), None)

    async def issue(
        self, pending_id: int, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        """A new invitation; the member's earlier unused ones stop working (the newest counts)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                update(invitations)
                .where(
                    invitations.c.pending_id == pending_id,
                    invitations.c.used_at.is_(None),
                    invitations.c.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            await conn.execute(
                insert(invitations).values(
                    token_hash=token_hash, pending_id=pending_id, created_at=now,
                    expires_at=expires_at,
                )
            )  # fmt: skip

    async def revoke(self, pending_id: int, now: datetime) -> int:
        async with self.db.transaction() as conn:
            result = await conn.execute(
                update(invitations)
                .where(
                    invitations.c.pending_id == pending_id,
                    invitations.c.used_at.is_(None),
                    invitations.c.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
        return int(result.rowcount or 0)

    async def redeem(self, token_hash: str, telegram_id: int, now: datetime) -> Redeemed:
        """Bind the Telegram user to the invited member, once; the row lock makes a second
        press of the same link (or two users at once) find it used."""
        async with self.db.transaction() as conn:
            query = select(invitations).where(invitations.c.token_hash == token_hash)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            invite = (await conn.execute(query)).first()
            if invite is None:
                return Redeemed("unknown")
            if invite.used_at is not None:
                return Redeemed("used")
            if invite.revoked_at is not None:
                return Redeemed("revoked")
            if invite.expires_at <= now:
                return Redeemed("expired")
            person = (
                await conn.execute(
                    select(pending_members).where(pending_members.c.id == invite.pending_id)
                )
            ).one()
            if not person.active:
                return Redeemed("revoked")
            known = await conn.execute(
                select(members.c.active).where(members.c.telegram_id == telegram_id)
            )
            if known.scalar() is True:
                return Redeemed("member")
            await _enrol(conn, _pending(person), telegram_id)
            await conn.execute(
                update(invitations)
                .where(invitations.c.id == invite.id)
                .values(used_at=now, used_by=telegram_id)
            )
            await conn.execute(
                update(pending_members)
                .where(pending_members.c.id == person.id)
                .values(active=False)
            )
        self.roster.invalidate()
        return Redeemed("ok", person.name, _pending(person).grid_codes)


async def _enrol(conn: Any, person: PendingMember, telegram_id: int) -> None:
    """The invitee becomes a member; they opened a private chat, so they can be written to."""
    values = dict(
        telegram_id=telegram_id, name=person.name, role=person.role, sector=person.sector,
        expertise=";".join(person.expertise), reachable=True, active=True,
    )  # fmt: skip
    await upsert(conn, members, values, keys=["telegram_id"])
    member_id = (
        await conn.execute(select(members.c.id).where(members.c.telegram_id == telegram_id))
    ).scalar_one()
    await conn.execute(delete(member_grids).where(member_grids.c.member_id == member_id))
    ids = await conn.execute(select(grids.c.id).where(grids.c.code.in_(person.grid_codes)))
    rows = [{"member_id": member_id, "grid_id": gid} for gid in ids.scalars()]
    if rows:
        await conn.execute(insert(member_grids), rows)
