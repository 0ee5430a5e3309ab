"""The web app's issue list: filters as the page sends them, narrowed to what the viewer may
see; one issue's timeline; and the 台账 and 社情民意 downloads for the same filter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot import timefmt
from bot.lifecycle import OPEN, Status
from bot.reports import ledger, sqmy, sqmy_render
from bot.reports.viewers import Viewer
from bot.services import Services
from bot.timefmt import start_of_day
from storage.issue_search import CLOSED, IssuePage, IssueQuery
from storage.records import Issue, IssueEvent

PAGE = 50
DOWNLOAD_LIMIT = 200_000
STATUS_GROUPS = {"open": tuple(sorted(OPEN)), "closed": CLOSED}


class FilterError(Exception):
    """A filter the page sent makes no sense; the message says which (for a 400)."""


@dataclass(frozen=True)
class WebFilter:
    grid: str | None = None
    street: str | None = None
    community: str | None = None
    category: str | None = None
    status: str | None = None  # a status, or "open" / "closed"
    days: int | None = None  # created in the last `days` days, to the minute
    start: date | None = None  # or created from this day to `end` (inclusive)
    end: date | None = None
    overdue: bool = False
    urgent: bool = False
    text: str | None = None
    page: int = 1


def _day(params: Mapping[str, str], key: str) -> date | None:
    if not params.get(key):
        return None
    found = timefmt.parse_day(params[key])
    if found is None:
        raise FilterError(f"{key} must be YYYY-MM-DD")
    return found


def _number(params: Mapping[str, str], key: str, low: int, high: int) -> int | None:
    if not params.get(key):
        return None
    value = params[key]
    if not value.isdigit() or not low <= int(value) <= high:
        raise FilterError(f"{key} must be a whole number from {low} to {high}")
    return int(value)


def parse_filter(params: Mapping[str, str]) -> WebFilter:
    """The filter from query parameters; FilterError for a malformed one."""
    status = params.get("status") or None
    if status and status not in STATUS_GROUPS and status not in {s.value for s in Status}:
        raise FilterError("status must be a status, open or closed")
    return WebFilter(
        grid=params.get("grid") or None, street=params.get("street") or None,
        community=params.get("community") or None, category=params.get("category") or None,
        status=status, days=_number(params, "days", 1, 3660), start=_day(params, "from"),
        end=_day(params, "to"), overdue=params.get("overdue") in ("1", "true"),
        urgent=params.get("urgent") in ("1", "true"),
        text=(params.get("q") or "").strip()[:100] or None,
        page=_number(params, "page", 1, 100_000) or 1,
    )  # fmt: skip


def _grid_ids(viewer: Viewer, found: WebFilter) -> tuple[int, ...] | None:
    if not (found.grid or found.street or found.community):
        return viewer.grid_ids
    return tuple(
        grid.id for grid in viewer.grids
        if (not found.grid or grid.code == found.grid)
        and (found.street is None or grid.street == found.street)
        and (found.community is None or grid.community == found.community)
    )  # fmt: skip


def query_for(services: Services, viewer: Viewer, found: WebFilter) -> IssueQuery:
    """The storage query: the viewer's scope, then the filter."""
    zone, now = services.settings.timezone, services.clock()
    start = now - timedelta(days=found.days) if found.days else None
    if found.start:
        start = start_of_day(found.start, zone)
    end = start_of_day(found.end + timedelta(days=1), zone) if found.end else None
    statuses = None
    if found.status:
        statuses = tuple(STATUS_GROUPS.get(found.status, (found.status,)))
    return IssueQuery(
        grid_ids=_grid_ids(viewer, found) if viewer.staff else None,
        reporter_id=None if viewer.staff else viewer.telegram_id,
        category=found.category, statuses=statuses, start=start, end=end,
        overdue_at=now if found.overdue else None,
        today=now.astimezone(zone).date().isoformat(), urgent=True if found.urgent else None,
        text=found.text,
    )  # fmt: skip


async def search(services: Services, viewer: Viewer, found: WebFilter) -> IssuePage:
    query = query_for(services, viewer, found)
    return await services.store.issue_search.search(query, PAGE, (found.page - 1) * PAGE)


@dataclass(frozen=True)
class Timeline:
    issue: Issue
    grid_code: str
    grid_name: str
    assignee: str
    events: tuple[IssueEvent, ...]


async def timeline(services: Services, viewer: Viewer, number: int) -> Timeline | None:
    """One issue with its steps, or None if there is none this viewer may see."""
    store = services.store
    issue = await store.issues.get(number)
    if issue is None or not viewer.sees(issue):
        return None
    grid = await store.grids.by_id(issue.grid_id)
    member = await store.members.by_id(issue.assignee_id) if issue.assignee_id else None
    events = tuple(await store.issues.events(number))
    return Timeline(issue, grid.code if grid else "", grid.name if grid else "",
                    member.name if member else "", events)  # fmt: skip


async def ledger_xlsx(services: Services, viewer: Viewer, found: WebFilter) -> bytes:
    """The 台账 workbook of every issue the filter finds, texts masked for this viewer."""
    query = query_for(services, viewer, found)
    page = await services.store.issue_search.search(query, DOWNLOAD_LIMIT)
    issues = {row.issue.id: row.issue for row in page.rows}
    rows = [
        replace(row, issue=replace(row.issue, text=viewer.shown(row.issue, row.issue.text)))
        for row in page.rows
    ]
    events = [
        replace(event, note=viewer.shown(issues[event.issue_id], event.note))
        for event in await services.store.issue_search.events(query)
        if event.issue_id in issues
    ]
    settings = services.settings
    paper = ledger.Paper(unit=settings.report_unit, made_at=services.clock())
    return ledger.workbook(rows, events, settings.timezone, paper)


async def sqmy_docx(services: Services, viewer: Viewer, found: WebFilter) -> tuple[str, bytes]:
    """The 社情民意 draft for the filter's grids, category and period (its file name, bytes)."""
    zone, now = services.settings.timezone, services.clock()
    start = found.start
    if start is None and found.days:
        start = (now - timedelta(days=found.days)).astimezone(zone).date()
    grids = _grid_ids(viewer, found)
    within = None
    if grids is not None:
        within = tuple(grid.code for grid in viewer.grids if grid.id in grids)
    filters = sqmy.Filters(start=start, end=found.end, category=found.category, within=within)
    report = await sqmy.build(services, filters)
    name = f"sqmy-{report.start}-{report.end}.docx"
    settings = services.settings
    masthead = sqmy_render.Masthead(
        settings.report_issue_no, settings.report_unit, settings.report_author
    )
    return name, sqmy_render.to_docx(report, services.texts, zone, masthead)
