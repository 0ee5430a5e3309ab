"""Minutes of a 微协商 (成果转化): the outcome is posted in the group and noted on every linked
issue; a line `结论：已解决` (列入计划 DATE, 转交 部门, 办理中, 不予受理) also changes the
issues' status, through the member workflow and so through the lifecycle."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from bot.consult.meetings import numbers_line, serves
from bot.issues import workflow
from bot.issues.cases import Actor, Answer, group_post, load_case
from bot.language import of_person
from bot.lifecycle import TransitionError, next_status
from bot.privacy import mask
from bot.services import Services
from bot.support import supporters as support
from bot.timefmt import parse_day
from storage.records import Grid, IssueChange, IssueEvent, Meeting, MessageKind, OutgoingMessage
from storage.statuses import Status

logger = logging.getLogger(__name__)

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


def outcome_text(
    services: Services, body: str, conclusion: Conclusion | None, language: str
) -> str:
    """The outcome as noted on each issue: the minutes' gist, with the conclusion."""
    body = body if len(body) <= EXCERPT else body[: EXCERPT - 1] + "…"
    if conclusion is None:
        return body
    tail = services.texts.get(language, "consult_conclusion", value=conclusion.value)
    return f"{body}{tail}" if body else conclusion.value


async def record(services: Services, actor: Actor, meeting_id: int, minutes: str) -> Answer:
    """`/consult minutes ID 纪要`: once per meeting, by a member or coordinator of its grid."""
    store, texts = services.store, services.texts
    meeting = await store.meetings.get(meeting_id)
    grid = await store.grids.by_id(meeting.grid_id) if meeting else None
    if meeting is None or grid is None:
        language = await of_person(services, actor.telegram_id)
        return Answer(texts.get(language, "consult_not_found", id=meeting_id), ok=False)
    lang = grid.language
    if not serves(await store.members.by_telegram_id(actor.telegram_id), grid):
        return Answer(texts.get(lang, "consult_refused"), ok=False)
    if not minutes.strip():
        return Answer(texts.get(lang, "consult_minutes_usage"), ok=False)
    stored = await store.meetings.record_minutes(
        meeting.id, minutes.strip(), actor.name, services.clock(),
        lambda m: _minutes_post(services, grid, m),
    )  # fmt: skip
    if stored is None:
        return Answer(texts.get(lang, "consult_already_minuted", id=meeting.id), ok=False)
    body, value = split_minutes(services, minutes)
    conclusion = conclusion_of(services, value) if value else None
    outcome = outcome_text(services, body, conclusion, lang)
    done: list[str] = []
    skipped: list[str] = []
    for number in stored.issue_ids:
        applied = await _apply(services, actor, stored, number, outcome, conclusion, lang)
        (done if applied else skipped).append(f"#{number}")
    logger.info("meeting %s minuted: updated %s, skipped %s", meeting.id, done, skipped)
    return Answer(_summary(services, stored, done, skipped, lang), ok=True)


def _summary(
    services: Services, meeting: Meeting, done: list[str], skipped: list[str], lang: str
) -> str:
    texts = services.texts
    parts = [texts.get(lang, "consult_updated", numbers=" ".join(done))] if done else []
    if skipped:
        parts.append(texts.get(lang, "consult_skipped", numbers=" ".join(skipped)))
    return texts.get(lang, "consult_minuted", id=meeting.id, updated="".join(parts))


def _minutes_post(services: Services, grid: Grid, meeting: Meeting) -> list[OutgoingMessage]:
    assert grid.chat_id is not None
    text = services.texts.get(
        grid.language, "consult_minutes_post", id=meeting.id, title=meeting.title,
        minutes=meeting.minutes or "", issues=numbers_line(services, grid.language, meeting),
    )  # fmt: skip
    return [
        OutgoingMessage(kind=MessageKind.CONSULT, chat_id=grid.chat_id, text=mask(text.strip()),
                        created_at=services.clock())
    ]  # fmt: skip


async def _apply(
    services: Services,
    actor: Actor,
    meeting: Meeting,
    number: int,
    outcome: str,
    conclusion: Conclusion | None,
    lang: str,
) -> bool:
    """The decided status change if the lifecycle allows it now, otherwise a note."""
    note = services.texts.get(
        lang, "consult_outcome_note", id=meeting.id, title=meeting.title, outcome=outcome
    )
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
