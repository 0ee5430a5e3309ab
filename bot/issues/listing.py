"""Read-only views for members and residents: the timeline, /mine, /open and /my."""

from __future__ import annotations

from bot import timefmt
from bot.issues.cases import Actor, Answer, load_case, not_found, refusal
from bot.language import of_grids, of_person
from bot.services import Services
from storage.records import Issue, Member
from storage.statuses import OPEN

MAX_LISTED = 30


async def timeline(services: Services, actor: Actor, number: int) -> Answer:
    """/issue N: the whole history, for the staff of the grid and the reporter."""
    case = await load_case(services, actor, number)
    if case is None:
        return await not_found(services, actor, number)
    if not case.roles:
        return refusal(services, case, "not_allowed")
    texts, lang, issue, zone = (
        services.texts,
        case.grid.language,
        case.issue,
        services.settings.timezone,
    )
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
            respond_by=timefmt.short(issue.respond_by, zone),
            solve_by=timefmt.short(issue.solve_by, zone),
        )
    ]
    for event in await services.store.issues.events(issue.id):
        note = f"：{event.note}" if event.note else ""
        lines.append(
            texts.get(
                lang,
                "timeline_line",
                at=timefmt.short(event.at, zone),
                actor=event.actor_name,
                action=texts.get(lang, f"action_{event.action}"),
                note=note,
            )
        )
    return Answer("\n".join(lines), ok=True)


def render_list(services: Services, language: str, title_key: str, issues: list[Issue]) -> str:
    texts = services.texts
    title = texts.get(language, title_key)
    if not issues:
        return texts.get(language, "list_empty", title=title)
    lines = [texts.get(language, "list_head", title=title, count=len(issues))]
    for issue in issues[:MAX_LISTED]:
        short = issue.text if len(issue.text) <= 30 else issue.text[:29] + "…"
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


async def mine(services: Services, member: Member) -> str:
    issues = await services.store.issues.find(assignee_id=member.id, statuses=list(OPEN))
    language = await of_person(services, member.telegram_id)
    return render_list(services, language, "title_mine", issues)


async def open_issues(services: Services, member: Member, chat_id: int | None) -> str:
    """Open issues of this group's grid, or of every grid the member serves."""
    grids = await services.store.grids.all()
    if chat_id is not None and any(g.chat_id == chat_id for g in grids):
        grids = [g for g in grids if g.chat_id == chat_id]
    visible = [g for g in grids if member.serves(g.code)]
    issues = await services.store.issues.find(
        grid_ids=[g.id for g in visible], statuses=list(OPEN), limit=MAX_LISTED + 1
    )
    language = of_grids(visible)
    return render_list(services, language, "title_open", issues)


async def reported_by(services: Services, telegram_id: int) -> str:
    issues = await services.store.issues.find(reporter_id=telegram_id, limit=MAX_LISTED + 1)
    grids = [await services.store.grids.by_id(grid_id) for grid_id in {i.grid_id for i in issues}]
    return render_list(services, of_grids(g for g in grids if g), "title_my", issues)
