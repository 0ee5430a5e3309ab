"""Members who leave the roster: each open issue of theirs goes to another member of the grid
(or a coordinator), with a note in its timeline, and the grid's coordinators are told."""

from __future__ import annotations

from collections.abc import Sequence

from bot.grids import routing
from bot.intake.notices import issue_buttons
from bot.lifecycle import OPEN, Role, Status, next_status
from bot.quiet import deferred
from bot.services import Services
from storage.records import (
    Grid,
    Issue,
    IssueChange,
    IssueEvent,
    Member,
    MessageKind,
    OutgoingMessage,
    Priority,
)

SYSTEM = frozenset({Role.SYSTEM})


async def hand_over_from(services: Services, member_ids: Sequence[int]) -> int:
    """Hand every open issue of these (now inactive) members over; returns how many moved."""
    moved = 0
    for member_id in member_ids:
        previous = await services.store.members.by_id(member_id)
        if previous is None:
            continue
        open_issues = await services.store.issues.find(
            assignee_id=member_id, statuses=sorted(OPEN), limit=100_000
        )
        for issue in open_issues:
            moved += await _hand_over(services, issue, previous)
    return moved


async def _hand_over(services: Services, issue: Issue, previous: Member) -> bool:
    store, texts = services.store, services.texts
    grid = await store.grids.by_id(issue.grid_id)
    if grid is None:
        return False
    coordinators = await store.members.coordinators_of(grid.id)
    staff = [m for m in await store.members.of_grid(grid.id) if m.role == "member"]
    found = services.taxonomy.category(issue.category)
    tags = found.expertise if found else ()
    candidates = routing.pool(staff, tags) or routing.pool(coordinators, tags)
    load = await store.members.open_counts(m.id for m in candidates)
    chosen = routing.choose(candidates, tags, load)
    lang = grid.language
    name = chosen.name if chosen else texts.get(lang, "nobody")
    status = next_status("leave", Status(issue.status), SYSTEM)
    event = IssueEvent(
        issue_id=issue.id, at=services.clock(), action="leave",
        actor_name=texts.get(lang, "system_actor"), from_status=issue.status, to_status=status,
        note=texts.get(lang, "leave_note", previous=previous.name, member=name),
    )  # fmt: skip
    changed = await store.issues.change(
        issue.id, issue.status, IssueChange(assignee_id=chosen.id if chosen else None), event,
        lambda i: _messages(services, grid, i, previous, chosen, coordinators),
    )  # fmt: skip
    return changed is not None


def _messages(
    services: Services,
    grid: Grid,
    issue: Issue,
    previous: Member,
    chosen: Member | None,
    coordinators: Sequence[Member],
) -> list[OutgoingMessage]:
    texts, lang, now = services.texts, grid.language, services.clock()
    name = chosen.name if chosen else texts.get(lang, "nobody")
    owed = []
    if chosen is not None:
        text = texts.get(
            lang, "leave_notice", n=issue.id, previous=previous.name,
            urgent=texts.get(lang, "notice_urgent_mark") if issue.urgent else "",
            grid=f"{grid.code} {grid.name}", category=texts.name(lang, issue.category),
            text=issue.text, reporter=issue.reporter_name,
        )  # fmt: skip
        owed.append(OutgoingMessage(
            kind=MessageKind.NOTICE, chat_id=chosen.telegram_id, text=text, issue_id=issue.id,
            created_at=now, buttons=issue_buttons(services, grid, issue),
            priority=Priority.URGENT if issue.urgent else Priority.NOTICE,
        ))  # fmt: skip
    told = texts.get(lang, "leave_coordinator", previous=previous.name, n=issue.id,
                     grid=f"{grid.code} {grid.name}", member=name)  # fmt: skip
    for coordinator in coordinators:
        if chosen is None or coordinator.id != chosen.id:
            owed.append(OutgoingMessage(
                kind=MessageKind.ALERT, chat_id=coordinator.telegram_id, text=told,
                issue_id=issue.id, created_at=now, priority=Priority.NOTICE,
            ))  # fmt: skip
    return [deferred(services.settings, message, issue.urgent) for message in owed]


async def remove_member(services: Services, who: str) -> tuple[str, int] | None:
    """`gridbot roster remove NAME|ID`: the member (or invitee) leaves; (name, issues handed
    over), or None when nobody active is called so."""
    store, who = services.store, " ".join(who.split())
    members = await store.members.all()
    found = [m for m in members if (who.isdigit() and m.telegram_id == int(who)) or m.name == who]
    if found:
        await store.enrolment.deactivate([m.id for m in found], [])
        return found[0].name, await hand_over_from(services, [m.id for m in found])
    waiting = await store.invitations.by_name(who)
    if waiting is None:
        return None
    await store.enrolment.deactivate([], [waiting.id])
    return waiting.name, 0
