"""The resident's verdict on a solved issue: 满意 and 基本满意 close it, 不满意 reopens it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.issues.cases import Actor, Answer, Case, group_post, load_case, private_note, refusal
from bot.language import of_person
from bot.lifecycle import Role, TransitionError, next_status
from bot.services import Services
from storage.records import Issue, IssueChange, IssueEvent, Member, OutgoingMessage
from storage.statuses import Status

VERDICTS = {"s": "满意", "b": "基本满意", "u": "不满意"}


async def rate(services: Services, actor: Actor, number: int, code: str) -> Answer:
    """Record the reporter's verdict; anyone else is told only the reporter's press counts."""
    case = await load_case(services, actor, number)
    if case is None or code not in VERDICTS:
        language = await of_person(services, actor.telegram_id)
        return Answer(services.texts.get(language, "stale_button"), ok=False)
    texts, lang = services.texts, case.grid.language
    if Role.REPORTER not in case.roles:
        return Answer(texts.get(lang, "feedback_only_reporter"), ok=False)
    action = "unsatisfied" if code == "u" else "satisfied"
    try:
        target = next_status(action, Status(case.issue.status), case.roles)
    except TransitionError as exc:
        return refusal(services, case, exc.reason)
    verdict = VERDICTS[code]
    now = services.clock()
    change = IssueChange(status=target, rating=verdict)
    if target == Status.CLOSED:
        change = replace(change, closed_at=now)
    else:  # reopened: solved no more
        change = replace(change, resolved_at=None)
    event = IssueEvent(
        issue_id=case.issue.id, at=now, action=action, actor_id=actor.telegram_id,
        actor_name=actor.name, from_status=case.issue.status, to_status=target, note=verdict,
    )  # fmt: skip
    coordinators = await services.store.members.coordinators_of(case.grid.id)
    assignee = await services.store.members.by_id(case.issue.assignee_id or 0)
    changed = await services.store.issues.change(
        case.issue.id, case.issue.status, change, event,
        lambda issue: _messages(services, case, issue, verdict, [assignee, *coordinators]),
    )  # fmt: skip
    if changed is None:
        return Answer(texts.get(lang, "stale_button"), ok=False)
    return Answer(texts.get(lang, "feedback_thanks"), ok=True)


def _messages(
    services: Services, case: Case, issue: Issue, verdict: str, staff: Sequence[Member | None]
) -> list[OutgoingMessage]:
    if issue.status == Status.CLOSED:
        return [group_post(services, case.grid, issue, "post_satisfied", rating=verdict)]
    post = group_post(services, case.grid, issue, "post_unsatisfied")
    text = services.texts.get(case.grid.language, "reopened_notice", n=issue.id, text=issue.text)
    told = {m.telegram_id: m for m in staff if m is not None}
    return [post, *(private_note(services, m, issue, text) for m in told.values())]
