"""Hand-over: an issue nobody took within its response time is offered to another member."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import timefmt
from bot.grids import routing
from bot.intake.notices import issue_buttons, mention
from bot.issues.cases import private_note
from bot.lifecycle import Role, next_status
from bot.privacy import mask
from bot.quiet import deferred
from bot.services import Services
from storage.records import Grid, Issue, IssueEvent, Member, MessageKind, OutgoingMessage, Priority
from storage.statuses import Status

SYSTEM = frozenset({Role.SYSTEM})


async def hand_over(
    services: Services, grid: Grid, issue: Issue, now: datetime, window: timedelta
) -> bool | None:
    """Give the issue to the best other member of the grid; None when there is nobody else.

    The new member gets a whole response window from now."""
    store = services.store
    staff = [
        m for m in await store.members.of_grid(grid.id)
        if m.role == "member" and m.id != issue.assignee_id
    ]  # fmt: skip
    if not staff:
        return None
    found = services.taxonomy.category(issue.category)
    load = await store.members.open_counts(m.id for m in staff)
    chosen = routing.choose(staff, found.expertise if found else (), load)
    assert chosen is not None
    previous = await store.members.by_id(issue.assignee_id) if issue.assignee_id else None
    status = next_status("hand_over", Status(issue.status), SYSTEM)
    texts = services.texts
    before = previous.name if previous else texts.get(grid.language, "nobody")
    event = IssueEvent(
        issue_id=issue.id, at=now, action="hand_over",
        actor_name=texts.get(grid.language, "system_actor"), from_status=issue.status,
        to_status=status, note=texts.get(grid.language, "handover_note", previous=before,
                                          member=chosen.name),
    )  # fmt: skip
    changed = await store.reminders.record_change(
        "respond_late", issue.status, {"assignee_id": chosen.id}, event,
        lambda i: _messages(services, grid, i, chosen, previous, now + window),
    )  # fmt: skip
    return changed is not None


def _messages(
    services: Services,
    grid: Grid,
    issue: Issue,
    chosen: Member,
    previous: Member | None,
    respond_by: datetime,
) -> list[OutgoingMessage]:
    owed = [_offer(services, grid, issue, chosen, previous, respond_by)]
    if previous is not None:
        texts = services.texts
        text = texts.get(grid.language, "handover_previous", n=issue.id, member=chosen.name)
        owed.append(private_note(services, previous, issue, text))
    return [deferred(services.settings, message, issue.urgent) for message in owed]


def _offer(
    services: Services,
    grid: Grid,
    issue: Issue,
    member: Member,
    previous: Member | None,
    respond_by: datetime,
) -> OutgoingMessage:
    """The new member's notice, with the buttons to take it, like the first one."""
    texts, lang = services.texts, grid.language
    category = texts.name(lang, issue.category)
    text = texts.get(
        lang, "handover_notice", n=issue.id,
        urgent=texts.get(lang, "notice_urgent_mark") if issue.urgent else "",
        previous=previous.name if previous else texts.get(lang, "nobody"),
        grid=f"{grid.code} {grid.name}", category=category, text=issue.text,
        reporter=issue.reporter_name,
        respond_by=timefmt.short(respond_by, services.settings.timezone),
    )  # fmt: skip
    link = f"https://t.me/{services.bot_username}?start=member"
    fallback = texts.get(
        lang, "notice_fallback", mention=mention(member), n=issue.id, category=category, link=link
    )
    return OutgoingMessage(
        kind=MessageKind.NOTICE, chat_id=member.telegram_id, text=text, issue_id=issue.id,
        created_at=services.clock(),
        buttons=issue_buttons(services, grid, issue), fallback_chat_id=issue.chat_id,
        fallback_thread_id=issue.thread_id, fallback_text=mask(fallback),
        priority=Priority.URGENT if issue.urgent else Priority.NOTICE,
    )  # fmt: skip
