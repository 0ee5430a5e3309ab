"""Open311 GeoReport v2, read side: one service per category and issues as service requests.

No names leave: reporters and members are not fields, and a name written into a text is
replaced as in 社情民意 drafts; phone and ID numbers are masked as in the group. A location
is given only when the resident attached one, rounded to about a hundred metres.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot import timefmt
from bot.lifecycle import Status
from bot.privacy import mask
from bot.services import Services
from storage.issue_search import CLOSED, IssueQuery, RequestRow
from storage.records import Grid

# Stable codes for the shipped categories (SPEC §6); any other category's code is derived
# from its name, so it too stays the same from one start to the next.
SERVICE_CODES = {
    "市政设施": "municipal", "环境卫生": "sanitation", "物业管理": "property",
    "交通出行": "traffic", "治安安全": "safety", "邻里纠纷": "neighbours",
    "教育文体": "education", "医疗卫生": "health", "社会保障": "welfare",
    "农业农村": "rural", "其他": "other",
}  # fmt: skip
DEFAULT_DAYS = 90  # GeoReport v2: without dates, the last 90 days
MAX_REQUESTS = 1000
PLACES = 3  # decimals of latitude and longitude kept: ~110 m
NAME_HIDDEN = "×××"


class RequestError(Exception):
    """A malformed request parameter; the message names it (for a 400)."""


def service_code(category: str) -> str:
    return SERVICE_CODES.get(category) or "c" + hashlib.sha1(category.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Service:
    service_code: str
    service_name: str
    description: str
    keywords: str
    group: str = ""
    metadata: bool = False
    type: str = "realtime"


def services_of(services: Services) -> list[Service]:
    found = []
    for category in services.taxonomy.categories:
        words = sorted(category.keywords, key=lambda w: -category.keywords[w])[:8]
        found.append(Service(service_code(category.name), category.name,
                             category.department or "", ",".join(words)))  # fmt: skip
    return found


@dataclass(frozen=True)
class ServiceRequest:
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str
    address: str
    address_id: str
    lat: float | None
    long: float | None


@dataclass(frozen=True)
class RequestFilter:
    ids: tuple[int, ...] | None = None
    codes: tuple[str, ...] | None = None
    start: datetime | None = None
    end: datetime | None = None
    closed: bool | None = None


def _moment(value: str, key: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RequestError(
            f"{key} must be an ISO 8601 time, e.g. 2026-11-19T10:00:00+08:00"
        ) from None


def parse_requests(params: Mapping[str, str], services: Services) -> RequestFilter:
    """GeoReport's filters: service_request_id (comma-separated), service_code, start_date,
    end_date, status (open, closed). Times without an offset are in GRIDBOT_TIMEZONE."""
    zone = services.settings.timezone
    ids = None
    if params.get("service_request_id"):
        parts = [part.strip() for part in params["service_request_id"].split(",")]
        if not all(part.isdigit() for part in parts):
            raise RequestError("service_request_id must be numbers separated by commas")
        ids = tuple(int(part) for part in parts)
    start, end = (
        _moment(params[key], key) if params.get(key) else None
        for key in ("start_date", "end_date")
    )
    start, end = (m.replace(tzinfo=zone) if m and m.tzinfo is None else m for m in (start, end))
    status = params.get("status") or None
    if status not in (None, "open", "closed"):
        raise RequestError("status must be open or closed")
    codes = tuple(params["service_code"].split(",")) if params.get("service_code") else None
    if ids is None and start is None and end is None:
        start = services.clock() - timedelta(days=DEFAULT_DAYS)
    return RequestFilter(ids, codes, start, end, None if status is None else status == "closed")


async def requests(services: Services, found: RequestFilter) -> list[ServiceRequest]:
    """The issues matching the filter as service requests, newest first, at most 1,000."""
    categories = None
    if found.codes is not None:
        known = [c.name for c in services.taxonomy.categories]
        categories = tuple(name for name in known if service_code(name) in found.codes)
    query = IssueQuery(start=found.start, end=found.end, ids=found.ids, categories=categories)
    rows = await services.store.issue_search.requests(query, found.closed, MAX_REQUESTS)
    grids = {grid.id: grid for grid in await services.store.grids.all()}
    members = {m.id: m.name for m in await services.store.members.all()}
    return [_request(services, row, grids, members) for row in rows]


def _hidden(text: str, names: Sequence[str]) -> str:
    for name in names:
        if len(name) >= 2:
            text = text.replace(name, NAME_HIDDEN)
    return mask(text)


def _iso(services: Services, moment: datetime) -> str:
    return moment.astimezone(services.settings.timezone).isoformat(timespec="seconds")


def _expected(services: Services, row: RequestRow) -> str:
    issue = row.issue
    if issue.status in CLOSED:
        return ""
    if issue.status == Status.PLANNED and issue.plan_date:
        planned = timefmt.parse_day(issue.plan_date) or date.today()
        return _iso(services, timefmt.start_of_day(planned, services.settings.timezone))
    return _iso(services, issue.solve_by)


def _request(
    services: Services, row: RequestRow, grids: dict[int, Grid], members: dict[int, str]
) -> ServiceRequest:
    issue = row.issue
    names = [issue.reporter_name, members.get(issue.assignee_id or 0, "")]
    grid = grids.get(issue.grid_id)
    located = issue.latitude is not None and issue.longitude is not None
    return ServiceRequest(
        service_request_id=str(issue.id),
        status="closed" if issue.status in CLOSED else "open",
        status_notes=_hidden(row.note, names), service_name=issue.category,
        service_code=service_code(issue.category), description=_hidden(issue.text, names),
        agency_responsible=issue.department or "",
        requested_datetime=_iso(services, issue.created_at),
        updated_datetime=_iso(services, row.updated_at),
        expected_datetime=_expected(services, row),
        address=f"{grid.street}{grid.community}{grid.name}" if grid else "",
        address_id=grid.code if grid else "",
        lat=round(issue.latitude, PLACES) if located and issue.latitude is not None else None,
        long=round(issue.longitude, PLACES) if located and issue.longitude is not None else None,
    )  # fmt: skip
