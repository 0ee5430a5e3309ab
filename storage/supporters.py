"""Supporters of issues (附议), residents who started the bot, and duplicate candidates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.batching import Combined
from storage.database import Database
from storage.issue_rows import insert_event
from storage.lists import among
from storage.outbox import enqueue, withdraw
from storage.records import IssueEvent, IssueText, MessageKind, OutgoingMessage
from storage.schema import issue_supporters, issues, started_users
from storage.support_records import Supporter
from storage.upsert import insert_ignore

# Given the number of supporters after the change, the messages it owes.
OwedFor = Callable[[int], Sequence[OutgoingMessage]]
# A newer count edit replaces one still waiting: a burst of "+1" costs one edit, not many.


def _supporter(row: Any) -> Supporter:
    return Supporter(**{name: getattr(row, name) for name in Supporter.__dataclass_fields__})


async def _count(conn: AsyncConnection, issue_id: int) -> int:
    query = select(func.count()).where(issue_supporters.c.issue_id == issue_id)
    return int((await conn.execute(query)).scalar_one())


async def _owe(conn: AsyncConnection, issue_id: int, owed: OwedFor) -> int:
    count = await _count(conn, issue_id)
    messages = list(owed(count))
    if any(message.kind == MessageKind.ACK_EDIT for message in messages):
        await withdraw(conn, MessageKind.ACK_EDIT, issue_id)
    await enqueue(conn, messages)
    return count


# Asked for every resident message (is it a duplicate?): built once, not per message, and
# only what the comparison needs; the one issue a message is like is read whole after.
# The messages handled at the same moment ask in one query (several grids and categories,
# the earliest moment), each taking its own rows from the answer.
_RECENT = (
    select(issues.c.id, issues.c.text, issues.c.keywords, issues.c.chat_id, issues.c.message_id,
           issues.c.grid_id, issues.c.category, issues.c.created_at, issues.c.status)
    .where(among(issues.c.grid_id, "r_grids"), among(issues.c.category, "r_categories"))
    .where(issues.c.created_at >= bindparam("r_since"))
    .where(among(issues.c.status, "r_statuses"))
    .order_by(issues.c.id.desc())
)  # fmt: skip
# What one message asks: its grid, its category, since when, in which statuses.
Recent = tuple[int, str, datetime, tuple[str, ...]]


def _asks_for(asked: Recent, row: Any) -> bool:
    grid_id, category, since, statuses = asked
    return (row.grid_id, row.category) == (grid_id, category) and (
        row.created_at >= since and row.status in statuses
    )


def _text(row: Any) -> IssueText:
    keywords = tuple(k for k in row.keywords.split(",") if k)
    return IssueText(row.id, row.text, keywords, row.chat_id, row.message_id)


class SupporterStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._recent: Combined[Recent, list[IssueText]] = Combined(
            self._recent_group, self._recent_alone
        )

    async def add(self, supporter: Supporter, event: IssueEvent, owed: OwedFor) -> int | None:
        """Record a supporter once, with its timeline event and messages; None if already."""
        async with self.db.transaction() as conn:
            if not await insert_ignore(conn, issue_supporters, asdict(supporter)):
                return None
            await insert_event(conn, event, supporter.issue_id)
            return await _owe(conn, supporter.issue_id, owed)

    async def remove(
        self, issue_id: int, telegram_id: int, via: str, event: IssueEvent, owed: OwedFor
    ) -> int | None:
        """Withdraw a support given by `via` (a 👍 taken back); None if there was none."""
        c = issue_supporters.c
        async with self.db.transaction() as conn:
            result = await conn.execute(
                delete(issue_supporters).where(
                    c.issue_id == issue_id, c.telegram_id == telegram_id, c.via == via
                )
            )
            if not result.rowcount:
                return None
            await insert_event(conn, event, issue_id)
            return await _owe(conn, issue_id, owed)

    async def of_issue(self, issue_id: int) -> list[Supporter]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issue_supporters)
                .where(issue_supporters.c.issue_id == issue_id)
                .order_by(issue_supporters.c.at, issue_supporters.c.telegram_id)
            )
            return [_supporter(row) for row in rows]

    async def count(self, issue_id: int) -> int:
        async with self.db.read() as conn:
            return await _count(conn, issue_id)

    async def reachable(self, issue_id: int) -> list[int]:
        """Supporters who started the bot, so they can be written to privately."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issue_supporters.c.telegram_id)
                .join(started_users, started_users.c.telegram_id == issue_supporters.c.telegram_id)
                .where(issue_supporters.c.issue_id == issue_id)
                .order_by(issue_supporters.c.at)
            )
            return [telegram_id for (telegram_id,) in rows]

    async def mark_started(self, telegram_id: int, at: datetime) -> None:
        async with self.db.transaction() as conn:
            await insert_ignore(
                conn, started_users, {"telegram_id": telegram_id, "started_at": at}
            )

    async def recent(
        self, grid_id: int, category: str, since: datetime, statuses: Sequence[str]
    ) -> list[IssueText]:
        """Issues of a grid and category created since a moment, newest first: their words."""
        return await self._recent.submit((grid_id, category, since, tuple(statuses)))

    async def _recent_group(self, group: list[Recent]) -> list[list[IssueText]]:
        params = {
            "r_grids": sorted({grid_id for grid_id, _, _, _ in group}),
            "r_categories": sorted({category for _, category, _, _ in group}),
            "r_since": min(since for _, _, since, _ in group),
            "r_statuses": sorted({status for *_, statuses in group for status in statuses}),
        }
        async with self.db.read() as conn:
            rows = (await conn.execute(_RECENT, params)).all()
        return [[_text(row) for row in rows if _asks_for(asked, row)] for asked in group]

    async def _recent_alone(self, asked: Recent) -> list[IssueText]:
        [texts] = await self._recent_group([asked])
        return texts
