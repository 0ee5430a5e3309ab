"""Online consultation (线上协商): `/consult online 标题 | 选项A | 选项B ...` posts the topic in
the grid group with a native poll and an end time; replies to either are kept as comments;
at the end the result is posted, recorded as the consultation's minutes, and noted on its
issues as for a meeting. Closing: bot/consult/online_close.py."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import timefmt
from bot.consult.meetings import (
    QUESTION_TITLE,
    TITLE_LIMIT,
    Malformed,
    announced,
    checked_grid,
    numbers_line,
    parse_numbers,
    parse_time,
    poll_of,
)  # fmt: skip
from bot.issues.cases import Actor, Answer
from bot.language import of_chat
from bot.privacy import excerpt, mask
from bot.services import Services
from storage.meetings import MeetingDraft, Posts
from storage.records import (
    Comment,
    Grid,
    IssueEvent,
    Meeting,
    MeetingKind,
    MessageKind,
)

logger = logging.getLogger(__name__)

DEFAULT_OPEN = timedelta(hours=48)
OPTIONS = (2, 10)  # Telegram takes 2 to 12 options; ten is already a long ballot
OPTION_LIMIT = 100  # Telegram's limit for an option's text
_END = re.compile(r"^(?:截止|截至|截止时间|結束|结束)\s*[:：]?\s*(.+)$")


@dataclass(frozen=True)
class NewOnline:
    title: str
    options: tuple[str, ...]
    ends_at: datetime
    numbers: tuple[int, ...]


def parse_online(args: str, zone: ZoneInfo, now: datetime) -> NewOnline:
    """`标题 | A | B [| 截止 2026-12-05 18:00] [| #1 #2]` → NewOnline, or Malformed."""
    parts = [part.strip() for part in args.replace("｜", "|").split("|")]
    title, options = parts[0], []
    ends_at: datetime | None = None
    numbers: tuple[int, ...] | None = ()
    for part in parts[1:]:
        if end := _END.match(part):
            if ends_at is not None:
                raise Malformed("consult_online_usage")
            ends_at = parse_time(end[1], zone)
            if ends_at is None or ends_at <= now:
                raise Malformed("consult_online_bad_end")
        elif part.startswith("#"):
            numbers = parse_numbers(part) if not numbers else None
        elif part and len(part) <= OPTION_LIMIT and part not in options:
            options.append(part)
        else:
            raise Malformed("consult_online_usage")
    low, high = OPTIONS
    if not title or len(title) > TITLE_LIMIT or not low <= len(options) <= high or numbers is None:
        raise Malformed("consult_online_usage")
    return NewOnline(title, tuple(options), ends_at or now + DEFAULT_OPEN, numbers)


async def start(
    services: Services, actor: Actor, chat_id: int, message_id: int, private: bool, args: str
) -> Answer:
    """`/consult online ...`: store it and owe the group its announcement and poll."""
    texts, now = services.texts, services.clock()
    lang = await of_chat(services, None if private else chat_id, actor.telegram_id)
    try:
        new = parse_online(args, services.settings.timezone, now)
    except Malformed as exc:
        return Answer(texts.get(lang, str(exc)), ok=False)
    found = await checked_grid(services, actor, chat_id, private, new.numbers, lang)
    if isinstance(found, Answer):
        return found
    grid = found
    draft = MeetingDraft(
        grid.id, new.title, now, "", actor.telegram_id, actor.name, now, chat_id, message_id,
        new.numbers, kind=MeetingKind.ONLINE, options=new.options, ends_at=new.ends_at,
    )  # fmt: skip
    meeting = await services.store.meetings.create(
        draft,
        lambda m: _link_events(services, m, grid.language),
        lambda m: posts(services, grid, m),
    )
    if meeting is None:  # the same command again (re-delivered): answered the first time
        return Answer("", ok=True, posted_in=chat_id)
    logger.info("online consultation %s opened in %s until %s", meeting.id, grid.code, new.ends_at)
    text = texts.get(
        lang, "consult_online_created", id=meeting.id, count=len(new.numbers),
        end=timefmt.short(new.ends_at, services.settings.timezone),
    )  # fmt: skip
    return Answer(text, ok=True, posted_in=grid.chat_id)


def _link_events(services: Services, meeting: Meeting, language: str) -> list[IssueEvent]:
    """Each linked issue's timeline says it is put to the residents online."""
    assert meeting.ends_at is not None
    note = services.texts.get(
        language, "consult_online_link_note", id=meeting.id, title=meeting.title,
        end=timefmt.short(meeting.ends_at, services.settings.timezone),
    )  # fmt: skip
    return [
        IssueEvent(issue_id=number, at=meeting.created_at, action="consult",
                   actor_id=meeting.created_by, actor_name=meeting.created_by_name, note=note)
        for number in meeting.issue_ids
    ]  # fmt: skip


def posts(services: Services, grid: Grid, meeting: Meeting) -> Posts:
    """The announcement, then a non-anonymous poll of the options (answers are counted)."""
    texts, lang, now = services.texts, grid.language, services.clock()
    assert grid.chat_id is not None and meeting.ends_at is not None
    end = timefmt.short(meeting.ends_at, services.settings.timezone)
    text = texts.get(
        lang, "consult_online_announce", id=meeting.id, title=meeting.title,
        options=" / ".join(meeting.options), end=end,
        issues=numbers_line(services, lang, meeting),
    )  # fmt: skip
    title = excerpt(meeting.title, QUESTION_TITLE)
    poll = poll_of(
        texts.get(lang, "consult_online_poll", title=title, end=end), meeting.options,
        f"online:{meeting.id}",
    )  # fmt: skip
    return announced(grid, now, mask(text), poll, MessageKind.ONLINE, MessageKind.ONLINE_POLL)


async def take_comment(
    services: Services, chat_id: int, message_id: int, reply_to: int, user: Actor, text: str
) -> bool:
    """A reply to an open online consultation's announcement or poll is a comment (not an
    issue, nor a supporter); False when the reply is to something else."""
    meeting = await services.store.meetings.by_post(chat_id, reply_to)
    if meeting is None:
        return False
    comment = Comment(
        meeting_id=meeting.id, telegram_id=user.telegram_id, name=user.name, text=text,
        chat_id=chat_id, message_id=message_id, at=services.clock(),
    )  # fmt: skip
    if await services.store.meetings.add_comment(comment):
        logger.info("comment on online consultation %s", meeting.id)
    return True
