"""Closing online consultations at their end (job `consult:online`, every minute): the poll
is stopped, the result (votes per option, a few comments, masked) is posted in the group
and recorded as the minutes, and every linked issue gets it as a progress note.

The minutes are the claim: recording them succeeds for one run only, so a second process,
or the job running twice, posts nothing again."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.consult.meetings import numbers_line, vote_items
from bot.consult.minutes import note_outcome
from bot.issues.cases import Actor
from bot.privacy import mask
from bot.services import Services
from storage.records import Comment, Grid, Meeting, MessageKind, OutgoingMessage, Priority

logger = logging.getLogger(__name__)

COMMENTS_SHOWN = 3
COMMENT_LIMIT = 80


async def close_due(services: Services, now: datetime) -> int:
    """Close every online consultation whose end has come; returns how many this run did."""
    closed = 0
    for meeting in await services.store.meetings.due(now):
        closed += await close(services, meeting)
    if closed:
        logger.info("closed %d online consultations at %s", closed, now.isoformat())
    return closed


async def close(services: Services, meeting: Meeting) -> bool:
    """Post and record the result once, then note it on the linked issues."""
    store, texts = services.store, services.texts
    grid = await store.grids.by_id(meeting.grid_id)
    if grid is None or grid.chat_id is None:
        return False
    comments = chosen(await store.meetings.comments(meeting.id))
    poll = await store.meetings.poll_message(meeting.id)
    minutes = minutes_text(services, meeting, len(comments[1]), grid.language)
    stored = await store.meetings.record_minutes(
        meeting.id, minutes, texts.get(grid.language, "system_actor"), services.clock(),
        lambda m: _posts(services, grid, m, comments[0], poll),
    )  # fmt: skip
    if stored is None:
        return False
    actor = Actor(meeting.created_by, meeting.created_by_name)
    note = texts.get(grid.language, "consult_outcome_note", id=meeting.id, title=meeting.title,
                     outcome=minutes)  # fmt: skip
    for number in stored.issue_ids:
        if not await note_outcome(services, actor, number, note):
            logger.info("online consultation %s: #%s not noted", meeting.id, number)
    return True


def chosen(comments: Sequence[Comment]) -> tuple[list[str], list[Comment]]:
    """A few representative comments (the longest of different people), masked and clipped;
    and all of them."""
    seen: set[int] = set()
    shown: list[str] = []
    for comment in sorted(comments, key=lambda c: (-len(c.text), c.at)):
        if comment.telegram_id in seen or not comment.text.strip():
            continue
        seen.add(comment.telegram_id)
        text = mask(" ".join(comment.text.split()))
        shown.append(text if len(text) <= COMMENT_LIMIT else text[: COMMENT_LIMIT - 1] + "…")
        if len(shown) == COMMENTS_SHOWN:
            break
    return shown, list(comments)


def minutes_text(services: Services, meeting: Meeting, comments: int, lang: str) -> str:
    return services.texts.get(
        lang, "consult_online_minutes", total=sum(meeting.votes),
        votes=vote_items(services, lang, meeting), comments=comments,
    )  # fmt: skip


def _posts(
    services: Services,
    grid: Grid,
    meeting: Meeting,
    comments: list[str],
    poll: tuple[int, int] | None,
) -> list[OutgoingMessage]:
    texts, lang, now = services.texts, grid.language, services.clock()
    assert grid.chat_id is not None
    votes = "\n".join(
        texts.get(lang, "consult_online_vote_line", option=option, count=count)
        for option, count in zip(meeting.options, meeting.votes, strict=False)
    )
    lines = "\n".join(texts.get(lang, "consult_online_comment_line", text=c) for c in comments)
    shown = (
        texts.get(lang, "consult_online_comments_head", count=len(comments), lines=lines)
        if comments
        else ""
    )
    text = texts.get(
        lang, "consult_online_result", id=meeting.id, title=meeting.title,
        total=sum(meeting.votes), votes=votes, comments=shown,
        issues=numbers_line(services, lang, meeting),
    )  # fmt: skip
    # As urgent as the issues' progress posts that follow it, so the result comes first.
    result = OutgoingMessage(
        kind=MessageKind.ONLINE_RESULT,
        chat_id=grid.chat_id,
        text=mask(text.strip()),
        created_at=now,
        priority=Priority.ACK,
    )
    if poll is None:  # never sent: nothing to stop
        return [result]
    stop = OutgoingMessage(
        kind=MessageKind.STOP_POLL,
        chat_id=poll[0],
        text="",
        created_at=now,
        reply_to_message_id=poll[1],
        priority=Priority.ACK,
    )
    return [stop, result]
