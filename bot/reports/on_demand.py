"""Figures and digests on request (/stats, /digest): who may ask, for which grids, and what
is said or owed. In a group: its grid, if the asker serves it; in private: all their grids."""

from __future__ import annotations

import logging

from bot.language import of_chat
from bot.reports import digest, oversight
from bot.reports.digest import Window
from bot.services import Services
from storage.records import Grid, Member

logger = logging.getLogger(__name__)

STATS_DAYS = 30


async def _grids(services: Services, member: Member, chat_id: int, private: bool) -> list[Grid]:
    grids = oversight.overseen(member, await services.store.grids.all())
    return grids if private else [grid for grid in grids if grid.chat_id == chat_id]


async def _refusal(services: Services, telegram_id: int, chat_id: int, key: str) -> str:
    return services.texts.get(await of_chat(services, chat_id, telegram_id), key)


async def stats(services: Services, telegram_id: int, chat_id: int, private: bool) -> str:
    """响应率, 解决率 and 满意率 of the last 30 days; members and coordinators only."""
    member = await services.store.members.by_telegram_id(telegram_id)
    if member is None:
        return await _refusal(services, telegram_id, chat_id, "members_only")
    grids = await _grids(services, member, chat_id, private)
    if not private and not grids:  # an unbound group, or another grid's: nothing to say there
        return await _refusal(services, telegram_id, chat_id, "ask_privately")
    window = Window.ending(services.clock(), services.settings.timezone, days=STATS_DAYS)
    # Who cannot be reached is for coordinators' eyes, not for the whole group.
    coordinator = member.is_coordinator and private
    lang = await of_chat(services, None if private else chat_id, telegram_id)
    return await oversight.report(services, grids, window, "stats_head", coordinator, lang)


async def digest_now(
    services: Services, telegram_id: int, chat_id: int, private: bool, reply_to: int
) -> str | None:
    """The group's weekly digest now (or, in private, one's figures for the week), owed
    through the outbox like every digest (the chart is drawn there, retries are kept).
    Returns a refusal to say instead, or None when the digest is on its way."""
    member = await services.store.members.by_telegram_id(telegram_id)
    if member is None:
        return await _refusal(services, telegram_id, chat_id, "members_only")
    grids = await _grids(services, member, chat_id, private)
    window = Window.ending(services.clock(), services.settings.timezone)
    if private:
        lang = await of_chat(services, None, telegram_id)
        text = await oversight.report(
            services, grids, window, "oversight_head", member.is_coordinator, lang
        )
        owed = oversight.private_messages(services, member, text, reply_to=reply_to)
    elif not grids:  # an unbound group, or another grid's
        return await _refusal(services, telegram_id, chat_id, "ask_privately")
    else:
        found = await digest.collect(services, window, grids)
        owed = digest.messages(services, found[0], window, reply_to=reply_to)
    await services.store.outbox.add(owed)
    logger.info("/digest by %s: %d messages", telegram_id, len(owed))
    return None
