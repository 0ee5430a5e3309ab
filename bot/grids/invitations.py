"""Invitations: a personal, single-use, expiring deep link per member without a Telegram id.

Only a token's SHA-256 is stored, so the link exists on the printed sheet and nowhere else;
issuing a member a new link revokes the old one."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import timefmt
from bot.language import of_person
from bot.services import Services
from storage.roster_records import PendingMember

DAYS = 30  # how long a printed invitation stays good
# 16 random bytes: 22 URL-safe characters, within /start's 64 allowed (A-Z a-z 0-9 _ -).
TOKEN_BYTES = 16


@dataclass(frozen=True)
class Invitation:
    member: PendingMember
    link: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def deep_link(username: str, token: str) -> str:
    return f"https://t.me/{username}?start={token}"


def looks_like_token(text: str) -> bool:
    """A /start argument that is an invitation, not "member" or another fixed payload
    (Telegram passes at most 64 characters; anything longer was not made by us)."""
    return 16 <= len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)


async def invite(
    services: Services, member: PendingMember, username: str, days: int = DAYS
) -> Invitation:
    """A fresh link for the member; any older one they had stops working."""
    now = services.clock()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = now + timedelta(days=days)
    await services.store.invitations.issue(member.id, token_hash(token), now, expires)
    return Invitation(member, deep_link(username, token), expires)


async def invite_all(
    services: Services, username: str, grid_code: str | None = None, days: int = DAYS
) -> list[Invitation]:
    """A link for every member (of the grid) who has not joined yet."""
    waiting = await services.store.invitations.waiting(grid_code)
    return [await invite(services, member, username, days) for member in waiting]


async def redeem(services: Services, telegram_id: int, token: str) -> str:
    """/start TOKEN: bind this Telegram user to the invited member; the answer to give."""
    texts = services.texts
    found = await services.store.invitations.redeem(
        token_hash(token), telegram_id, services.clock()
    )
    if found.outcome != "ok":
        return texts.get(await of_person(services, telegram_id), f"invite_{found.outcome}")
    lang = await of_person(services, telegram_id)  # a member now: their grids' script
    if not found.grid_codes:
        return texts.get(lang, "start_invited_all", name=found.name)
    return texts.get(lang, "start_invited", name=found.name, grids="、".join(found.grid_codes))


async def invite_by_name(services: Services, telegram_id: int, name: str) -> str:
    """/invite NAME from a coordinator, in private: the link, or why not."""
    texts = services.texts
    asker = await services.store.members.by_telegram_id(telegram_id)
    if asker is None or not asker.is_coordinator:
        return texts.get(await of_person(services, telegram_id), "invite_refused")
    lang = await of_person(services, telegram_id)
    if not name.strip():
        return texts.get(lang, "invite_usage")
    member = await services.store.invitations.by_name(" ".join(name.split()))
    if member is None or not _oversees(asker.grid_codes, member):
        return texts.get(lang, "invite_unknown_name", name=name.strip())
    if not services.bot_username:
        return texts.get(lang, "invite_no_username")
    made = await invite(services, member, services.bot_username)
    expires = shown_day(services, made.expires_at)
    return texts.get(lang, "invite_link", name=member.name, link=made.link, expires=expires)


def shown_day(services: Services, moment: datetime) -> str:
    return timefmt.day(moment.astimezone(services.settings.timezone).date())


def _oversees(codes: tuple[str, ...], member: PendingMember) -> bool:
    """A coordinator invites members of the grids they oversee (all, with no grids)."""
    return not codes or bool(set(codes) & set(member.grid_codes))
