"""Recurring topics: when one category keeps coming up in a community, or one issue gathers
many supporters, the coordinators are offered a 微协商 with the issues already filled in.

Each topic is offered exactly once: its key is claimed with the offer in one transaction.
Issues already offered (or already taken up by a meeting) do not count towards a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.language import of_member
from bot.privacy import excerpt
from bot.quiet import deferred
from bot.services import Services
from bot.texts import Html
from storage.records import Grid, Issue, Member, MessageKind, OutgoingMessage
from storage.support_records import TopicOffer

logger = logging.getLogger(__name__)

# An offer written in a coordinator's script: the same topic reads in each one's own.
Offer = Callable[[str], str]
EXCERPT = 30
LISTED = 10
FIRST_SLOT_AFTER = timedelta(days=3)  # time to put up the notice and gather residents


def _excerpt(text: str) -> str:
    return excerpt(text, EXCERPT)


def meeting_slot(services: Services, now: datetime) -> datetime:
    """A proposed time: the weekly meeting day and hour (the digest's) a few days ahead."""
    settings = services.settings
    day = (now + FIRST_SLOT_AFTER).astimezone(settings.timezone).date()
    day += timedelta(days=(settings.digest_weekday - day.weekday()) % 7)
    return datetime.combine(day, settings.digest_time, tzinfo=settings.timezone)


def consult_command(
    services: Services, lang: str, where: str, category: str, issues: Sequence[Issue]
) -> str:
    """A ready `/consult new ...` line the coordinator can send back as it is."""
    texts = services.texts
    title = texts.get(lang, "topic_title", where=where, category=texts.name(lang, category))
    place = texts.get(lang, "topic_place", where=where)
    when = meeting_slot(services, services.clock()).strftime("%Y-%m-%d %H:%M")
    numbers = " ".join(f"#{issue.id}" for issue in issues)
    return f"/consult new {title} | {when} | {place} | {numbers}"


async def offer_topics(services: Services, now: datetime) -> int:
    """Offer every topic that recurs now (SPEC §9: issues of one category in one community);
    returns how many were offered. A sweep (job `consult:topics`), not a step of intake: one
    grouped query every few minutes costs less than three queries for every message."""
    settings = services.settings
    since = now - timedelta(days=settings.topic_days)
    offered = 0
    for community, category, found in await services.store.topics.recurring(
        since, settings.topic_issues
    ):
        offered += await _offer_recurring(services, community, category, found)
    return offered


async def _offer_recurring(
    services: Services, community: str, category: str, found: list[Issue]
) -> bool:
    settings = services.settings
    grids = {g.id: g for g in await _grids(services, {i.grid_id for i in found})}

    def text(lang: str) -> str:
        lines = [
            services.texts.get(lang, "topic_line", n=i.id, grid=grids[i.grid_id].code,
                               text=_excerpt(i.text))
            for i in found[:LISTED]
        ]  # fmt: skip
        return services.texts.get(
            lang, "topic_offer_issues", community=community, days=settings.topic_days,
            count=len(found), category=services.texts.name(lang, category),
            lines=Html("\n".join(lines)),  # filled already
            command=consult_command(services, lang, community, category, found[:LISTED]),
        )  # fmt: skip

    offer = TopicOffer(
        key=f"issues:{found[0].id}:{category}", kind="issues", community=community,
        category=category, last_issue_id=found[-1].id, at=services.clock(),
    )  # fmt: skip
    return await _offer(services, offer, list(grids.values()), text)


async def after_support(services: Services, grid: Grid, issue: Issue, count: int) -> bool:
    """Offer a topic when an issue reaches the supporters threshold; True if offered now."""
    if count < services.settings.topic_supporters:
        return False
    where = grid.community or grid.name

    def text(lang: str) -> str:
        return services.texts.get(
            lang, "topic_offer_supporters", n=issue.id, grid=f"{grid.code} {grid.name}",
            category=services.texts.name(lang, issue.category), count=count,
            text=_excerpt(issue.text),
            command=consult_command(services, lang, where, issue.category, [issue]),
        )  # fmt: skip

    offer = TopicOffer(
        key=f"supporters:{issue.id}", kind="supporters", community=grid.community or grid.code,
        category=issue.category, last_issue_id=issue.id, at=services.clock(),
    )  # fmt: skip
    return await _offer(services, offer, [grid], text)


async def _grids(services: Services, ids: set[int]) -> list[Grid]:
    found = [await services.store.grids.by_id(grid_id) for grid_id in sorted(ids)]
    return [grid for grid in found if grid is not None]


async def _offer(services: Services, offer: TopicOffer, grids: list[Grid], text: Offer) -> bool:
    """Claim the topic and tell every coordinator of its grids, privately, once, each in
    their own script."""
    coordinators: dict[int, Member] = {}
    for grid in grids:
        for member in await services.store.members.coordinators_of(grid.id):
            coordinators[member.telegram_id] = member
    every = await services.store.grids.all()
    messages = [
        deferred(
            services.settings,
            _private(services, member, text(of_member(member, every))),
            urgent=False,
        )
        for member in coordinators.values()
    ]
    offered = await services.store.topics.offer(offer, messages)
    if offered:
        logger.info("topic %s offered to %d coordinators", offer.key, len(messages))
    return offered


def _private(services: Services, member: Member, text: str) -> OutgoingMessage:
    return OutgoingMessage(
        kind=MessageKind.TOPIC, chat_id=member.telegram_id, text=text, created_at=services.clock()
    )
