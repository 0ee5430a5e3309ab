"""New issues stored: numbered without gaps, many in one multi-row INSERT with their first
events and what they owe, and a message that has its issue already left out."""

from __future__ import annotations

from datetime import UTC
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.issue_rows import INSERT_EVENT, event_values, shallow
from storage.outbox import enqueue
from storage.records import Issue, IssueDraft, IssueEvent, MessagesFor
from storage.schema import issues
from storage.upsert import insert_for

# Which of these Telegram messages have their issue already.
_STORED = select(issues.c.chat_id, issues.c.message_id).where(
    tuple_(issues.c.chat_id, issues.c.message_id).in_(bindparam("s_keys", expanding=True))
)
# Taken by every transaction that numbers issues on PostgreSQL, in every process.
_NUMBERS_LOCK = text("SELECT pg_advisory_xact_lock(74470002)")
_LAST_NUMBER = select(func.max(issues.c.id))

NewIssue = tuple[IssueDraft, IssueEvent, MessagesFor]


async def not_stored(conn: AsyncConnection, group: list[NewIssue]) -> list[NewIssue]:
    """The new issues whose message has no issue yet. SQLite leaves the others out in the
    insert itself (_insert_issues): only PostgreSQL asks first."""
    if conn.dialect.name != "postgresql":
        return group
    keys = [source(draft) for draft, _, _ in group]
    stored = {tuple(row) for row in await conn.execute(_STORED, {"s_keys": keys})}
    return [new for new in group if source(new[0]) not in stored]


def source(draft: IssueDraft) -> tuple[int, int]:
    return draft.chat_id, draft.message_id


def _issue_values(draft: IssueDraft) -> dict[str, Any]:
    values = shallow(draft)
    values["keywords"] = ",".join(draft.keywords)
    return values


def _drafted(draft: IssueDraft, issue_id: int) -> Issue:
    """The issue just inserted, as a read would return it (times in UTC), without the read."""
    values = shallow(draft)
    for name in ("created_at", "respond_by", "solve_by"):
        values[name] = values[name].astimezone(UTC)
    return Issue(id=issue_id, **values)


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


async def insert_fresh(
    conn: AsyncConnection, fresh: list[NewIssue]
) -> list[tuple[NewIssue, Issue]]:
    """Insert the issues, their first events and what they owe; each new issue with its
    draft (a message whose issue was stored already is left out)."""
    rows = [_issue_values(draft) for draft, _, _ in fresh]
    if conn.dialect.name == "postgresql":
        await _number_gaplessly(conn, rows)
    result = await conn.execute(_insert_issues(conn.dialect.name), rows)
    # Asking for the rows' order back would make SQLAlchemy send them one at a time on
    # SQLite; each row's Telegram message (unique) tells which number it got instead.
    numbers = {(row.chat_id, row.message_id): row.id for row in result}
    pairs = [
        (new, _drafted(new[0], numbers[source(new[0])]))
        for new in fresh
        if source(new[0]) in numbers
    ]
    if not pairs:
        return []
    await conn.execute(INSERT_EVENT, [event_values(e, issue.id) for (_, e, _), issue in pairs])
    await enqueue(conn, [message for (_, _, owe), issue in pairs for message in owe(issue)])
    return pairs
