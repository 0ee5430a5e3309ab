"""Several messages owed to one chat, sent as one when Telegram's limits would queue them.

A group may get 20 messages a minute; after a burst of reports, one message that
acknowledges several issues, a line each, reaches residents sooner than dozens queued one
by one. Notices owed to one member privately are joined the same way. Only a run of such
messages at the head of a chat's queue is bundled, so the chat's order is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import timefmt
from bot.chunks import units
from bot.services import Services
from bot.texts import DEFAULT
from storage.records import Buttons, Grid, MessageKind, OutgoingMessage

ACKS = "acks"
NOTES = "notes"
NOTE_KINDS = frozenset(
    {MessageKind.NOTICE, MessageKind.ALERT, MessageKind.REMINDER, MessageKind.TOPIC,
     MessageKind.SUPPORTER}
)  # fmt: skip
MAX_BUNDLED = 20
MAX_UNITS = 3500  # room under Telegram's 4,096 for the joins and a head line
LINE_UNITS = 120  # what one acknowledgement line may take, at most


def family(message: OutgoingMessage) -> str | None:
    """What a message may be bundled with; None: it always goes alone."""
    if message.media_kind is not None or message.poll is not None:
        return None
    if message.kind == MessageKind.ACK and message.issue_id is not None:
        return ACKS
    return NOTES if message.kind in NOTE_KINDS else None


def run_at_head(queue: Sequence[OutgoingMessage], alone: set[int]) -> list[OutgoingMessage]:
    """The longest run at the head of a chat's queue that may go as one message."""
    head = queue[0]
    kind = family(head)
    if kind is None or head.id in alone:
        return [head]
    run, size = [head], _size(head, kind)
    for message in queue[1:]:
        size += _size(message, kind)
        same = family(message) == kind and message.thread_id == head.thread_id
        if not same or message.id in alone or len(run) == MAX_BUNDLED or size > MAX_UNITS:
            break
        run.append(message)
    return run


def _size(message: OutgoingMessage, kind: str) -> int:
    return LINE_UNITS if kind == ACKS else units(message.text) + 2


async def bundle(services: Services, run: Sequence[OutgoingMessage]) -> OutgoingMessage:
    """One message carrying the whole run."""
    head = run[0]
    buttons: Buttons = ()
    if family(head) == ACKS:
        text = await _acknowledgements(services, run)
    else:
        text, buttons = "\n\n".join(m.text for m in run), _numbered_buttons(run)
    return OutgoingMessage(
        kind=head.kind, chat_id=head.chat_id, thread_id=head.thread_id, text=text,
        buttons=buttons, created_at=head.created_at, priority=min(m.priority for m in run),
    )  # fmt: skip


async def _acknowledgements(services: Services, run: Sequence[OutgoingMessage]) -> str:
    """ "✅ 已受理 N 件" and a line per issue: number, category, member, respond-by time."""
    store, texts, zone = services.store, services.texts, services.settings.timezone
    grids: dict[int, Grid | None] = {}
    lines, lang = [], DEFAULT  # until the first issue names its grid
    for message in run:
        issue = await store.issues.get(message.issue_id or 0)
        if issue is None:
            lines.append(message.text)
            continue
        if issue.grid_id not in grids:
            grids[issue.grid_id] = await store.grids.by_id(issue.grid_id)
        grid = grids[issue.grid_id]
        lang = grid.language if grid else lang
        member = await store.members.by_id(issue.assignee_id) if issue.assignee_id else None
        lines.append(texts.get(
            lang, "ack_line_urgent" if issue.urgent else "ack_line", n=issue.id,
            category=texts.name(lang, issue.category),
            member=member.name if member else texts.get(lang, "nobody"),
            respond_by=timefmt.short(issue.respond_by, zone),
        ))  # fmt: skip
    return "\n".join([texts.get(lang, "ack_many", count=len(run)), *lines])


def _numbered_buttons(run: Sequence[OutgoingMessage]) -> Buttons:
    """Each notice's buttons on a row of their own, labelled with the issue they act on."""
    rows: list[tuple[tuple[str, str], ...]] = []
    for message in run:
        mark = f" #{message.issue_id}" if message.issue_id is not None else ""
        rows.extend(tuple((label + mark, data) for label, data in row) for row in message.buttons)
    return tuple(rows)
