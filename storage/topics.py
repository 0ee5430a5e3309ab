"""Recurring topics offered to coordinators, each exactly once (the key is the claim)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import func, select

from storage.database import Database
from storage.issues import _issue
from storage.outbox import enqueue
from storage.records import Issue, OutgoingMessage, TopicOffer
from storage.schema import grids, issues, meeting_issues, topic_offers
from storage.upsert import insert_ignore

# Not a problem of the community any more, or counted under another issue already.
NOT_COUNTED = ("rejected", "merged")


class TopicStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def community_grids(self, community: str) -> list[int]:
        async with self.db.read() as conn:
            rows = await conn.execute(select(grids.c.id).where(grids.c.community == community))
            return [grid_id for (grid_id,) in rows]

    async def covered_up_to(self, kind: str, community: str, category: str) -> int:
        """The newest issue number an earlier offer of this topic took in (0: none)."""
        c = topic_offers.c
        async with self.db.read() as conn:
            found = await conn.execute(
                select(func.max(c.last_issue_id)).where(
                    c.kind == kind, c.community == community, c.category == category
                )
            )
            return int(found.scalar() or 0)

    async def candidates(
        self, grid_ids: Sequence[int], category: str, since: datetime, after_id: int
    ) -> list[Issue]:
        """Issues of one category in these grids since a moment, not offered or met on yet."""
        in_meeting = select(meeting_issues.c.issue_id)
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(issues)
                .where(issues.c.grid_id.in_(list(grid_ids)), issues.c.category == category)
                .where(issues.c.created_at >= since, issues.c.id > after_id)
                .where(issues.c.status.not_in(NOT_COUNTED), issues.c.id.not_in(in_meeting))
                .order_by(issues.c.id)
            )
            return [_issue(row) for row in rows]

    async def offer(self, offer: TopicOffer, messages: Sequence[OutgoingMessage]) -> bool:
        """Claim the topic's key and queue the offer together; False if it was offered."""
        async with self.db.transaction() as conn:
            if not await insert_ignore(conn, topic_offers, asdict(offer)):
                return False
            await enqueue(conn, messages)
        return True

    async def offers(self) -> list[TopicOffer]:
        async with self.db.read() as conn:
            rows = await conn.execute(select(topic_offers).order_by(topic_offers.c.at))
            return [TopicOffer(**row._mapping) for row in rows]
