"""Plain records the storage layer returns: no rows, no connections.

Those most of the code reads: grids, members, issues and their changes, owed messages. The
rest sit by their concern: `roster_records`, `meeting_records`, `report_records`,
`support_records`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


@dataclass(frozen=True)
class Pause:
    """A time the issue's clock stood still: `reason` is "ask" (waiting for the resident),
    "planned" or "escalated"; open while `ended_at` is None."""

    issue_id: int
    reason: str
    started_at: datetime
    until: datetime | None = None  # an "ask" pause ends by then at the latest
    ended_at: datetime | None = None
    ended_how: str | None = None  # answered, timeout, or the action that ended it
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
    CONFIRM = "confirm"  # confirm mode or a borderline message: "register this?" with buttons
    CONFIRM_CLOSE = "confirm_close"  # that question, unanswered, edited to say it lapsed
    HINT = "hint"  # an unbound group told about /bind
    GREETING = "greeting"  # the bot's first words in a new group
    NOTICE = "notice"  # a member told of an issue for them
    REMINDER = "reminder"  # a member reminded of a time limit
    DUESOON = "duesoon"  # 即将超期: a member's morning list of issues due soon
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


# What a change of an issue owes, given the issue as the change left it.
MessagesFor = Callable[[Issue], Sequence[OutgoingMessage]]
