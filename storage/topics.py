"""Recurring topics offered to coordinators, each exactly once (the key is the claim)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select

from storage.database import Database
from storage.issue_rows import issue_from
from storage.outbox import enqueue
from storage.records import Issue, OutgoingMessage
from storage.schema import grids, issues, meeting_issues, topic_offers
from storage.statuses import NOT_COUNTED
from storage.support_records import TopicOffer
from storage.upsert import insert_ignore

# Not a problem of the community any more, or counted under another issue already.
# A grid outside any community counts as one of its own.
COMMUNITY = case((grids.c.community == "", grids.c.code), else_=grids.c.community)


def _uncovered(since: datetime) -> Any:
    """Issues since a moment that count towards a topic: not offered in one yet (newer than
    the last offer of their community and category), not already taken up by a meeting."""
    offered = (
        select(func.max(topic_offers.c.last_issue_id))
        .where(topic_offers.c.kind == "issues", topic_offers.c.community == COMMUNITY)
        .where(topic_offers.c.category == issues.c.category)
        .scalar_subquery()
    )
    return and_(
        issues.c.created_at >= since,
        issues.c.status.not_in(NOT_COUNTED),
        issues.c.id.not_in(select(meeting_issues.c.issue_id)),
        issues.c.id > func.coalesce(offered, 0),
    )


class TopicStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def recurring(self, since: datetime, minimum: int) -> list[tuple[str, str, list[Issue]]]:
        """(community, category, issues) wherever at least `minimum` uncounted issues of one
        category arose in one community since a moment: one GROUP BY, then the few found."""
        counted = (
            select(COMMUNITY.label("community"), issues.c.category)
            .join(grids, grids.c.id == issues.c.grid_id)
            .where(_uncovered(since))
            .group_by(COMMUNITY, issues.c.category)
            .having(func.count() >= minimum)
        )
        found = []
        async with self.db.read() as conn:
            for community, category in (await conn.execute(counted)).all():
                rows = await conn.execute(
                    select(issues)
                    .join(grids, grids.c.id == issues.c.grid_id)
                    .where(_uncovered(since), community == COMMUNITY)
                    .where(issues.c.category == category)
                    .order_by(issues.c.id)
                )
                found.append((community, category, [issue_from(row) for row in rows]))
        return found

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
