"""Read-only views for members and residents: the timeline, /mine, /open and /my."""

from __future__ import annotations

from functools import partial

from bot import deadlines, timefmt
from bot.intake.notices import issue_buttons
from bot.issues.cases import Actor, Answer, visible_case
from bot.language import of_grids, of_person
from bot.lifecycle import Role
from bot.privacy import excerpt
from bot.services import Services
from storage.records import Grid, Issue, Member
from storage.statuses import OPEN

MAX_LISTED = 30
EXCERPT = 30


async def timeline(services: Services, actor: Actor, number: int) -> Answer:
    """/issue N: the whole history, for the staff of the grid and the reporter."""
    case = await visible_case(services, actor, number)
    if isinstance(case, Answer):
        return case
    texts, lang, issue, zone = (
        services.texts,
        case.grid.language,
        case.issue,
        services.settings.timezone,
    )
    say, now = partial(texts.get, lang), services.clock()
    assignee = await services.store.members.by_id(issue.assignee_id or 0)
    lines = [
        texts.get(
            lang,
            "timeline_head",
            n=issue.id,
            label=texts.status(lang, issue.status),
            category=texts.name(lang, issue.category),
            grid=f"{case.grid.code} {case.grid.name}",
            reporter=issue.reporter_name,
            member=assignee.name if assignee else texts.get(lang, "nobody"),
            text=issue.text,
            respond_by=deadlines.shown(services, lang, issue.respond_by),
            solve_by=deadlines.shown(services, lang, issue.solve_by),
        )
    ]
    lines.extend(await _pauses(services, lang, issue))
    for event in await services.store.issues.events(issue.id):
        note = f"：{event.note}" if event.note else ""
        status = (
            texts.get(lang, "timeline_status", label=texts.status(lang, event.to_status))
            if event.to_status
            else ""
        )
        lines.append(
            texts.get(
                lang,
                "timeline_line",
                at=timefmt.when(event.at, zone, say, now),
                actor=event.actor_name,
                action=texts.get(lang, f"action_{event.action}"),
                status=status,
                note=note,
            )
        )
    staff = bool(case.roles & {Role.MEMBER, Role.COORDINATOR})
    buttons = issue_buttons(services, case.grid, issue) if staff and issue.status in OPEN else ()
    return Answer("\n".join(lines), ok=True, buttons=buttons)


async def _pauses(services: Services, lang: str, issue: Issue) -> list[str]:
    """When the clock stood still: asking the reporter, a department, a plan date."""
    texts, zone = services.texts, services.settings.timezone
    say, now = partial(texts.get, lang), services.clock()
    found = await services.store.pauses.of_issue(issue.id)
    if not found:
        return []
    lines = [texts.get(lang, "timeline_pauses_head")]
    for pause in found:
        reason = texts.get(lang, f"pause_{pause.reason}")
        start = timefmt.when(pause.started_at, zone, say, now)
        if pause.ended_at is None:
            lines.append(texts.get(lang, "timeline_pause_open", reason=reason, start=start))
        else:
            end = timefmt.when(pause.ended_at, zone, say, now)
            lines.append(texts.get(lang, "timeline_pause_line", reason=reason, start=start,
                                   end=end))  # fmt: skip
    return lines


def render_list(services: Services, language: str, title_key: str, issues: list[Issue]) -> str:
    texts = services.texts
    title = texts.get(language, title_key)
    if not issues:
        return texts.get(language, "list_empty", title=title)
    lines = [texts.get(language, "list_head", title=title, count=len(issues))]
    for issue in issues[:MAX_LISTED]:
        short = excerpt(issue.text, EXCERPT)
        lines.append(
            texts.get(
                language,
                "list_line",
                n=issue.id,
                label=texts.status(language, issue.status),
                category=texts.name(language, issue.category),
                text=short,
            )
        )
    return "\n".join(lines)


async def mine(services: Services, member: Member, here: Grid | None = None) -> str:
    """The member's open issues; in a group, only those of its grid."""
    if here is not None and not member.serves(here.code):
        return services.texts.get(here.language, "ask_privately")
    issues = await services.store.issues.find(
        assignee_id=member.id, statuses=list(OPEN), grid_ids=_only(here)
    )
    language = here.language if here else await of_person(services, member.telegram_id)
    return render_list(services, language, "title_mine", issues)


async def open_issues(services: Services, member: Member, here: Grid | None = None) -> str:
    """Open issues of this group's grid, or in private of every grid the member serves."""
    if here is not None and not member.serves(here.code):
        return services.texts.get(here.language, "ask_privately")
    everywhere = await services.store.grids.all()
    grids = [here] if here else [g for g in everywhere if member.serves(g.code)]
    issues = await services.store.issues.find(
        grid_ids=[g.id for g in grids], statuses=list(OPEN), limit=MAX_LISTED + 1
    )
    return render_list(services, of_grids(grids), "title_open", issues)


async def reported_by(services: Services, telegram_id: int, here: Grid | None = None) -> str:
    """What the person reported; in a group, only there."""
    issues = await services.store.issues.find(
        reporter_id=telegram_id, grid_ids=_only(here), limit=MAX_LISTED + 1
    )
    grids = [await services.store.grids.by_id(grid_id) for grid_id in {i.grid_id for i in issues}]
    language = here.language if here else of_grids(g for g in grids if g)
    return render_list(services, language, "title_my", issues)


def _only(here: Grid | None) -> list[int] | None:
    return [here.id] if here is not None else None
