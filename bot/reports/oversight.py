"""Coordinators' figures: 响应率, 解决率, 满意率 and overdue issues per grid and per member,
and the members who cannot be written to privately. Used by the weekly private digest and
by /stats and /digest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from bot import deadlines
from bot.chunks import split_text
from bot.deadlines import solve_deadline
from bot.language import of_member
from bot.quiet import deferred
from bot.reports.consultations import consultation_summary
from bot.reports.digest import Window, rate
from bot.reports.digest import scope as grid_scope
from bot.services import Services
from storage.records import Grid, Issue, Member, MessageKind, OutgoingMessage, Priority
from storage.report_records import Figures, LedgerRow
from storage.statuses import Status

OVERDUE_SHOWN = 20
GRIDS_SHOWN = 30


def overseen(member: Member, grids: Sequence[Grid]) -> list[Grid]:
    """The grids a member serves; a coordinator with no grids oversees all."""
    return [grid for grid in grids if member.serves(grid.code)]


def _line(services: Services, lang: str, key: str, name: str, figures: Figures) -> str:
    texts = services.texts
    return texts.get(
        lang, key, name=name,
        respond=rate(texts, lang, figures.responded, figures.due),
        respond_on_time=rate(texts, lang, figures.responded_on_time, figures.due),
        solve=rate(texts, lang, figures.solved, figures.total),
        solve_on_time=rate(texts, lang, figures.solved_on_time, figures.solve_due),
        satisfy=rate(texts, lang, figures.satisfied, figures.rated),
        overdue=figures.overdue,
    )  # fmt: skip


def _quiet(figures: Figures | None) -> bool:
    return figures is None or not (figures.total or figures.overdue or figures.rated)


async def report(
    services: Services,
    grids: Sequence[Grid],
    window: Window,
    head: str,
    coordinator: bool,
    lang: str,
) -> str:
    """The figures for these grids over the window, as one text (split when sent), in the
    reader's script `lang`."""
    store, texts = services.store, services.texts
    if not grids:
        return texts.get(lang, "no_grids")
    ids = [grid.id for grid in grids]
    scope = await grid_scope(services, grids)
    args = (window.start, window.end, window.today, scope)
    per_grid = {f.grid_id: f for f in await store.stats.figures(*args)}
    per_member: dict[int, list[Figures]] = defaultdict(list)
    for figures in await store.stats.figures(*args, by_member=True):
        per_member[figures.grid_id].append(figures)
    people = {member.id: member for member in await store.members.all()}
    lines = [texts.get(lang, head, grids=len(grids), **window.shown())]
    if len(grids) > 1:
        lines.append(_line(services, lang, "figures_line", texts.get(lang, "figures_total"),
                           _sum(list(per_grid.values()))))  # fmt: skip
    lines.extend(_grid_lines(services, lang, grids, per_grid, per_member, people))
    if own := await store.stats.self_rated(window.start, window.end, scope):
        lines.append(texts.get(lang, "figures_self_rated", count=own))
    overdue = await store.stats.overdue_items(window.end, window.today, scope, OVERDUE_SHOWN + 1)
    total = sum(figures.overdue for figures in per_grid.values())
    lines.extend(_overdue(services, lang, overdue, total))
    lines.extend(await consultation_summary(services, scope, window.start, window.end, lang))
    lines.extend(await _questions(services, lang, ids, window))
    if coordinator:
        lines.extend(_unreachable(services, lang, grids, list(people.values())))
        lines.extend(await _not_joined(services, lang, grids))
    return "\n".join(lines)


async def _questions(
    services: Services, lang: str, grid_ids: list[int], window: Window
) -> list[str]:
    """How often residents were asked whether to register a message, and what came of it."""
    counts = await services.store.questions.counts(grid_ids, window.start, window.end)
    if not counts["asked"]:
        return []
    return [services.texts.get(lang, "questions_line", **counts)]


def _sum(rows: list[Figures]) -> Figures:
    fields = [
        name for name in Figures.__dataclass_fields__ if name not in ("grid_id", "assignee_id")
    ]
    return Figures(0, None, **{name: sum(getattr(row, name) for row in rows) for name in fields})


def _grid_lines(
    services: Services,
    lang: str,
    grids: Sequence[Grid],
    per_grid: dict[int, Figures],
    per_member: dict[int, list[Figures]],
    people: dict[int, Member],
) -> list[str]:
    """Each busy grid and its members, those with most overdue first; a county's worth is cut
    short, since nobody reads forty messages (the overdue list and /stats give the rest)."""
    texts = services.texts
    busy = [grid for grid in grids if not _quiet(per_grid.get(grid.id))]
    busy.sort(key=lambda g: (-per_grid[g.id].overdue, -per_grid[g.id].total, g.code))
    lines = []
    for grid in busy[:GRIDS_SHOWN]:
        lines.append(
            _line(services, lang, "figures_line", f"{grid.code} {grid.name}", per_grid[grid.id])
        )
        for figures in sorted(per_member[grid.id], key=lambda f: f.assignee_id or 0):
            who = people.get(figures.assignee_id or 0)
            name = who.name if who else texts.get(lang, "nobody")
            lines.append(_line(services, lang, "figures_member_line", name, figures))
    if len(busy) > GRIDS_SHOWN:
        hidden = len(busy) - GRIDS_SHOWN
        lines.append(texts.get(lang, "figures_hidden", count=hidden, shown=GRIDS_SHOWN))
    if len(grids) > len(busy):
        lines.append(texts.get(lang, "figures_idle", count=len(grids) - len(busy)))
    return lines


def _overdue(services: Services, lang: str, rows: list[LedgerRow], total: int) -> list[str]:
    texts = services.texts
    if not rows:
        return [texts.get(lang, "overdue_none")]
    lines = [texts.get(lang, "overdue_head", count=max(total, len(rows)))]
    for row in rows[:OVERDUE_SHOWN]:
        lines.append(
            texts.get(
                lang, "overdue_line", n=row.issue.id, grid=row.grid_code,
                category=texts.name(lang, row.issue.category),
                label=texts.status(lang, row.issue.status),
                member=row.assignee_name or texts.get(lang, "nobody"),
                due=deadlines.shown(services, lang, _missed(row.issue, services), waits=True),
            )
        )  # fmt: skip
    if total > OVERDUE_SHOWN:
        lines.append(texts.get(lang, "overdue_more", count=total - OVERDUE_SHOWN))
    return lines


def _missed(issue: Issue, services: Services) -> datetime:
    """The limit an overdue issue missed: its response while nobody took it, else its solving."""
    if issue.status == Status.NEW and issue.respond_by < issue.solve_by:
        return issue.respond_by
    return solve_deadline(issue, services.settings.timezone) or issue.solve_by


def unreachable(roster: Sequence[Member], grids: Sequence[Grid]) -> tuple[Member, ...]:
    """Members of these grids who never started the bot: notices to them go to the group."""
    codes = {grid.code for grid in grids}
    return tuple(
        m for m in roster
        if not m.is_coordinator and not m.reachable and codes & set(m.grid_codes)
    )  # fmt: skip


def _unreachable(
    services: Services, lang: str, grids: Sequence[Grid], people: list[Member]
) -> list[str]:
    texts = services.texts
    codes = {grid.code for grid in grids}
    silent = unreachable(people, grids)
    if not silent:
        return [texts.get(lang, "unreachable_none")]
    lines = [texts.get(lang, "unreachable_head")]
    for member in silent:
        shown = "、".join(code for code in member.grid_codes if code in codes)
        lines.append(texts.get(lang, "unreachable_line", name=member.name, grids=shown))
    return lines


async def _not_joined(services: Services, lang: str, grids: Sequence[Grid]) -> list[str]:
    """Roster members of these grids who have not opened their invitation yet."""
    texts = services.texts
    codes = {grid.code for grid in grids}
    waiting = [
        p for p in await services.store.invitations.waiting()
        if codes & set(p.grid_codes) or not p.grid_codes
    ]  # fmt: skip
    if not waiting:
        return []
    lines = [texts.get(lang, "not_joined_head")]
    for person in waiting:
        mine = [code for code in person.grid_codes if code in codes]
        shown = "、".join(mine) or texts.get(lang, "all_grids")
        lines.append(texts.get(lang, "not_joined_line", name=person.name, grids=shown))
    return lines


def private_messages(
    services: Services, member: Member, text: str, reply_to: int | None = None
) -> list[OutgoingMessage]:
    now = services.clock()
    return [
        deferred(
            services.settings,
            OutgoingMessage(kind=MessageKind.OVERSIGHT, chat_id=member.telegram_id, text=part,
                            created_at=now, priority=Priority.DIGEST,
                            reply_to_message_id=reply_to if index == 0 else None),
            urgent=reply_to is not None,  # asked for just now: no reason to wait
        )
        for index, part in enumerate(split_text(text))
    ]  # fmt: skip


async def coordinator_messages(
    services: Services, window: Window, grids: Sequence[Grid]
) -> list[OutgoingMessage]:
    """Each coordinator's private digest over the grids they oversee among `grids`."""
    owed: list[OutgoingMessage] = []
    every = await services.store.grids.all()
    for member in await services.store.members.all():
        mine = overseen(member, grids) if member.is_coordinator else []
        if mine:
            lang = of_member(member, every)
            text = await report(services, mine, window, "oversight_head", True, lang)
            owed.extend(private_messages(services, member, text))
    return owed
