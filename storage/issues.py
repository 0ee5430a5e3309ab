"""Issues and their timelines; every change writes its event and owed messages atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.batching import Combined
from storage.database import Database
from storage.outbox import enqueue
from storage.records import Issue, IssueChange, IssueDraft, IssueEvent, OutgoingMessage, Pause
from storage.report_records import LedgerRow
from storage.schema import grids, issue_events, issue_supporters, issues, members
from storage.upsert import insert_for

MessagesFor = Callable[[Issue], Sequence[OutgoingMessage]]

# Columns a status change may set; the rest of an issue is fixed at intake.


def _issue(row: Any) -> Issue:
    # From the row's dict: a Row's attribute costs about twice a dict's key (8,000 issues:
    # 114 -> 65 ms). The queries label what they join to an issue (grid_code, g_name, ...):
    # a column named like an issue's field would be read here instead of it.
    found = row._asdict()
    values = {name: found[name] for name in Issue.__dataclass_fields__}
    values["keywords"] = tuple(k for k in found["keywords"].split(",") if k)
    values["urgent"] = bool(found["urgent"])
    return Issue(**values)


def _event(row: Any) -> IssueEvent:
    return IssueEvent(**{name: getattr(row, name) for name in IssueEvent.__dataclass_fields__})


# Built once: a statement made anew for every message costs more than running it.
# Several at once in one multi-row INSERT. Asking for the rows' order back would make
# SQLAlchemy send them one at a time on SQLite; each row's Telegram message (unique) tells
# which number it got instead.
_INSERT_EVENT = insert(issue_events)
# Which of these Telegram messages have their issue already.
_STORED = select(issues.c.chat_id, issues.c.message_id).where(
    tuple_(issues.c.chat_id, issues.c.message_id).in_(bindparam("s_keys", expanding=True))
)
_BY_ID = select(issues).where(issues.c.id == bindparam("i_id"))
# Taken by every transaction that numbers issues on PostgreSQL, in every process.
_NUMBERS_LOCK = text("SELECT pg_advisory_xact_lock(74470002)")
_LAST_NUMBER = select(func.max(issues.c.id))

NewIssue = tuple[IssueDraft, IssueEvent, MessagesFor]


class _PauseGone(Exception):
    """The pause a change meant to end had ended: undo the change with its transaction."""


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


def _shallow(record: Any) -> dict[str, Any]:
    """A record's fields as a dict. Not dataclasses.asdict, which copies deeply and costs
    more than the insert: every value here is immutable anyway."""
    return dict(vars(record))


def _event_values(event: IssueEvent, issue_id: int) -> dict[str, Any]:
    values = _shallow(event)
    values.pop("id")
    values["issue_id"] = issue_id
    return values


def _source(draft: IssueDraft) -> tuple[int, int]:
    return draft.chat_id, draft.message_id


def _issue_values(draft: IssueDraft) -> dict[str, Any]:
    values = _shallow(draft)
    values["keywords"] = ",".join(draft.keywords)
    return values


async def _insert_event(conn: AsyncConnection, event: IssueEvent, issue_id: int) -> None:
    await conn.execute(_INSERT_EVENT, _event_values(event, issue_id))


def _drafted(draft: IssueDraft, issue_id: int) -> Issue:
    """The issue just inserted, as a read would return it (times in UTC), without the read."""
    values = _shallow(draft)
    for name in ("created_at", "respond_by", "solve_by"):
        values[name] = values[name].astimezone(UTC)
    return Issue(id=issue_id, **values)


async def _fetch(conn: AsyncConnection, issue_id: int) -> Issue:
    return _issue((await conn.execute(_BY_ID, {"i_id": issue_id})).one())


async def _number_gaplessly(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: number the rows from the highest issue number, under a lock held until
    the commit. Its sequence would hand out numbers that a rolled-back or killed
    transaction never uses, and residents would see #12 missing. (SQLite numbers by the
    highest row id already.)"""
    await conn.execute(_NUMBERS_LOCK)
    last = (await conn.execute(_LAST_NUMBER)).scalar() or 0
    for number, row in enumerate(rows, start=last + 1):
        row["id"] = number


@cache  # built once per backend; only the one in use (PostgreSQL's module costs a start)
def _insert_issues(dialect: str) -> Any:
    """SQLite skips a message that has its issue already in the insert itself (its numbers
    come from the highest row id, so a skipped row costs no number); PostgreSQL numbers
    them beforehand and leaves such messages out first (_STORED), or a number would go
    unused. Several rows at once, in one multi-row INSERT."""
    statement = insert_for(dialect, issues)
    if dialect == "sqlite":
        statement = statement.on_conflict_do_nothing()
    return statement.returning(issues.c.id, issues.c.chat_id, issues.c.message_id)


async def _insert_fresh(
    conn: AsyncConnection, fresh: list[NewIssue]
) -> list[tuple[NewIssue, Issue]]:
    """Insert the issues, their first events and what they owe; each new issue with its
    draft (a message whose issue was stored already is left out)."""
    rows = [_issue_values(draft) for draft, _, _ in fresh]
    if conn.dialect.name == "postgresql":
        await _number_gaplessly(conn, rows)
    result = await conn.execute(_insert_issues(conn.dialect.name), rows)
    numbers = {(row.chat_id, row.message_id): row.id for row in result}
    pairs = [
        (new, _drafted(new[0], numbers[_source(new[0])]))
        for new in fresh
        if _source(new[0]) in numbers
    ]
    if not pairs:
        return []
    await conn.execute(_INSERT_EVENT, [_event_values(e, issue.id) for (_, e, _), issue in pairs])
    await enqueue(conn, [message for (_, _, owe), issue in pairs for message in owe(issue)])
    return pairs


class IssueStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._creating: Combined[NewIssue, Issue | None] = Combined(
            self._create_group, self._create_one
        )

    async def create(
        self, draft: IssueDraft, event: IssueEvent, messages_for: MessagesFor
    ) -> Issue | None:
        """Store a new issue with its first event and owed messages; None if already stored.

        Reports arriving together (a busy minute, a backlog after downtime) are stored in
        one transaction, three statements for the lot; each caller still waits for its own."""
        return await self._creating.submit((draft, event, messages_for))

    async def _create_group(self, group: list[NewIssue]) -> list[Issue | None]:
        """All in one go; a message that has its issue already (re-delivered after a crash)
        is left out (_insert_issues). Any other trouble and each goes alone."""
        keys = [_source(draft) for draft, _, _ in group]
        async with self.db.transaction() as conn:
            fresh = group
            if conn.dialect.name == "postgresql":
                stored = {tuple(row) for row in await conn.execute(_STORED, {"s_keys": keys})}
                fresh = [new for new in group if _source(new[0]) not in stored]
            pairs: list[tuple[NewIssue, Issue]] = []
            if fresh:
                pairs = await _insert_fresh(conn, fresh)
        issued = {_source(issue_draft): issue for (issue_draft, _, _), issue in pairs}
        return [issued.get(key) for key in keys]

    async def _create_one(self, new: NewIssue) -> Issue | None:
        """One issue in its own transaction: after a group failed, or for a group of one."""
        draft = new[0]
        try:
            async with self.db.transaction() as conn:
                created = await _insert_fresh(conn, [new])
        except IntegrityError:
            # The same Telegram message came again (re-delivery): it already has its issue.
            if await self.by_message(draft.chat_id, draft.message_id) is None:
                raise
            return None
        return created[0][1] if created else None

    async def change(
        self,
        issue_id: int,
        expected_status: str,
        change: IssueChange,
        event: IssueEvent,
        messages_for: MessagesFor,
        *,
        ends_pause: bool = False,
        starts_pause: Pause | None = None,
    ) -> Issue | None:
        """Apply a change if the issue still has the expected status; None if it moved on.
        The issue's open pause ends, or a new one begins, with it."""
        from storage import pauses  # it builds on this module

        try:
            async with self.db.transaction() as conn:
                result = await conn.execute(
                    update(issues)
                    .where(issues.c.id == issue_id, issues.c.status == expected_status)
                    .values(**change.columns())
                )
                if not result.rowcount:
                    return None
                # Ended meanwhile (the resident answered): its deadlines moved; decide again.
                if ends_pause and not await pauses.finish(conn, issue_id, event.at, event.action):
                    raise _PauseGone
                if starts_pause is not None:
                    await pauses.begin(conn, starts_pause)
                issue = await _fetch(conn, issue_id)
                await _insert_event(conn, event, issue_id)
                await enqueue(conn, messages_for(issue))
        except _PauseGone:
            return None
        return issue

    async def get(self, issue_id: int) -> Issue | None:
        async with self.db.read() as conn:
            row = (await conn.execute(_BY_ID, {"i_id": issue_id})).first()
        return _issue(row) if row else None

    async def by_message(self, chat_id: int, message_id: int) -> Issue | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(issues).where(
                        issues.c.chat_id == chat_id, issues.c.message_id == message_id
                    )
                )
            ).first()
        return _issue(row) if row else None

    async def events(self, issue_id: int) -> list[IssueEvent]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issue_events)
                .where(issue_events.c.issue_id == issue_id)
                .order_by(issue_events.c.at, issue_events.c.id)
            )
            return [_event(row) for row in rows]

    async def find(
        self,
        *,
        grid_ids: Sequence[int] | None = None,
        assignee_id: int | None = None,
        reporter_id: int | None = None,
        statuses: Sequence[str] | None = None,
        limit: int = 50,
    ) -> list[Issue]:
        query = select(issues).order_by(issues.c.id).limit(limit)
        if grid_ids is not None:
            query = query.where(issues.c.grid_id.in_(list(grid_ids)))
        if assignee_id is not None:
            query = query.where(issues.c.assignee_id == assignee_id)
        if reporter_id is not None:
            query = query.where(issues.c.reporter_id == reporter_id)
        if statuses is not None:
            query = query.where(issues.c.status.in_(list(statuses)))
        async with self.db.read() as conn:
            return [_issue(row) for row in await conn.execute(query)]

    async def latest_of(self, chat_id: int, reporter_id: int, since: datetime) -> Issue | None:
        """The reporter's newest issue in this chat since a moment (for a photo sent after)."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(issues)
                    .where(issues.c.chat_id == chat_id, issues.c.reporter_id == reporter_id)
                    .where(issues.c.created_at >= since)
                    .order_by(issues.c.id.desc())
                    .limit(1)
                )
            ).first()
        return _issue(row) if row else None

    async def events_between(
        self, start: datetime | None, end: datetime | None
    ) -> list[IssueEvent]:
        """Timeline events of the issues created in [start, end), for the ledger's second sheet."""
        query = (
            select(issue_events)
            .join(issues, issues.c.id == issue_events.c.issue_id)
            .order_by(issue_events.c.issue_id, issue_events.c.at, issue_events.c.id)
        )
        if start is not None:
            query = query.where(issues.c.created_at >= start)
        if end is not None:
            query = query.where(issues.c.created_at < end)
        async with self.db.read() as conn:
            return [_event(row) for row in await conn.execute(query)]

    async def corrections(self) -> list[tuple[str, str]]:
        """(text, category) of every issue a member recategorised: labelled training data."""
        corrected = select(issue_events.c.issue_id).where(issue_events.c.action == "recategorise")
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issues.c.text, issues.c.category)
                .where(issues.c.id.in_(corrected))
                .order_by(issues.c.id)
            )
            return [(text, category) for text, category in rows]

    async def count(self) -> int:
        async with self.db.read() as conn:
            return (await conn.execute(select(func.count()).select_from(issues))).scalar_one()

    async def ledger(self, start: datetime | None, end: datetime | None) -> list[LedgerRow]:
        """Every issue created in [start, end), with its grid code, assignee and supporters."""
        assignee = members.c.name.label("assignee")
        query = created_between(
            select(issues, grids.c.code.label("grid_code"), grids.c.name.label("grid_name"),
                   assignee, SUPPORTERS)
            .join(grids, grids.c.id == issues.c.grid_id)
            .outerjoin(members, members.c.id == issues.c.assignee_id)
            .order_by(issues.c.id),
            start, end,
        )  # fmt: skip
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [
            LedgerRow(issue=_issue(row), grid_code=row.grid_code, assignee_name=row.assignee or "",
                      supporters=row.supporters, grid_name=row.grid_name)
            for row in rows
        ]  # fmt: skip
