"""The rules of each member action: what it needs, what it changes, whom it tells."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from bot import deadlines, timefmt
from bot.issues.cases import Case, Refused, Request, group_post, private_note
from bot.services import Services
from storage.records import Issue, IssueChange, OutgoingMessage
from storage.statuses import FINAL, Status

FIRST_RESPONSE = frozenset({"take", "progress", "plan", "escalate", "done"})


@dataclass(frozen=True)
class Change:
    """A member action's effect: the columns it sets, the timeline note, the posts it owes."""

    issue: IssueChange
    note: str
    messages: Callable[[Issue], Sequence[OutgoingMessage]]
    pause: deadlines.PauseChange = field(default_factory=deadlines.PauseChange)


def _say(services: Services, case: Case, key: str, **values: Any) -> str:
    return services.texts.get(case.grid.language, key, **values)


def _need(services: Services, case: Case, text: str, what: str) -> str:
    if not text.strip():
        raise Refused(_say(services, case, "note_required", what=_say(services, case, what)))
    return text.strip()


async def plan_change(services: Services, case: Case, request: Request, target: Status) -> Change:
    """The change for `request`, or Refused with the reason in one line."""
    now = services.clock()
    change = IssueChange(status=target)
    if request.action in FIRST_RESPONSE and case.issue.taken_at is None:
        change = replace(change, taken_at=now)
    if request.action in FIRST_RESPONSE and case.issue.assignee_id is None and case.member:
        change = replace(change, assignee_id=case.member.id)
    # Waiting on the resident, a department or a plan date does not count against the limits.
    current = await services.store.pauses.open_for(case.issue.id)
    pause = deadlines.pause_change(services, case.issue, current, request.action, target)
    rule = RULES[request.action]
    made = await rule(services, case, request, change.then(pause.change))
    return replace(made, pause=pause)


async def _take(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    assert case.member is not None
    change = replace(change, assignee_id=case.member.id)
    name = case.member.name
    return Change(
        change, "", lambda i: [group_post(services, case.grid, i, "post_take", member=name)]
    )


async def _progress(
    services: Services, case: Case, request: Request, change: IssueChange
) -> Change:
    note = request.note.strip()
    if not note:
        raise Refused(services.texts.usage(case.grid.language, "progress"))
    return Change(
        change, note, lambda i: [group_post(services, case.grid, i, "post_progress", note=note)]
    )


async def _ask(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    """The reporter is asked in the group, under their message; the status stays."""
    question = request.note.strip()
    if not question:
        raise Refused(services.texts.usage(case.grid.language, "ask"))
    member = case.member.name if case.member else ""
    days = deadlines.ASK_WAIT.days
    return Change(
        change,
        question,
        lambda i: [
            group_post(services, case.grid, i, "post_ask", member=member,
                       reporter=i.reporter_name, question=question, days=days)
        ],
    )  # fmt: skip


async def _plan(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    today = services.clock().astimezone(services.settings.timezone).date()
    if request.plan_date is None or request.plan_date < today:
        raise Refused(_say(services, case, "bad_date", n=case.issue.id))
    change = replace(change, plan_date=request.plan_date.isoformat())
    zone, note = services.settings.timezone, request.note.strip()
    shown = timefmt.calendar_day(
        request.plan_date,
        services.clock().astimezone(zone).date(),
        partial(services.texts.get, case.grid.language),
    )
    said = f"\n{note}" if note else ""  # the member's words on a line of their own
    return Change(
        change,
        f"{request.plan_date.isoformat()} {note}".strip(),
        lambda i: [group_post(services, case.grid, i, "post_plan", date=shown, note=said)],
    )


async def _escalate(
    services: Services, case: Case, request: Request, change: IssueChange
) -> Change:
    department = _need(services, case, request.department, "what_department")
    note = _need(services, case, request.note, "what_department")
    change = replace(change, department=department)
    return Change(
        change,
        f"{department}: {note}",
        lambda i: [
            group_post(services, case.grid, i, "post_escalate", department=department, note=note)
        ],
    )


async def _done(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    note = request.note.strip()
    if not note:
        raise Refused(services.texts.usage(case.grid.language, "done"))
    change = replace(change, resolved_at=services.clock())
    return Change(change, note, lambda issue: [solved_post(services, case, issue, note)])


def solved_post(services: Services, case: Case, issue: Issue, note: str) -> OutgoingMessage:
    """One post for the step: the result, and under it the reporter's three verdict buttons."""
    post = group_post(
        services, case.grid, issue, "post_done", note=note, reporter=issue.reporter_name,
        days=deadlines.FEEDBACK_DAYS,
    )  # fmt: skip
    buttons = tuple(
        (_say(services, case, key), f"rate:{issue.id}:{code}")
        for key, code in (
            ("button_satisfied", "s"),
            ("button_basic", "b"),
            ("button_unsatisfied", "u"),
        )
    )
    return replace(post, buttons=(buttons,))


async def _reject(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    reason = _need(services, case, request.note, "what_reason")
    change = replace(change, closed_at=services.clock())
    return Change(
        change, reason, lambda i: [group_post(services, case.grid, i, "post_reject", note=reason)]
    )


async def _merge(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    other_id = request.other
    if other_id == case.issue.id:
        raise Refused(_say(services, case, "merge_self", n=case.issue.id))
    other = await services.store.issues.get(other_id) if other_id else None
    if other is None or Status(other.status) in FINAL - {Status.CLOSED}:
        raise Refused(_say(services, case, "not_found", n=other_id or 0))
    if other.grid_id != case.issue.grid_id:
        raise Refused(_say(services, case, "merge_other_grid", other=other.id))
    change = replace(change, merged_into=other.id, closed_at=services.clock())
    return Change(
        change,
        f"#{other.id}",
        lambda i: [group_post(services, case.grid, i, "post_merge", other=other.id)],
    )


async def _assign(services: Services, case: Case, request: Request, change: IssueChange) -> Change:
    store = services.store
    staff = await store.members.of_grid(case.grid.id) + await store.members.coordinators_of(
        case.grid.id
    )
    chosen = next((m for m in staff if m.name == request.assignee.strip()), None)
    if chosen is None:
        raise Refused(_say(services, case, "unknown_member", name=request.assignee.strip()))
    change = replace(change, assignee_id=chosen.id)

    def messages(issue: Issue) -> list[OutgoingMessage]:
        text = _say(
            services,
            case,
            "assigned_notice",
            n=issue.id,
            text=issue.text,
            category=services.texts.name(case.grid.language, issue.category),
            reporter=issue.reporter_name,
        )
        return [
            group_post(services, case.grid, issue, "post_assign", member=chosen.name),
            private_note(services, chosen, issue, text),
        ]

    return Change(change, chosen.name, messages)


async def _recategorise(
    services: Services, case: Case, request: Request, change: IssueChange
) -> Change:
    names = services.taxonomy.names
    category = request.category.strip()
    if category not in names:
        choices = "、".join(names)
        raise Refused(_say(services, case, "bad_category", category=category, choices=choices))
    change = replace(change, category=category)
    shown = services.texts.name(case.grid.language, category)
    return Change(
        change,
        f"{case.issue.category} -> {category}",
        lambda i: [group_post(services, case.grid, i, "post_recategorise", category=shown)],
    )


RULES = {
    "take": _take,
    "progress": _progress,
    "ask": _ask,
    "plan": _plan,
    "escalate": _escalate,
    "done": _done,
    "reject": _reject,
    "merge": _merge,
    "assign": _assign,
    "recategorise": _recategorise,
}
