"""Intake: a resident's group message becomes a numbered, routed issue (or nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.classify.classifier import Classification
from bot.classify.textnorm import visible
from bot.grids import routing
from bot.intake.notices import Intake
from bot.messages import Incoming
from bot.services import Services
from bot.support import supporters as support
from bot.texts import DEFAULT
from storage.records import Grid, Issue, IssueDraft, IssueEvent, MessageKind, OutgoingMessage
from storage.statuses import Status

logger = logging.getLogger(__name__)

SEEN_KEPT = 100_000  # residents and groups remembered as already noted, per process


class Outcome(StrEnum):
    CREATED = "created"
    ALREADY = "already"  # re-delivered: the issue exists, nothing owed again
    CHITCHAT = "chitchat"
    NOT_EXPLICIT = "not_explicit"  # the grid takes only /report, #诉求 and mentions
    EMPTY = "empty"  # an explicit form with nothing after it
    ASKED = "asked"  # confirm mode: the resident was asked whether to register it
    SUPPORTED = "supported"  # very like an open issue: the resident became its supporter
    UNBOUND = "unbound"


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    issue: Issue | None = None
    classification: Classification | None = None


async def take_in(services: Services, message: Incoming, grid: Grid | None = None) -> IntakeResult:
    """Decide whether the message reports a problem and, if so, store and route it. A group
    message belongs to the group's grid; a private report comes with the grid it is for."""
    if grid is None:
        grid = await services.store.grids.by_chat(message.chat_id)
        if grid is None:
            await _hint_unbound(services, message)
            return IntakeResult(Outcome.UNBOUND)
        await _note_resident(services, message)
    if not visible(message.text):
        return IntakeResult(Outcome.EMPTY if message.explicit else Outcome.CHITCHAT)
    if grid.intake_mode == "explicit" and not message.explicit:
        return IntakeResult(Outcome.NOT_EXPLICIT)
    found = services.classifier.classify(message.text)
    if not (found.is_problem or message.explicit):
        return IntakeResult(Outcome.CHITCHAT, classification=found)
    # An explicit report always registers (SPEC §7); anything else may second an open issue.
    if not message.explicit and (
        linked := await support.link_duplicate(services, grid, message, found)
    ):
        return IntakeResult(Outcome.SUPPORTED, issue=linked, classification=found)
    if grid.intake_mode == "confirm" and not message.explicit:
        await _ask_first(services, grid, message, found)
        return IntakeResult(Outcome.ASKED, classification=found)
    issue = await _register(services, grid, message, found)
    if issue is None:
        return IntakeResult(Outcome.ALREADY, classification=found)
    return IntakeResult(Outcome.CREATED, issue=issue, classification=found)


def deadlines(
    services: Services, category: str, urgent: bool, at: datetime
) -> tuple[datetime, datetime]:
    """Respond-by and solve-by: the category's limits, else the taxonomy's defaults."""
    taxonomy = services.taxonomy
    found = taxonomy.category(category)
    respond = (found.respond_hours if found else None) or taxonomy.respond_hours
    if urgent:
        respond = min(respond, taxonomy.urgent_respond_hours)
    solve = (found.solve_days if found else None) or taxonomy.solve_days
    return at + timedelta(hours=respond), at + timedelta(days=solve)


async def _register(
    services: Services, grid: Grid, message: Incoming, found: Classification
) -> Issue | None:
    store = services.store
    category = services.taxonomy.category(found.category)
    tags = category.expertise if category else ()
    grid_members = await store.members.of_grid(grid.id)
    coordinators = await store.members.coordinators_of(grid.id)
    candidates = routing.shortlist(grid_members, coordinators, tags)
    load = await store.members.open_counts(m.id for m in candidates) if len(candidates) > 1 else {}
    assignee = routing.choose(candidates, tags, load)
    now = services.clock()
    respond_by, solve_by = deadlines(services, found.category, found.urgent, now)
    draft = IssueDraft(
        grid_id=grid.id,
        category=found.category,
        status=Status.NEW,
        urgent=found.urgent,
        text=message.text.strip(),
        keywords=found.keywords,
        reporter_id=message.user_id,
        reporter_name=message.user_name,
        assignee_id=assignee.id if assignee else None,
        chat_id=message.chat_id,
        message_id=message.message_id,
        thread_id=message.thread_id,
        created_at=now,
        respond_by=respond_by,
        solve_by=solve_by,
        photo_file_id=message.photo_file_id,
    )
    event = IssueEvent(
        issue_id=0, at=now, action="created", actor_id=message.user_id,
        actor_name=message.user_name, to_status=Status.NEW,
        note=f"{found.category} ({','.join(found.keywords)})",
    )  # fmt: skip
    owed = Intake(services, grid, assignee, coordinators)
    return await store.issues.create(draft, event, owed.messages)


async def _ask_first(
    services: Services, grid: Grid, message: Incoming, found: Classification
) -> None:
    """Confirm mode: the resident decides with a button whether this becomes an issue."""
    texts, lang = services.texts, grid.language
    number = message.message_id
    buttons = ((
        (texts.get(lang, "button_confirm"), f"confirm:{number}"),
        (texts.get(lang, "button_decline"), f"decline:{number}"),
    ),)  # fmt: skip
    ask = OutgoingMessage(
        kind=MessageKind.CONFIRM, chat_id=message.chat_id, thread_id=message.thread_id,
        reply_to_message_id=number, created_at=services.clock(), buttons=buttons,
        text=texts.get(lang, "confirm_ask", category=texts.name(lang, found.category)),
    )  # fmt: skip
    await services.store.outbox.add([ask])


async def _note_resident(services: Services, message: Incoming) -> None:
    """Remember the grid group a resident writes in, so a private /report knows its grid;
    once per resident and group in this process, not once per message."""
    key = (message.user_id, message.chat_id)
    if not message.user_id or key in services.seen_residents:
        return
    if len(services.seen_residents) > SEEN_KEPT:
        services.seen_residents.clear()
    await services.store.sightings.seen(message.user_id, message.chat_id, services.clock())
    services.seen_residents.add(key)


async def _hint_unbound(services: Services, message: Incoming) -> None:
    """One hint per unbound group, however much is said there."""
    now = services.clock()
    if not await services.store.chats.hint_once(message.chat_id, message.chat_title, now):
        return
    text = services.texts.get(DEFAULT, "hint_unbound")  # no grid speaks for the group
    hint = OutgoingMessage(
        kind=MessageKind.HINT, chat_id=message.chat_id, thread_id=message.thread_id, text=text,
        created_at=now,
    )  # fmt: skip
    await services.store.outbox.add([hint])
