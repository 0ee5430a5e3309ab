"""Plain records the storage layer returns: no rows, no connections."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import Enum, IntEnum, StrEnum


@dataclass(frozen=True)
class Grid:
    id: int
    code: str
    name: str
    community: str = ""
    street: str = ""
    district: str = ""
    chat_id: int | None = None
    intake_mode: str = "auto"
    language: str = "zh-Hans"


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int
    name: str
    role: str
    sector: str = ""
    expertise: tuple[str, ...] = ()
    reachable: bool = False
    grid_codes: tuple[str, ...] = ()
    active: bool = True  # False once they left the roster: never routed to, may change nothing

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    def serves(self, grid_code: str) -> bool:
        """A member of that grid, or a coordinator overseeing it: one with no grids oversees
        every grid. The one statement of who serves a grid."""
        return grid_code in self.grid_codes or (self.is_coordinator and not self.grid_codes)


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET  # an IssueChange field left as it is


@dataclass(frozen=True)
class IssueChange:
    """What one step changes on an issue; every field left UNSET stays as it is. The only
    way an issue's columns are changed (storage/issues.py), so a misspelt one cannot pass."""

    status: str | _Unset = UNSET
    assignee_id: int | _Unset | None = UNSET
    category: str | _Unset = UNSET
    taken_at: datetime | _Unset | None = UNSET
    resolved_at: datetime | _Unset | None = UNSET
    closed_at: datetime | _Unset | None = UNSET
    rating: str | _Unset | None = UNSET
    plan_date: str | _Unset | None = UNSET
    department: str | _Unset | None = UNSET
    merged_into: int | _Unset | None = UNSET
    text: str | _Unset = UNSET
    respond_by: datetime | _Unset = UNSET
    solve_by: datetime | _Unset = UNSET
    keywords: str | _Unset = UNSET
    photo_file_id: str | _Unset | None = UNSET
    latitude: float | _Unset | None = UNSET
    longitude: float | _Unset | None = UNSET

    def columns(self) -> dict[str, object]:
        """The set fields by column name, for the UPDATE."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not UNSET}

    def then(self, later: IssueChange) -> IssueChange:
        """This change with `later`'s set fields on top."""
        return replace(self, **later.columns())  # type: ignore[arg-type]


@dataclass(frozen=True)
class RosterMember:
    """One member as a roster file states them; `telegram_id` None until they join."""

    name: str
    telegram_id: int | None
    role: str
    sector: str = ""
    expertise: tuple[str, ...] = ()
    grid_codes: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class RosterGrid:
    code: str
    name: str
    community: str = ""
    street: str = ""
    district: str = ""
    chat_id: int | None = None


@dataclass(frozen=True)
class PendingMember:
    """A roster member without a Telegram id: waiting to join by an invitation."""

    id: int
    name: str
    role: str
    sector: str = ""
    expertise: tuple[str, ...] = ()
    grid_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RosterChanges:
    """What a members import did; `left` are the members it made inactive."""

    new: int = 0
    updated: int = 0
    left: tuple[int, ...] = ()
    pending_left: int = 0


@dataclass(frozen=True)
class Issue:
    id: int
    grid_id: int
    category: str
    status: str
    urgent: bool
    text: str
    keywords: tuple[str, ...]
    reporter_id: int
    reporter_name: str
    assignee_id: int | None
    chat_id: int
    message_id: int
    thread_id: int | None
    created_at: datetime
    respond_by: datetime
    solve_by: datetime
    photo_file_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    taken_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    rating: str | None = None
    plan_date: str | None = None
    department: str | None = None
    merged_into: int | None = None


@dataclass(frozen=True)
class IssueText:
    """What a new message is compared with to find the open issue it repeats."""

    id: int
    text: str
    keywords: tuple[str, ...]
    chat_id: int
    message_id: int


@dataclass(frozen=True)
class IssueDraft:
    """What intake decided; storage assigns the number."""

    grid_id: int
    category: str
    status: str
    urgent: bool
    text: str
    keywords: tuple[str, ...]
    reporter_id: int
    reporter_name: str
    assignee_id: int | None
    chat_id: int
    message_id: int
    thread_id: int | None
    created_at: datetime
    respond_by: datetime
    solve_by: datetime
    photo_file_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class IssueEvent:
    issue_id: int
    at: datetime
    action: str
    actor_id: int | None = None
    actor_name: str = ""
    from_status: str | None = None
    to_status: str | None = None
    note: str = ""
    id: int | None = None


Buttons = tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class PollSpec:
    """A native poll to send; `ref` says what its answers are for (e.g. "meeting:3")."""

    question: str
    options: tuple[str, ...]
    ref: str
    anonymous: bool = False


class MessageKind(StrEnum):
    """What an owed message is: the sender and the bundler treat kinds differently, and the
    outbox is searched by kind (the acknowledgement of an issue, its progress posts)."""

    ACK = "ack"  # the resident's acknowledgement of a new issue
    ACK_EDIT = "ack_edit"  # the acknowledgement rewritten in place (its supporter count)
    ALERT = "alert"  # a coordinator told of an urgent or escalated issue
    CONFIRM = "confirm"  # confirm mode: "register this?" with buttons
    HINT = "hint"  # an unbound group told about /bind
    GREETING = "greeting"  # the bot's first words in a new group
    NOTICE = "notice"  # a member told of an issue for them
    REMINDER = "reminder"  # a member reminded of a time limit
    PROGRESS = "progress"  # a step posted in the group
    FEEDBACK = "feedback"  # the rating buttons under a solved issue
    SUPPORT = "support"  # "recorded as a supporter of #N"
    SUPPORTER = "supporter"  # a supporter told of a step privately
    TOPIC = "topic"  # a recurring topic offered to a coordinator
    CONSULT = "consult"  # a meeting's announcement, reminder or outcome
    CONSULT_POLL = "consult_poll"  # a meeting's attendance poll
    ONLINE = "online"  # an online consultation's announcement
    ONLINE_POLL = "online_poll"  # its vote
    ONLINE_RESULT = "online_result"  # its result
    STOP_POLL = "stop_poll"  # stops the poll in `reply_to_message_id`
    DIGEST = "digest"  # a grid group's weekly digest
    DIGEST_CHART = "digest_chart"  # its chart (drawn when sent)
    OVERSIGHT = "oversight"  # a coordinator's cross-grid figures
    SPOTCHECK = "spotcheck"  # the quarterly spot-check list and workbook
    SQMY = "sqmy"  # a 社情民意 draft sent to a coordinator


class Priority(IntEnum):
    """Which owed message goes first when the outbox has a backlog: lower first."""

    URGENT = 1  # an urgent issue's acknowledgement, notice and alert
    ACK = 3  # answers residents and members are waiting for
    NOTICE = 4  # members' notices and reminders
    ROUTINE = 5  # edits of earlier posts, everything else
    DIGEST = 6  # after every acknowledgement and notice in a backlog


@dataclass(frozen=True)
class OutgoingMessage:
    """A message the bot owes; kept in the outbox until Telegram has it."""

    kind: MessageKind
    chat_id: int
    text: str
    created_at: datetime
    issue_id: int | None = None
    thread_id: int | None = None
    reply_to_message_id: int | None = None
    buttons: Buttons = ()
    fallback_chat_id: int | None = None
    fallback_thread_id: int | None = None
    fallback_text: str | None = None
    priority: int = Priority.ROUTINE
    not_before: datetime | None = None
    id: int | None = None
    attempts: int = 0
    # A photo or document: `text` is then its caption (Telegram allows 1,024 characters).
    media_kind: str | None = None  # "photo" or "document"
    media_name: str = ""
    media: bytes | None = field(default=None, repr=False)
    poll: PollSpec | None = None  # sent as a native poll; `text` is then only a record


@dataclass(frozen=True)
class LedgerRow:
    issue: Issue
    grid_code: str
    assignee_name: str
    supporters: int


@dataclass(frozen=True)
class GridWeek:
    """One grid's week in numbers, for its digest."""

    grid_id: int
    new: int = 0
    solved: int = 0
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Figures:
    """The counts behind 响应率, 解决率 and 满意率 for a grid, or a member in a grid."""

    grid_id: int
    assignee_id: int | None = None
    total: int = 0  # issues registered in the period, less rejected and merged ones
    due: int = 0  # of those, whose response time has come or that were answered
    responded: int = 0  # taken within the response limit
    solved: int = 0
    overdue: int = 0  # open and past a limit now
    rated: int = 0  # verdicts given in the period
    satisfied: int = 0  # 满意 or 基本满意


@dataclass(frozen=True)
class Supporter:
    """A resident who seconded an issue (附议): by a reply, a 👍 or a near-duplicate."""

    issue_id: int
    telegram_id: int
    name: str
    via: str
    at: datetime
    message_id: int | None = None


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


@dataclass(frozen=True)
class TopicOffer:
    """A recurring topic offered to coordinators, claimed once by its key."""

    key: str
    kind: str  # issues (one category in one community) or supporters (one issue)
    community: str
    category: str
    last_issue_id: int
    at: datetime


@dataclass(frozen=True)
class ReportIssue:
    """An issue as a 社情民意 report sees it: with its grid and how many seconded it."""

    issue: Issue
    grid: Grid
    supporters: int
