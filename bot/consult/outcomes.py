"""A meeting's outcome on its linked issues (成果转化): minutes of either kind are noted on
every linked issue; a line `结论：已解决` (列入计划 DATE, 转交 部门, 办理中, 不予受理) in the
minutes of a face-to-face meeting also changes the issues' status, through the member
workflow and so through the lifecycle."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.issues import workflow
from bot.issues.cases import Actor, group_post, load_case
from bot.lifecycle import TransitionError, next_status
from bot.privacy import excerpt
from bot.services import Services
from bot.support import supporters as support
from bot.timefmt import parse_day
from storage.meeting_records import Meeting
from storage.records import IssueChange, IssueEvent
from storage.statuses import Status

EXCERPT = 120
_CONCLUSION = re.compile(r"^\s*结论\s*[:：]\s*\S")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


@dataclass(frozen=True)
class Conclusion:
    """What the minutes decided for the linked issues."""

    value: str  # as written after 结论：
    action: str | None = None  # a workflow action, or None for a note only
    plan_date: date | None = None
    department: str = ""


@dataclass(frozen=True)
class Outcome:
    """What is noted on each linked issue, and the status change decided, if any."""

    text: str
    conclusion: Conclusion | None = None


def of_minutes(services: Services, minutes: str, language: str) -> Outcome:
    """The outcome of written minutes: their gist, with the conclusion they state."""
    body, value = split_minutes(services, minutes)
    conclusion = conclusion_of(services, value) if value else None
    body = excerpt(body, EXCERPT)
    if conclusion is None:
        return Outcome(body)
    tail = services.texts.get(language, "consult_conclusion", value=conclusion.value)
    return Outcome(f"{body}{tail}" if body else conclusion.value, conclusion)


def split_minutes(services: Services, minutes: str) -> tuple[str, str | None]:
    """The minutes without their `结论：...` line (結論 too), and that conclusion as written."""
    simplify = services.classifier.normalizer.simplify
    body: list[str] = []
    value = None
    for line in minutes.splitlines():
        if value is None and _CONCLUSION.match(simplify(line)):
            value = re.split(r"[:：]", line, maxsplit=1)[1].strip()
        else:
            body.append(line)
    return " ".join(" ".join(body).split()), value


def conclusion_of(services: Services, value: str) -> Conclusion:
    """The conclusion, read as a workflow action where it names one."""
    simple = services.classifier.normalizer.simplify(value)
    if simple.startswith(("已解决", "解决")):
        return Conclusion(value, "done")
    if simple.startswith(("办理中", "继续办理")):
        return Conclusion(value, "progress")
    if simple.startswith("不予受理"):
        return Conclusion(value, "reject")
    if simple.startswith("列入计划") and (day := _DATE.search(simple)):
        planned = parse_day("-".join(f"{int(p):02d}" for p in day[0].split("-")))
        return Conclusion(value, "plan" if planned else None, plan_date=planned)
    if simple.startswith("转交") and (parts := value.strip()[2:].split()):
        return Conclusion(value, "escalate", department=parts[0])
    return Conclusion(value)


async def apply(
    services: Services, actor: Actor, meeting: Meeting, outcome: Outcome, language: str
) -> tuple[list[int], list[int]]:
    """The outcome on every linked issue: the issues updated, and those left as they were."""
    done: list[int] = []
    skipped: list[int] = []
    for number in meeting.issue_ids:
        applied = await _apply(services, actor, meeting, number, outcome, language)
        (done if applied else skipped).append(number)
    return done, skipped


async def _apply(
    services: Services,
    actor: Actor,
    meeting: Meeting,
    number: int,
    outcome: Outcome,
    language: str,
) -> bool:
    """The decided status change if the lifecycle allows it now, otherwise a note."""
    note = services.texts.get(
        language, "consult_outcome_note", id=meeting.id, title=meeting.title,
        outcome=outcome.text,
    )  # fmt: skip
    conclusion = outcome.conclusion
    if conclusion is not None and conclusion.action is not None:
        request = workflow.Request(
            conclusion.action, number, note=note, plan_date=conclusion.plan_date,
            department=conclusion.department,
        )  # fmt: skip
        if (await workflow.act(services, actor, request)).ok:
            return True
    return await note_outcome(services, actor, number, note)


async def note_outcome(services: Services, actor: Actor, number: int, note: str) -> bool:
    """The outcome as a progress note that keeps the status (the `consult` transition)."""
    case = await load_case(services, actor, number)
    if case is None:
        return False
    try:
        next_status("consult", Status(case.issue.status), case.roles)
    except TransitionError:
        return False
    event = IssueEvent(
        issue_id=case.issue.id, at=services.clock(), action="consult",
        actor_id=actor.telegram_id, actor_name=case.member.name if case.member else actor.name,
        note=note,
    )  # fmt: skip
    owed = await support.with_supporters(
        services, case.issue.id, case.grid.language,
        lambda issue: [group_post(services, case.grid, issue, "post_consult", note=note)],
    )  # fmt: skip
    changed = await services.store.issues.change(
        # A note only: the status is set to itself, so the status guard still decides.
        case.issue.id,
        case.issue.status,
        IssueChange(status=case.issue.status),
        event,
        owed,
    )
    return changed is not None
