"""/stats and /digest: figures and digests on demand, for members and coordinators."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType

from bot.language import of_chat
from bot.reports import digest, oversight
from bot.reports.digest import Window
from bot.services import Services
from handlers.context import GridContext
from handlers.replies import answer
from storage.records import Grid, Member

logger = logging.getLogger(__name__)

STATS_DAYS = 30


async def _asker(message: Message, services: Services) -> Member | None:
    """The member or coordinator asking; anyone else is told the command is not for them."""
    assert message.from_user is not None
    member = await services.store.members.by_telegram_id(message.from_user.id)
    if member is None:
        language = await of_chat(services, message.chat_id, message.from_user.id)
        await answer(message, services.texts.get(language, "members_only"))
    return member


async def _grids(message: Message, services: Services, member: Member) -> list[Grid]:
    """In a group, its grid if the asker serves it; in private, every grid they serve."""
    grids = oversight.overseen(member, await services.store.grids.all())
    if message.chat.type == ChatType.PRIVATE:
        return grids
    return [grid for grid in grids if grid.chat_id == message.chat_id]


async def show_stats(update: Update, context: GridContext) -> None:
    """/stats: 响应率, 解决率 and 满意率 of the last 30 days, for this grid or all one's grids."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    services = context.services
    member = await _asker(message, services)
    if member is None:
        return
    grids = await _grids(message, services, member)
    window = Window.ending(services.clock(), services.settings.timezone, days=STATS_DAYS)
    private = message.chat.type == ChatType.PRIVATE
    # Who cannot be reached is for coordinators' eyes, not for the whole group.
    coordinator = member.is_coordinator and private
    text = await oversight.report(services, grids, window, "stats_head", coordinator)
    await answer(message, text)


async def send_digest(update: Update, context: GridContext) -> None:
    """/digest: the group's weekly digest now, or in private one's figures for the week."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    services = context.services
    member = await _asker(message, services)
    if member is None:
        return
    grids = await _grids(message, services, member)
    window = Window.ending(services.clock(), services.settings.timezone)
    if message.chat.type == ChatType.PRIVATE:
        text = await oversight.report(
            services, grids, window, "oversight_head", member.is_coordinator
        )
        owed = oversight.private_messages(services, member, text, reply_to=message.message_id)
    elif not grids:
        language = await of_chat(services, message.chat_id, member.telegram_id)
        await answer(message, services.texts.get(language, "no_grids"))
        return
    else:
        found = await digest.collect(services, window, grids)
        owed = digest.messages(services, found[0], window, reply_to=message.message_id)
    # Through the outbox like every digest: the chart is drawn there and retries are kept.
    await services.store.outbox.add(owed)
    logger.info("update %s: /digest, %d messages", update.update_id, len(owed))
