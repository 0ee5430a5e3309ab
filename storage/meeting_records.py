"""微协商 as the storage layer returns them: a meeting or online consultation, its comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MeetingKind(StrEnum):
    MEETING = "meeting"  # face to face, with an attendance poll
    ONLINE = "online"  # a vote in the group, with comments


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"  # announced; for an online one: the vote is open
    MINUTED = "minuted"  # its outcome recorded, once


@dataclass(frozen=True)
class Meeting:
    """A 微协商 of one grid, with the issues it takes up: a meeting with an attendance poll, or
    an online consultation whose poll is the vote (`starts_at` is then when it opened)."""

    id: int
    grid_id: int
    title: str
    starts_at: datetime
    place: str
    status: str  # MeetingStatus: scheduled, then minuted
    created_by: int
    created_by_name: str
    created_at: datetime
    issue_ids: tuple[int, ...] = ()
    minutes: str | None = None
    minuted_by_name: str | None = None
    minuted_at: datetime | None = None
    reminded_at: datetime | None = None
    votes: tuple[int, ...] = (0, 0, 0)  # per poll option: 参加, 不参加, 待定 for a meeting
    kind: str = MeetingKind.MEETING
    options: tuple[str, ...] = ()  # an online consultation's poll options
    ends_at: datetime | None = None  # when an online consultation closes


@dataclass(frozen=True)
class Comment:
    """A resident's reply to an online consultation's announcement or poll."""

    meeting_id: int
    telegram_id: int
    name: str
    text: str
    chat_id: int
    message_id: int
    at: datetime
