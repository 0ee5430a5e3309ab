"""Solved issues the reporter never rated close by themselves after a week (SPEC §7 Feedback)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.deadlines import FEEDBACK_DAYS
from bot.issues.cases import group_post
from bot.lifecycle import Role, next_status
from bot.quiet import deferred
from bot.services import Services
from storage.records import Grid, Issue, IssueChange, IssueEvent, OutgoingMessage
from storage.statuses import Status

logger = logging.getLogger(__name__)


async def close_unrated(services: Services, now: datetime, grid_ids: Sequence[int] | None) -> int:
    """Close every issue solved over a week ago without a verdict; returns how many."""
    store = services.store
    waiting = await store.reminders.unrated_since(now - timedelta(days=FEEDBACK_DAYS), grid_ids)
    grids = {grid.id: grid for grid in await store.grids.all()} if waiting else {}
    closed = 0
    for issue in waiting:
        grid = grids.get(issue.grid_id)
        if grid is not None and await _close(services, grid, issue, now):
            closed += 1
    if closed:
        logger.info("closed %d issues left unrated for %d days", closed, FEEDBACK_DAYS)
    return closed


async def _close(services: Services, grid: Grid, issue: Issue, now: datetime) -> bool:
    target = next_status("auto_close", Status(issue.status), frozenset({Role.SYSTEM}))
    event = IssueEvent(
        issue_id=issue.id,
        at=now,
        action="auto_close",
        actor_name=services.texts.get(grid.language, "system_actor"),
        from_status=issue.status,
        to_status=target,
    )

    def messages(changed: Issue) -> list[OutgoingMessage]:
        post = group_post(services, grid, changed, "post_auto_close", days=FEEDBACK_DAYS)
        return [deferred(services.settings, post, urgent=False)]

    change = IssueChange(status=target, closed_at=now)
    # The status guard makes this once only, even with two sweeps at the same moment.
    return (
        await services.store.issues.change(issue.id, issue.status, change, event, messages)
        is not None
    )
