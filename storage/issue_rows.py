"""An issue and its events as rows: read into records, an event written, an issue fetched by
its number; and the query pieces other reads of issues share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.records import Issue, IssueEvent
from storage.schema import issue_events, issue_supporters, issues


def issue_from(row: Any) -> Issue:
    # From the row's dict: a Row's attribute costs about twice a dict's key (8,000 issues:
    # 114 -> 65 ms). The queries label what they join to an issue (grid_code, g_name, ...):
    # a column named like an issue's field would be read here instead of it.
    found = row._asdict()
    values = {name: found[name] for name in Issue.__dataclass_fields__}
    values["keywords"] = tuple(k for k in found["keywords"].split(",") if k)
    values["urgent"] = bool(found["urgent"])
    return Issue(**values)


def event_from(row: Any) -> IssueEvent:
    return IssueEvent(**{name: getattr(row, name) for name in IssueEvent.__dataclass_fields__})


# Built once: a statement made anew for every message costs more than running it.
INSERT_EVENT = insert(issue_events)
BY_ID = select(issues).where(issues.c.id == bindparam("i_id"))


# Each issue's supporter count, as a column of a query over issues (ledger, 社情民意).
SUPPORTERS = (
    select(func.count())
    .where(issue_supporters.c.issue_id == issues.c.id)
    .scalar_subquery()
    .label("supporters")
)


def created_between(query: Any, start: datetime | None, end: datetime | None) -> Any:
    """The query kept to issues created in [start, end); an open end is no bound."""
    if start is not None:
        query = query.where(issues.c.created_at >= start)
    if end is not None:
        query = query.where(issues.c.created_at < end)
    return query


def shallow(record: Any) -> dict[str, Any]:
    """A record's fields as a dict. Not dataclasses.asdict, which copies deeply and costs
    more than the insert: every value here is immutable anyway."""
    return dict(vars(record))


def event_values(event: IssueEvent, issue_id: int) -> dict[str, Any]:
    values = shallow(event)
    values.pop("id")
    values["issue_id"] = issue_id
    return values


async def insert_event(conn: AsyncConnection, event: IssueEvent, issue_id: int) -> None:
    await conn.execute(INSERT_EVENT, event_values(event, issue_id))


async def fetch_issue(conn: AsyncConnection, issue_id: int) -> Issue:
    return issue_from((await conn.execute(BY_ID, {"i_id": issue_id})).one())
