"""Members act on issues: every change goes through the lifecycle and is posted to the group."""

from __future__ import annotations

from functools import partial

from bot.deadlines import ASK_WAIT
from bot.issues.actions import plan_change
from bot.issues.cases import (
    Actor,
    Answer,
    Case,
    Refused,
    Request,
    ask_privately,
    elsewhere,
    load_case,
    not_found,
    refusal,
    visible_case,
)
from bot.lifecycle import TransitionError, next_status
from bot.services import Services
from bot.support import supporters as support
from storage.records import Issue, IssueEvent
from storage.statuses import Status

__all__ = ["Actor", "Answer", "Request", "act", "describe", "may"]


async def act(services: Services, actor: Actor, request: Request) -> Answer:
    """Carry out a member's request, or say in one line why not."""
    ruled = await _ruled(services, actor, request)
    if isinstance(ruled, Answer):
        return ruled
    case, target = ruled
    try:
        change = await plan_change(services, case, request, target)
    except Refused as exc:
        return Answer(str(exc), ok=False)
    event = IssueEvent(
        issue_id=case.issue.id, at=services.clock(), action=request.action,
        actor_id=actor.telegram_id, actor_name=case.member.name if case.member else actor.name,
        from_status=case.issue.status, to_status=target, note=change.note,
    )  # fmt: skip
    # Supporters who started the bot hear of each step with the reporter.
    owed = await support.with_supporters(
        services, case.issue.id, case.grid.language, change.messages
    )
    changed = await services.store.issues.change(
        case.issue.id, case.issue.status, change.issue, event, owed,
        ends_pause=change.pause.ends, starts_pause=change.pause.starts,
    )  # fmt: skip
    if changed is None:  # someone else changed it meanwhile: decide again on the new state
        return await act(services, actor, request)
    return Answer(acted(services, case, request.action, changed), ok=True,
                  posted_in=changed.chat_id)  # fmt: skip


def acted(services: Services, case: Case, action: str, changed: Issue) -> str:
    """What the member is told: what the group now knows, and what comes next."""
    say = partial(services.texts.get, case.grid.language)
    if action == "ask":
        return say("ask_sent", n=changed.id, days=ASK_WAIT.days)
    return say(f"acted_{action}", n=changed.id)


async def may(services: Services, actor: Actor, request: Request) -> Answer | None:
    """Before asking a member for a note: None when they may take this step now, otherwise
    the one line that says why not (so nobody writes a note that is then refused)."""
    ruled = await _ruled(services, actor, request)
    return ruled if isinstance(ruled, Answer) else None


async def _ruled(
    services: Services, actor: Actor, request: Request
) -> tuple[Case, Status] | Answer:
    """The case and the status the request leads to, or the refusal."""
    case = await load_case(services, actor, request.number)
    if case is None:
        return await not_found(services, actor, request.number)
    if elsewhere(case, actor):
        return await ask_privately(services, actor)
    try:
        return case, next_status(request.action, Status(case.issue.status), case.roles)
    except TransitionError as exc:
        return refusal(services, case, exc.reason)


async def describe(services: Services, actor: Actor, number: int) -> Answer:
    """A short summary of the issue for the staff and the reporter."""
    case = await visible_case(services, actor, number)
    if isinstance(case, Answer):
        return case
    texts, lang, issue = services.texts, case.grid.language, case.issue
    store = services.store
    assignee = await store.members.by_id(issue.assignee_id) if issue.assignee_id else None
    text = texts.get(
        lang, "summary", n=issue.id, label=texts.status(lang, issue.status),
        category=texts.name(lang, issue.category),
        member=assignee.name if assignee else texts.get(lang, "nobody"),
        text=issue.text,
    )  # fmt: skip
    return Answer(text, ok=True)
