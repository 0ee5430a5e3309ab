"""微协商 meetings: `/consult new` schedules one and announces it with an attendance poll,
`/consult list` shows them, and poll answers are counted. Minutes: bot/consult/minutes.py."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import timefmt
from bot.issues.cases import Actor, Answer, load_case
from bot.issues.parsing import parse_number
from bot.language import of_chat, of_grids
from bot.lifecycle import STAFF
from bot.privacy import excerpt, mask
from bot.services import Services
from bot.texts import plain
from storage.meetings import MeetingDraft, Posts
from storage.records import (
    Grid,
    IssueEvent,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    MessageKind,
    OutgoingMessage,
    PollSpec,
    Priority,
)

logger = logging.getLogger(__name__)

POLL_OPTIONS = ("poll_yes", "poll_no", "poll_maybe")  # the order of meeting_votes.choice
TITLE_LIMIT = 100
PLACE_LIMIT = 100
QUESTION_TITLE = 80  # a poll question holds 300 characters, with the time around the title
# Telegram's limits for a poll; its texts have no parse mode, so they go as plain text.
POLL_QUESTION = 300
POLL_OPTION = 100
LISTED = 20
LIST_BACK = timedelta(days=90)  # /consult list: the last quarter's meetings and those to come


class Malformed(Exception):
    """The /consult line does not fit; the message is the texts key of the answer."""


@dataclass(frozen=True)
class NewMeeting:
    title: str
    starts_at: datetime
    place: str
    numbers: tuple[int, ...]


def parse_new(args: str, zone: ZoneInfo, now: datetime) -> NewMeeting:
    """`标题 | 2026-12-03 15:00 | 地点 | #1 #2` (full-width ｜ too) → NewMeeting, or Malformed."""
    parts = [part.strip() for part in args.replace("｜", "|").split("|")]
    if len(parts) not in (3, 4) or not parts[0] or not parts[2]:
        raise Malformed("consult_usage")
    if len(parts[0]) > TITLE_LIMIT or len(parts[2]) > PLACE_LIMIT:
        raise Malformed("consult_usage")
    starts_at = parse_time(parts[1], zone)
    if starts_at is None or starts_at <= now:
        raise Malformed("consult_bad_time")
    numbers = parse_numbers(parts[3]) if len(parts) == 4 else ()
    if numbers is None:
        raise Malformed("consult_usage")
    return NewMeeting(parts[0], starts_at, parts[2], numbers)


def parse_time(text: str, zone: ZoneInfo) -> datetime | None:
    """`YYYY-MM-DD HH:MM` (or with / or T) as a moment in the configured zone."""
    cleaned = re.sub(r"\s+", " ", text.replace("/", "-").replace("T", " ").strip())
    try:
        local = datetime.strptime(cleaned, "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return local.replace(tzinfo=zone)


def parse_numbers(text: str) -> tuple[int, ...] | None:
    """`#1 #2、#3` → (1, 2, 3), repeats dropped; None if anything else is there."""
    tokens = [t for t in re.split(r"[\s,，、;；]+", text.replace("#", " #")) if t]
    numbers = [parse_number(token) for token in tokens]
    if any(number is None for number in numbers):
        return None
    return tuple(dict.fromkeys(n for n in numbers if n is not None))


def serves(member: Member | None, grid: Grid) -> bool:
    """A member of the grid, or a coordinator overseeing it (one with no grids oversees all)."""
    return member is not None and member.serves(grid.code)


async def schedule(
    services: Services, actor: Actor, chat_id: int, message_id: int, private: bool, args: str
) -> Answer:
    """`/consult new ...`: store the meeting and owe its announcement and poll to the group."""
    texts, now = services.texts, services.clock()
    lang = await of_chat(services, None if private else chat_id, actor.telegram_id)
    try:
        new = parse_new(args, services.settings.timezone, now)
    except Malformed as exc:
        return Answer(texts.get(lang, str(exc)), ok=False)
    found = await checked_grid(services, actor, chat_id, private, new.numbers, lang)
    if isinstance(found, Answer):
        return found
    grid, store = found, services.store
    member = await store.members.by_telegram_id(actor.telegram_id)
    assert member is not None
    draft = MeetingDraft(
        grid.id, new.title, new.starts_at, new.place, actor.telegram_id, member.name, now,
        chat_id, message_id, new.numbers,
    )  # fmt: skip
    meeting = await store.meetings.create(
        draft,
        lambda m: _link_events(services, m, grid.language),
        lambda m: announcement(services, grid, m),
    )
    if meeting is None:  # the same command again (re-delivered): answered the first time
        return Answer("", ok=True, posted_in=chat_id)
    logger.info("meeting %s scheduled in %s with issues %s", meeting.id, grid.code, new.numbers)
    text = texts.get(lang, "consult_created", id=meeting.id, count=len(new.numbers))
    return Answer(text, ok=True, posted_in=grid.chat_id)


async def meeting_grid(
    services: Services, actor: Actor, chat_id: int, private: bool, numbers: tuple[int, ...]
) -> Grid | None:
    """The group's grid; in private, the grid of the first linked issue."""
    if not private:
        return await services.store.grids.by_chat(chat_id)
    case = await load_case(services, actor, numbers[0]) if numbers else None
    return case.grid if case else None


async def checked_grid(
    services: Services,
    actor: Actor,
    chat_id: int,
    private: bool,
    numbers: tuple[int, ...],
    lang: str,
) -> Grid | Answer:
    """The grid a meeting or online consultation is for, if the person serves it and may link
    these issues; else the answer why not, in `lang`."""
    texts = services.texts
    if private and not numbers:
        return Answer(texts.get(lang, "consult_no_grid"), ok=False)
    grid = await meeting_grid(services, actor, chat_id, private, numbers)
    if grid is None:
        key = "consult_bad_issue" if private else "unbound_here"
        return Answer(texts.get(lang, key, n=numbers[0] if private else 0), ok=False)
    if not serves(await services.store.members.by_telegram_id(actor.telegram_id), grid):
        return Answer(texts.get(lang, "consult_refused"), ok=False)
    for number in numbers:
        case = await load_case(services, actor, number)
        # Only the meeting's own grid: another grid's issue would be named in this group.
        if case is None or not case.roles & STAFF or case.grid.id != grid.id:
            return Answer(texts.get(lang, "consult_bad_issue", n=number), ok=False)
    if grid.chat_id is None:
        return Answer(texts.get(lang, "consult_unbound", code=grid.code), ok=False)
    return grid


def _link_events(services: Services, meeting: Meeting, language: str) -> list[IssueEvent]:
    """Each linked issue's timeline says it goes to the meeting (no group post: the
    announcement lists them all)."""
    shown = timefmt.short(meeting.starts_at, services.settings.timezone)
    note = services.texts.get(
        language, "consult_link_note", id=meeting.id, title=meeting.title, time=shown,
        place=meeting.place,
    )  # fmt: skip
    return [
        IssueEvent(issue_id=number, at=meeting.created_at, action="consult",
                   actor_id=meeting.created_by, actor_name=meeting.created_by_name, note=note)
        for number in meeting.issue_ids
    ]  # fmt: skip


def numbers_line(services: Services, language: str, meeting: Meeting) -> str:
    if not meeting.issue_ids:
        return ""
    numbers = " ".join(f"#{n}" for n in meeting.issue_ids)
    return services.texts.get(language, "consult_issues", numbers=numbers)


def poll_of(question: str, options: Sequence[str], ref: str) -> PollSpec:
    """A native poll as Telegram takes it: the question (a filled-in template) as plain text,
    so `水&amp;电` shows as 水&电; question and options masked and within Telegram's limits."""
    return PollSpec(
        question=excerpt(plain(question), POLL_QUESTION),
        options=tuple(excerpt(option, POLL_OPTION) for option in options),
        ref=ref,
    )


def announced(
    grid: Grid, now: datetime, text: str, poll: PollSpec, kind: MessageKind, poll_kind: MessageKind
) -> Posts:
    """A meeting's two posts in its group, face to face or online: the announcement, then
    its poll (the poll's question is its record in the outbox)."""
    assert grid.chat_id is not None
    return (
        OutgoingMessage(kind=kind, chat_id=grid.chat_id, text=text, created_at=now,
                        priority=Priority.ACK),
        OutgoingMessage(kind=poll_kind, chat_id=grid.chat_id, text=poll.question,
                        created_at=now, priority=Priority.ACK, poll=poll),
    )  # fmt: skip


def announcement(services: Services, grid: Grid, meeting: Meeting) -> Posts:
    """发布预告: the notice, then a non-anonymous poll whose answers count attendance."""
    texts, lang, now = services.texts, grid.language, services.clock()
    assert grid.chat_id is not None
    shown = timefmt.short(meeting.starts_at, services.settings.timezone)
    text = texts.get(
        lang, "consult_announce", id=meeting.id, title=meeting.title, time=shown,
        place=meeting.place, issues=numbers_line(services, lang, meeting),
    )  # fmt: skip
    title = excerpt(meeting.title, QUESTION_TITLE)
    poll = poll_of(
        texts.get(lang, "consult_poll", title=title, time=shown),
        [plain(texts.get(lang, key)) for key in POLL_OPTIONS], f"meeting:{meeting.id}",
    )  # fmt: skip
    return announced(grid, now, mask(text), poll, MessageKind.CONSULT, MessageKind.CONSULT_POLL)


async def record_vote(
    services: Services, poll_id: str, user_id: int, name: str, option_ids: list[int]
) -> bool:
    """A poll answer: an attendance choice, or an online consultation's vote (none: the vote
    was retracted)."""
    ref = await services.store.outbox.poll_ref(poll_id)
    kind, _, raw = (ref or "").partition(":")
    if kind not in tuple(MeetingKind) or not raw.isdigit():
        return False
    choice = option_ids[0] if option_ids else None
    choices = len(POLL_OPTIONS)
    if kind == MeetingKind.ONLINE:  # its own options; votes after the close no longer count
        meeting = await services.store.meetings.get(int(raw))
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
            return False
        choices = len(meeting.options)
    if choice is not None and not 0 <= choice < choices:
        return False
    await services.store.meetings.vote(int(raw), user_id, name, choice, services.clock())
    return True


async def list_meetings(services: Services, user_id: int, chat_id: int, private: bool) -> str:
    """`/consult list`: the group's meetings; in private, those of every grid one serves."""
    store, texts = services.store, services.texts
    lang = await of_chat(services, None if private else chat_id, user_id)
    if private:
        member = await store.members.by_telegram_id(user_id)
        if member is None:
            return texts.get(lang, "members_only")
        grids = [grid for grid in await store.grids.all() if serves(member, grid)]
    else:
        grid = await store.grids.by_chat(chat_id)
        grids = [grid] if grid is not None else []
    if not grids:
        return texts.get(lang, "unbound_here" if not private else "no_grids")
    language = of_grids(grids)
    since = services.clock() - LIST_BACK
    found = await store.meetings.of_grids([g.id for g in grids], since, LISTED)
    if not found:
        return texts.get(language, "consult_list_empty")
    lines = [texts.get(language, "consult_list_head", count=len(found))]
    lines.extend(list_line(services, language, meeting) for meeting in found)
    return "\n".join(lines)


def list_line(services: Services, language: str, meeting: Meeting) -> str:
    if meeting.kind == MeetingKind.ONLINE:
        return online_line(services, language, meeting)
    texts = services.texts
    yes, no, maybe = meeting.votes
    issues = " ".join(f"#{n}" for n in meeting.issue_ids)
    return texts.get(
        language, "consult_list_line", id=meeting.id,
        time=timefmt.short(meeting.starts_at, services.settings.timezone), title=meeting.title,
        place=meeting.place, state=texts.get(language, f"consult_state_{meeting.status}"),
        yes=yes, no=no, maybe=maybe, issues=f"｜{issues}" if issues else "",
    )  # fmt: skip


def vote_items(services: Services, language: str, meeting: Meeting) -> str:
    """An online consultation's votes, `A 3 票、B 1 票`, in option order."""
    return "、".join(
        services.texts.get(language, "consult_online_vote_item", option=option, count=count)
        for option, count in zip(meeting.options, meeting.votes, strict=False)
    )


def online_state(services: Services, language: str, meeting: Meeting) -> str:
    key = (
        "consult_state_open"
        if meeting.status == MeetingStatus.SCHEDULED
        else "consult_state_closed"
    )
    return services.texts.get(language, key)


def online_line(services: Services, language: str, meeting: Meeting) -> str:
    """An online consultation in `/consult list`."""
    assert meeting.ends_at is not None
    issues = " ".join(f"#{n}" for n in meeting.issue_ids)
    return services.texts.get(
        language, "consult_online_list_line", id=meeting.id, title=meeting.title,
        end=timefmt.short(meeting.ends_at, services.settings.timezone),
        state=online_state(services, language, meeting),
        votes=vote_items(services, language, meeting), issues=f"｜{issues}" if issues else "",
    )  # fmt: skip
