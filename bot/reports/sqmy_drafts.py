"""/sqmy: a coordinator asks in private and gets the 社情民意 draft as a Word document,
through the outbox like the spot-check workbook."""

from __future__ import annotations

import logging

from bot import timefmt
from bot.issues.cases import Actor, Answer
from bot.language import of_person
from bot.reports import sqmy, sqmy_render
from bot.services import Services
from storage.records import Member, MessageKind, OutgoingMessage, Priority

logger = logging.getLogger(__name__)


def parse_period(args: str) -> sqmy.Filters | None:
    """Nothing (the last 30 days) or two days `YYYY-MM-DD YYYY-MM-DD`; None if malformed."""
    parts = args.split()
    if not parts:
        return sqmy.Filters()
    days = [timefmt.parse_day(part) for part in parts]
    if len(days) != 2 or days[0] is None or days[1] is None or days[0] > days[1]:
        return None
    return sqmy.Filters(start=days[0], end=days[1])


def _within(member: Member) -> tuple[str, ...] | None:
    """A coordinator with no grids oversees all."""
    return member.grid_codes or None


async def request(services: Services, actor: Actor, args: str, reply_to: int) -> Answer:
    """The draft for a coordinator, owed as a document; other people get one line."""
    texts = services.texts
    lang = await of_person(services, actor.telegram_id)
    member = await services.store.members.by_telegram_id(actor.telegram_id)
    if member is None or not member.is_coordinator:
        return Answer(texts.get(lang, "sqmy_refused"), ok=False)
    period = parse_period(args)
    if period is None:
        return Answer(texts.get(lang, "sqmy_usage"), ok=False)
    filters = sqmy.Filters(start=period.start, end=period.end, within=_within(member))
    report = await sqmy.build(services, filters)
    if not report.topics:
        return Answer(sqmy_render.nothing(report, texts, services.settings), ok=True)
    caption = texts.get(
        lang, "sqmy_caption", start=timefmt.day(report.start), end=timefmt.day(report.end),
        count=len(report.topics),
    )  # fmt: skip
    document = OutgoingMessage(
        kind=MessageKind.SQMY,
        chat_id=actor.telegram_id,
        text=caption,
        created_at=services.clock(),
        reply_to_message_id=reply_to,
        priority=Priority.ACK,
        media_kind="document",
        media_name=f"sqmy-{report.start}-{report.end}.docx",
        media=sqmy_render.to_docx(report, texts, services.settings.timezone),
    )
    await services.store.outbox.add([document])
    logger.info("sqmy draft of %d topics owed to %s", len(report.topics), actor.telegram_id)
    return Answer("", ok=True)
