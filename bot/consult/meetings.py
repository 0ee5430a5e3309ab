"""A 微协商 meeting, face to face or online: the one place where meetings of both kinds are
started, announced, voted on, closed and listed. The kind decides the way of voting
(bot/consult/ways.py): an attendance poll before a meeting at a time and place, closed by
its minutes; or a ballot of options open until its end, closed by the bot.

- start: `/consult new …` or `/consult online …` (read by bot/consult/proposals.py),
  checked (bot/consult/organisers.py: the grid, the person's right, the linked issues),
  then stored with a note on each linked issue and the group's two posts, the
  announcement and its poll, in one transaction.
- vote: a poll answer, counted where the way counts it; comment: a reply to an online
  meeting's posts.
- close: the minutes are the claim (recorded once): written by a member (`/consult minutes`),
  or at an online meeting's end by the job `consult:online` (bot/consult/ballots.py). Then
  the outcome goes on the linked issues (bot/consult/outcomes.py).
- list: `/consult list`. The reminder the day before: bot/consult/reminders.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.consult import ballots, outcomes, ways
from bot.consult.organisers import checked_grid, serves
from bot.consult.outcomes import Outcome
from bot.consult.proposals import Malformed
from bot.consult.ways import WAYS, numbers_line
from bot.issues.cases import Actor, Answer, ask_privately
from bot.language import of_chat, of_grids, of_person
from bot.privacy import excerpt, mask
from bot.services import Services
from bot.texts import plain
from storage.meeting_records import Comment, Meeting, MeetingKind
from storage.meetings import MeetingDraft, Posts
from storage.records import Grid, IssueEvent, MessageKind, OutgoingMessage, PollSpec, Priority

logger = logging.getLogger(__name__)

QUESTION_TITLE = 80  # a poll question holds 300 characters, with the time around the title
# Telegram's limits for a poll; its texts have no parse mode, so they go as plain text.
POLL_QUESTION = 300
POLL_OPTION = 100
LISTED = 20
LIST_BACK = timedelta(days=90)  # /consult list: the last quarter's meetings and those to come


async def start(
    services: Services,
    actor: Actor,
    chat_id: int,
    message_id: int,
    private: bool,
    kind: MeetingKind,
    args: str,
) -> Answer:
    """`/consult new …` or `/consult online …`: store the meeting and owe its posts."""
    way, texts, now = WAYS[kind], services.texts, services.clock()
    lang = await of_chat(services, None if private else chat_id, actor.telegram_id)
    try:
        proposal = way.read(args, services.settings.timezone, now)
    except Malformed as exc:
        return Answer(texts.get(lang, str(exc)), ok=False)
    found = await checked_grid(services, actor, chat_id, private, proposal.numbers, lang)
    if isinstance(found, Answer):
        return found
    grid, store = found, services.store
    member = await store.members.by_telegram_id(actor.telegram_id)
    assert member is not None  # checked_grid: they serve the grid
    draft = MeetingDraft(
        grid.id, proposal.title, proposal.starts_at, proposal.place, actor.telegram_id,
        member.name, now, chat_id, message_id, proposal.numbers, kind=kind,
        options=proposal.options, ends_at=proposal.ends_at,
    )  # fmt: skip
    meeting = await store.meetings.create(
        draft,
        lambda m: _link_events(services, m, grid.language),
        lambda m: announcement(services, grid, m),
    )
    if meeting is None:  # the same command again (re-delivered): answered the first time
        return Answer("", ok=True, posted_in=chat_id)
    logger.info("%s %s in %s with issues %s", kind, meeting.id, grid.code, proposal.numbers)
    text = texts.get(
        lang, f"{way.texts}_created", id=meeting.id, count=len(proposal.numbers),
        **way.values(services, lang, meeting),
    )  # fmt: skip
    return Answer(text, ok=True, posted_in=grid.chat_id)


def _link_events(services: Services, meeting: Meeting, language: str) -> list[IssueEvent]:
    """Each linked issue's timeline says it goes to the meeting (no group post: the
    announcement lists them all)."""
    way = ways.of(meeting)
    note = services.texts.get(
        language, f"{way.texts}_link_note", id=meeting.id, title=meeting.title,
        **way.values(services, language, meeting),
    )  # fmt: skip
    return [
        IssueEvent(issue_id=number, at=meeting.created_at, action="consult",
                   actor_id=meeting.created_by, actor_name=meeting.created_by_name, note=note)
        for number in meeting.issue_ids
    ]  # fmt: skip


def announcement(services: Services, grid: Grid, meeting: Meeting) -> Posts:
    """The meeting's two posts in its group: the notice, then a non-anonymous poll whose
    answers are counted (the poll's question is its record in the outbox)."""
    way, texts, lang, now = ways.of(meeting), services.texts, grid.language, services.clock()
    assert grid.chat_id is not None
    values = way.values(services, lang, meeting)
    text = texts.get(
        lang, f"{way.texts}_announce", id=meeting.id, title=meeting.title,
        issues=numbers_line(services, lang, meeting), **values,
    )  # fmt: skip
    question = texts.get(
        lang, f"{way.texts}_poll", title=excerpt(meeting.title, QUESTION_TITLE), **values
    )
    # Plain text, so that `水&amp;电` shows as 水&电; masked and within Telegram's limits.
    poll = PollSpec(
        question=excerpt(plain(question), POLL_QUESTION),
        options=tuple(excerpt(o, POLL_OPTION) for o in way.options(services, lang, meeting)),
        ref=f"{meeting.kind}:{meeting.id}",
    )
    return (
        OutgoingMessage(kind=way.announcement, chat_id=grid.chat_id, text=mask(text),
                        created_at=now, priority=Priority.ACK),
        OutgoingMessage(kind=way.poll, chat_id=grid.chat_id, text=poll.question,
                        created_at=now, priority=Priority.ACK, poll=poll),
    )  # fmt: skip


async def record_vote(
    services: Services, poll_id: str, user_id: int, name: str, option_ids: list[int]
) -> bool:
    """A poll answer (none: the vote was retracted), if the meeting's way counts it."""
    ref = await services.store.sent_messages.poll_ref(poll_id)
    kind, _, raw = (ref or "").partition(":")
    if kind not in WAYS or not raw.isdigit():
        return False
    meeting = await services.store.meetings.get(int(raw))
    choice = option_ids[0] if option_ids else None
    if meeting is None or not ways.of(meeting).counts(meeting, choice):
        return False
    await services.store.meetings.vote(meeting.id, user_id, name, choice, services.clock())
    return True


async def take_comment(
    services: Services, chat_id: int, message_id: int, reply_to: int, user: Actor, text: str
) -> bool:
    """A reply to an open online meeting's announcement or poll is a comment (not an issue,
    nor a supporter); False when the reply is to something else."""
    meeting = await services.store.meetings.by_post(chat_id, reply_to)
    if meeting is None:
        return False
    comment = Comment(
        meeting_id=meeting.id, telegram_id=user.telegram_id, name=user.name, text=text,
        chat_id=chat_id, message_id=message_id, at=services.clock(),
    )  # fmt: skip
    if await services.store.meetings.add_comment(comment):
        logger.info("comment on online meeting %s", meeting.id)
    return True


async def record_minutes(services: Services, actor: Actor, meeting_id: int, text: str) -> Answer:
    """`/consult minutes ID 纪要`: once per meeting, by a member or coordinator of its grid."""
    store, texts = services.store, services.texts
    meeting = await store.meetings.get(meeting_id)
    grid = await store.grids.by_id(meeting.grid_id) if meeting else None
    if meeting is None or grid is None:
        language = await of_person(services, actor.telegram_id)
        return Answer(texts.get(language, "consult_not_found", id=meeting_id), ok=False)
    if actor.chat_id is not None and actor.chat_id != grid.chat_id:  # another grid's group
        return await ask_privately(services, actor)
    lang = grid.language
    if not serves(await store.members.by_telegram_id(actor.telegram_id), grid):
        return Answer(texts.get(lang, "consult_refused"), ok=False)
    if not text.strip():
        return Answer(texts.get(lang, "consult_minutes_usage"), ok=False)
    outcome = outcomes.of_minutes(services, text, lang)
    closed = await _close(services, meeting, grid, text.strip(), actor.name, actor, outcome,
                          lambda m: [_minutes_post(services, grid, m)])  # fmt: skip
    if closed is None:
        return Answer(texts.get(lang, "consult_already_minuted", id=meeting.id), ok=False)
    done, skipped = (" ".join(f"#{n}" for n in numbers) for numbers in closed)
    parts = [texts.get(lang, "consult_updated", numbers=done)] if done else []
    if skipped:
        parts.append(texts.get(lang, "consult_skipped", numbers=skipped))
    return Answer(texts.get(lang, "consult_minuted", id=meeting.id, updated="".join(parts)), True)


def _minutes_post(services: Services, grid: Grid, meeting: Meeting) -> OutgoingMessage:
    assert grid.chat_id is not None
    text = services.texts.get(
        grid.language, "consult_minutes_post", id=meeting.id, title=meeting.title,
        minutes=meeting.minutes or "", issues=numbers_line(services, grid.language, meeting),
    )  # fmt: skip
    return OutgoingMessage(kind=MessageKind.CONSULT, chat_id=grid.chat_id,
                           text=mask(text.strip()), created_at=services.clock())  # fmt: skip


async def close_due(services: Services, now: datetime) -> int:
    """Close every online meeting whose end has come (job `consult:online`); returns how many
    this run closed (a second process, or a second run, finds the minutes taken)."""
    closed = 0
    for meeting in await services.store.meetings.due(now):
        closed += await _close_ballot(services, meeting)
    if closed:
        logger.info("closed %d online meetings at %s", closed, now.isoformat())
    return closed


async def _close_ballot(services: Services, meeting: Meeting) -> bool:
    """The bot writes the minutes from the votes and comments; the group gets the result."""
    store, texts = services.store, services.texts
    grid = await store.grids.by_id(meeting.grid_id)
    if grid is None or grid.chat_id is None:
        return False
    shown, every = ballots.chosen(await store.meetings.comments(meeting.id))
    poll = await store.meetings.poll_message(meeting.id)
    text = ballots.minutes_text(services, meeting, len(every), grid.language)
    actor = Actor(meeting.created_by, meeting.created_by_name)
    closed = await _close(
        services, meeting, grid, text, texts.get(grid.language, "system_actor"), actor,
        Outcome(text), lambda m: ballots.result_posts(services, grid, m, shown, poll),
    )  # fmt: skip
    return closed is not None


async def _close(
    services: Services,
    meeting: Meeting,
    grid: Grid,
    minutes: str,
    by: str,
    actor: Actor,
    outcome: Outcome,
    posts: Callable[[Meeting], list[OutgoingMessage]],
) -> tuple[list[int], list[int]] | None:
    """Record the minutes with the group's posts, once; then the outcome on the linked
    issues: those updated and those left as they were (None: closed already)."""
    stored = await services.store.meetings.record_minutes(
        meeting.id, minutes, by, services.clock(), posts
    )
    if stored is None:
        return None
    done, skipped = await outcomes.apply(services, actor, stored, outcome, grid.language)
    logger.info("meeting %s closed: updated %s, skipped %s", meeting.id, done, skipped)
    return done, skipped


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
    way = ways.of(meeting)
    issues = " ".join(f"#{n}" for n in meeting.issue_ids)
    return services.texts.get(
        language, f"{way.texts}_list_line", id=meeting.id, title=meeting.title,
        issues=f"｜{issues}" if issues else "", **way.values(services, language, meeting),
        **way.listed(services, language, meeting),
    )  # fmt: skip
