"""The resident's verdict on a solved issue: 满意 and 基本满意 close it, 不满意 reopens it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.issues.cases import (
    Actor,
    Answer,
    Case,
    ask_privately,
    elsewhere,
    group_post,
    load_case,
    private_note,
    refusal,
)
from bot.language import of_person
from bot.lifecycle import Role, TransitionError, next_status
from bot.services import Services
from bot.support.supporters import Reply, target_issue
from storage.records import Issue, IssueChange, IssueEvent, Member, OutgoingMessage
from storage.statuses import Status

VERDICTS = {"s": "满意", "b": "基本满意", "u": "不满意"}
# Common reasons for 不满意, offered as buttons; "o" (other) asks for a reply instead.
REASONS = ("n", "s", "a", "o")
REASON_LIMIT = 300

# A verdict by someone who handles the grid's issues (they reported it themselves, as staff):
# recorded under its own action so that 满意率 counts residents' verdicts only.
SELF_RATED = "self_rated"


async def rate(services: Services, actor: Actor, number: int, code: str) -> Answer:
    """Record the reporter's verdict; anyone else is told only the reporter's press counts."""
    case = await load_case(services, actor, number)
    if case is None or code not in VERDICTS:
        language = await of_person(services, actor.telegram_id)
        return Answer(services.texts.get(language, "stale_button"), ok=False)
    if elsewhere(case, actor):
        return await ask_privately(services, actor)
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
    staff = bool(case.roles & {Role.MEMBER, Role.COORDINATOR})
    event = IssueEvent(
        issue_id=case.issue.id, at=now, action=SELF_RATED if staff else action,
        actor_id=actor.telegram_id,
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
        closed = group_post(
            services, case.grid, issue, "post_satisfied", rating=verdict,
            reporter=issue.reporter_name,
        )  # fmt: skip
        return [closed]
    post = group_post(services, case.grid, issue, "post_unsatisfied")
    say, lang = services.texts.get, case.grid.language
    buttons = tuple(
        tuple((say(lang, f"button_reason_{code}"), f"why:{issue.id}:{code}") for code in pair)
        for pair in (REASONS[:2], REASONS[2:])
    )
    post = replace(post, buttons=buttons)
    text = services.texts.get(case.grid.language, "reopened_notice", n=issue.id, text=issue.text)
    told = {m.telegram_id: m for m in staff if m is not None}
    return [post, *(private_note(services, m, issue, text) for m in told.values())]


async def reason(services: Services, actor: Actor, number: int, code: str) -> Answer:
    """A reason button under the 不满意 post: a common reason, or "other" (reply instead)."""
    case = await load_case(services, actor, number)
    if case is None or code not in REASONS:
        language = await of_person(services, actor.telegram_id)
        return Answer(services.texts.get(language, "stale_button"), ok=False)
    texts, lang = services.texts, case.grid.language
    if Role.REPORTER not in case.roles:
        return Answer(texts.get(lang, "feedback_only_reporter"), ok=False)
    if code == "o":
        return Answer(texts.get(lang, "reason_other"), ok=True)
    return await _record_reason(services, case, actor, texts.get(lang, f"button_reason_{code}"))


async def reason_by_reply(services: Services, reply: Reply) -> bool:
    """The reporter's reply to the bot's post about an issue they rated 不满意 and gave no
    reason for yet: it is the reason. False for any other reply."""
    issue = await target_issue(services, reply.chat_id, reply.reply_to)
    if issue is None or issue.reporter_id != reply.user_id or not _awaits_reason(issue):
        return False
    events = await services.store.issues.events(issue.id)
    since = [e.action for e in events][::-1]
    latest = since[: since.index("unsatisfied")] if "unsatisfied" in since else ["reason"]
    if "reason" in latest:
        return False  # a reason was given already: this reply is something else
    actor = Actor(reply.user_id, reply.user_name)
    case = await load_case(services, actor, issue.id)
    if case is None:
        return False
    await _record_reason(services, case, actor, reply.text.strip()[:REASON_LIMIT])
    return True


def _awaits_reason(issue: Issue) -> bool:
    return issue.rating == VERDICTS["u"] and issue.status == Status.IN_PROGRESS


async def _record_reason(services: Services, case: Case, actor: Actor, text: str) -> Answer:
    """The reason goes in the timeline and to the member and the grid's coordinators."""
    issue, texts, lang = case.issue, services.texts, case.grid.language
    if not _awaits_reason(issue):
        return Answer(texts.get(lang, "stale_button"), ok=False)
    event = IssueEvent(
        issue_id=issue.id, at=services.clock(), action="reason", actor_id=actor.telegram_id,
        actor_name=actor.name, note=text,
    )  # fmt: skip
    coordinators = await services.store.members.coordinators_of(case.grid.id)
    assignee = await services.store.members.by_id(issue.assignee_id or 0)
    told = {m.telegram_id: m for m in (assignee, *coordinators) if m is not None}
    note = texts.get(lang, "reason_notice", n=issue.id, reason=text, text=issue.text)
    changed = await services.store.issues.change(
        issue.id, issue.status, IssueChange(status=Status(issue.status)), event,
        lambda now: [private_note(services, m, now, note) for m in told.values()],
    )  # fmt: skip
    if changed is None:
        return Answer(texts.get(lang, "stale_button"), ok=False)
    return Answer(texts.get(lang, "reason_thanks"), ok=True)
