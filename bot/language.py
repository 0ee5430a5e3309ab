"""Which script an answer is written in: a group's grid decides; in private, the grids the
person serves (or, for a resident, the groups they wrote in); else the county's default.
Every answer takes its script from here or from a grid; nothing else names one."""

from __future__ import annotations

from collections.abc import Iterable

from bot.services import Services
from bot.texts import DEFAULT, TRADITIONAL, language_of
from storage.records import Grid, Member


def of_grids(grids: Iterable[Grid]) -> str:
    """The script these grids share, else the default (a coordinator of many)."""
    return language_of(grid.language for grid in grids)


def of_member(member: Member, grids: Iterable[Grid]) -> str:
    """The script a member or coordinator reads, among all `grids`: that of those they serve
    (a coordinator of Traditional grids reads Traditional)."""
    return of_grids(grid for grid in grids if member.serves(grid.code))


async def of_person(services: Services, telegram_id: int | None) -> str:
    """The script a member or coordinator reads: that of the grids they serve."""
    if telegram_id is None:
        return DEFAULT
    member = await services.store.members.by_telegram_id(telegram_id)
    if member is None:
        return DEFAULT
    return of_member(member, await services.store.grids.all())


async def of_chat(services: Services, chat_id: int | None, telegram_id: int | None) -> str:
    """The script to answer in, in this chat, to this person."""
    if chat_id is not None and (grid := await services.store.grids.by_chat(chat_id)):
        return grid.language
    return await of_person(services, telegram_id)


# Telegram's language codes (IETF tags) of people who read Traditional characters.
TRADITIONAL_APPS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


def of_app(code: str, otherwise: str) -> str:
    """Traditional for someone whose Telegram is in Traditional Chinese (the web app knows
    it from initData), else `otherwise`."""
    return TRADITIONAL if code.lower().startswith(TRADITIONAL_APPS) else otherwise
