"""即将超期: each working morning, every member's private list of the issues they must answer or
solve before the end of the next working day (and those already past their limit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from bot.chunks import split_text
from bot.deadlines import shown, solve_deadline
from bot.services import Services
from bot.timelimits import Limit, Unit
from storage.records import Grid, Issue, MessageKind, OutgoingMessage, Priority
from storage.statuses import Status

ONE_WORKING_DAY = Limit(1, Unit.WORKDAYS)


def next_limit(issue: Issue, services: Services) -> tuple[str, datetime] | None:
    """The limit the issue has to meet next: answering while nobody took it, else solving."""
    if issue.status == Status.NEW:
        return "duesoon_respond", issue.respond_by
    deadline = solve_deadline(issue, services.settings.timezone)
    return ("duesoon_solve", deadline) if deadline else None


async def duesoon_messages(
    services: Services, at: datetime, grids: Sequence[Grid]
) -> list[OutgoingMessage]:
    """The lists a run at `at` sends; none on a day off."""
    calendar = services.calendar
    if not calendar.is_workday(at.astimezone(calendar.zone).date()):
        return []
    horizon = calendar.end_of(ONE_WORKING_DAY, at)
    by_id = {grid.id: grid for grid in grids}
    found = await services.store.reminders.nearing(horizon, horizon, list(by_id))
    mine: dict[int, list[tuple[Issue, str, datetime]]] = defaultdict(list)
    for issue in found:
        limit = next_limit(issue, services)
        if issue.assignee_id is not None and limit is not None and limit[1] <= horizon:
            mine[issue.assignee_id].append((issue, *limit))
    owed: list[OutgoingMessage] = []
    for member_id, items in sorted(mine.items()):
        member = await services.store.members.by_id(member_id)
        if member is not None:
            text = _render(services, by_id, sorted(items, key=lambda item: item[2]), at)
            owed.extend(
                OutgoingMessage(kind=MessageKind.DUESOON, chat_id=member.telegram_id, text=part,
                                created_at=at, priority=Priority.NOTICE)
                for part in split_text(text)
            )  # fmt: skip
    return owed


def _render(
    services: Services, grids: dict[int, Grid], items: list[tuple[Issue, str, datetime]],
    at: datetime,
) -> str:  # fmt: skip
    texts = services.texts
    lang = grids[items[0][0].grid_id].language
    lines = [texts.get(lang, "duesoon_head", count=len(items))]
    for issue, what, deadline in items:
        key = "duesoon_late_line" if deadline <= at else "duesoon_line"
        lines.append(
            texts.get(
                lang, key, n=issue.id, category=texts.name(lang, issue.category),
                label=texts.status(lang, issue.status), what=texts.get(lang, what),
                due=shown(services, lang, deadline),
            )
        )  # fmt: skip
    return "\n".join(lines)
