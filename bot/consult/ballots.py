"""An online consultation's ballot at its close (bot/consult/meetings.py `close_due`): its
minutes (votes per option, how many comments), a few representative comments, and the posts
that stop the poll and give the group the result, masked."""

from __future__ import annotations

from collections.abc import Sequence

from bot.consult.ways import numbers_line, vote_items
from bot.privacy import excerpt, mask
from bot.services import Services
from storage.meeting_records import Comment, Meeting
from storage.records import Grid, MessageKind, OutgoingMessage, Priority

COMMENTS_SHOWN = 3
COMMENT_LIMIT = 80


def chosen(comments: Sequence[Comment]) -> tuple[list[str], list[Comment]]:
    """A few representative comments (the longest of different people), masked and clipped;
    and all of them."""
    seen: set[int] = set()
    shown: list[str] = []
    for comment in sorted(comments, key=lambda c: (-len(c.text), c.at)):
        if comment.telegram_id in seen or not comment.text.strip():
            continue
        seen.add(comment.telegram_id)
        shown.append(excerpt(" ".join(comment.text.split()), COMMENT_LIMIT))
        if len(shown) == COMMENTS_SHOWN:
            break
    return shown, list(comments)


def minutes_text(services: Services, meeting: Meeting, comments: int, lang: str) -> str:
    return services.texts.get(
        lang, "consult_online_minutes", total=sum(meeting.votes),
        votes=vote_items(services, lang, meeting), comments=comments,
    )  # fmt: skip


def result_posts(
    services: Services,
    grid: Grid,
    meeting: Meeting,
    comments: list[str],
    poll: tuple[int, int] | None,
) -> list[OutgoingMessage]:
    """Stop the poll (if it was sent), then the result in the group."""
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
