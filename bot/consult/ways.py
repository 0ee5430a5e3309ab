"""The two ways a meeting is voted on; its kind decides which.

- Face to face (`MeetingKind.MEETING`): an attendance poll (参加 / 不参加 / 待定) before a
  meeting at a time and place; it is closed by its minutes (`/consult minutes`).
- Online (`MeetingKind.ONLINE`): a ballot of the proposer's options, open until its end;
  the bot closes it and posts the result (bot/consult/ballots.py).

A way says how its `/consult` line is read, which texts and message kinds its posts use
(each kind's keys share one prefix and one set of names), the poll's options, which answers
count, and how it reads in a list. bot/consult/meetings.py does the rest once for both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot import timefmt
from bot.consult import proposals
from bot.consult.proposals import Proposal
from bot.services import Services
from bot.texts import plain
from storage.meeting_records import Meeting, MeetingKind, MeetingStatus
from storage.records import MessageKind

ATTENDANCE = ("poll_yes", "poll_no", "poll_maybe")  # the order of meeting_votes.choice


@dataclass(frozen=True)
class Way:
    kind: MeetingKind
    texts: str  # the prefix of this kind's texts keys: {texts}_announce, _poll, _created …
    announcement: MessageKind
    poll: MessageKind
    read: Callable[[str, ZoneInfo, datetime], Proposal]
    own_options: bool  # a ballot of the proposer's options, not the attendance poll

    def values(self, services: Services, language: str, meeting: Meeting) -> dict[str, object]:
        """What this kind's texts name besides id, title and issues: when (and where), as a
        day with its weekday and the hour, since the post is read again on the days before."""
        zone, now = services.settings.timezone, services.clock()
        say = partial(services.texts.get, language)
        if self.kind == MeetingKind.ONLINE:
            assert meeting.ends_at is not None
            end = timefmt.dated(meeting.ends_at, zone, say, now)
            return {"end": end, "options": " / ".join(meeting.options)}
        return {"time": timefmt.dated(meeting.starts_at, zone, say, now), "place": meeting.place}

    def options(self, services: Services, language: str, meeting: Meeting) -> tuple[str, ...]:
        if self.own_options:
            return meeting.options
        return tuple(plain(services.texts.get(language, key)) for key in ATTENDANCE)

    def counts(self, meeting: Meeting, choice: int | None) -> bool:
        """Whether a poll answer counts: one of the options (or a retraction), and for a
        ballot only while the vote is open."""
        if self.own_options and meeting.status != MeetingStatus.SCHEDULED:
            return False
        choices = len(meeting.options) if self.own_options else len(ATTENDANCE)
        return choice is None or 0 <= choice < choices

    def listed(self, services: Services, language: str, meeting: Meeting) -> dict[str, object]:
        """What its line in `/consult list` says of the state and the votes."""
        if self.own_options:
            return {"state": state(services, language, meeting),
                    "votes": vote_items(services, language, meeting)}  # fmt: skip
        yes, no, maybe = meeting.votes
        state_key = f"consult_state_{meeting.status}"
        return {"state": services.texts.get(language, state_key), "yes": yes, "no": no,
                "maybe": maybe}  # fmt: skip


FACE_TO_FACE = Way(
    MeetingKind.MEETING, "consult", MessageKind.CONSULT, MessageKind.CONSULT_POLL,
    proposals.face_to_face, own_options=False,
)  # fmt: skip
ONLINE = Way(
    MeetingKind.ONLINE, "consult_online", MessageKind.ONLINE, MessageKind.ONLINE_POLL,
    proposals.online, own_options=True,
)  # fmt: skip
WAYS = {way.kind: way for way in (FACE_TO_FACE, ONLINE)}


def of(meeting: Meeting) -> Way:
    return WAYS[MeetingKind(meeting.kind)]


def numbers_line(services: Services, language: str, meeting: Meeting) -> str:
    """`关联诉求：#1 #2` for a meeting's posts, or nothing."""
    if not meeting.issue_ids:
        return ""
    numbers = " ".join(f"#{n}" for n in meeting.issue_ids)
    return services.texts.get(language, "consult_issues", numbers=numbers)


def vote_items(services: Services, language: str, meeting: Meeting) -> str:
    """A ballot's votes, `A 3 票、B 1 票`, in option order."""
    return "、".join(
        services.texts.get(language, "consult_online_vote_item", option=option, count=count)
        for option, count in zip(meeting.options, meeting.votes, strict=False)
    )


def state(services: Services, language: str, meeting: Meeting) -> str:
    """A ballot's state: 投票中 or 已结束."""
    key = (
        "consult_state_open"
        if meeting.status == MeetingStatus.SCHEDULED
        else "consult_state_closed"
    )
    return services.texts.get(language, key)
