"""The reporter's answer to a member's /ask, and the wait running out: either way the clock
runs again, its deadlines moved on by the wait, and the member is told privately."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from bot.deadlines import ASK, ASK_WAIT, moved_on, shown, waited
from bot.issues.cases import group_post, private_note
from bot.lifecycle import Role, TransitionError, next_status
from bot.services import Services
from bot.support.supporters import Reply, target_issue
from storage.records import Grid, Issue, IssueEvent, Member, OutgoingMessage
from storage.statuses import Status

logger = logging.getLogger(__name__)


async def take_answer(services: Services, reply: Reply) -> Issue | None:
    """A reply by the reporter to their report or to the question, while a member waits for
    it: the answer goes to the member. None when it is not such an answer."""
    issue = await target_issue(services, reply.chat_id, reply.reply_to)
    if issue is None or issue.reporter_id != reply.user_id:
        return None
    pause = await services.store.pauses.open_for(issue.id)
    if pause is None or pause.reason != ASK:
        return None
    try:
        next_status("answer", Status(issue.status), frozenset({Role.REPORTER}))
    except TransitionError:
        return None
    grid = await services.store.grids.by_id(issue.grid_id)
    assert grid is not None
    now = services.clock()
    event = IssueEvent(
        issue_id=issue.id, at=now, action="answer", actor_id=reply.user_id,
        actor_name=reply.user_name, from_status=issue.status, to_status=issue.status,
        note=reply.text.strip(),
    )  # fmt: skip

    member = await _assignee(services, issue)

    def owed(changed: Issue) -> list[OutgoingMessage]:
        ack = group_post(services, grid, changed, "answer_ack")
        messages = [OutgoingMessage(**{**vars(ack), "reply_to_message_id": reply.message_id})]
        return messages + _to_member(
            services,
            grid,
            member,
            changed,
            key="answer_private",
            reporter=changed.reporter_name,
            text=reply.text.strip(),
        )

    values = moved_on(services, issue, pause.started_at, waited(pause, now))
    return await services.store.pauses.end(issue.id, "answered", values, event, owed)


async def resume_unanswered(services: Services, now: datetime, grid_ids: list[int]) -> int:
    """Questions unanswered for ASK_WAIT: the clock runs again; how many."""
    count = 0
    for pause in await services.store.pauses.overdue_asks(now, grid_ids):
        issue = await services.store.issues.get(pause.issue_id)
        grid = await services.store.grids.by_id(issue.grid_id) if issue else None
        if issue is None or grid is None:
            continue
        say = partial(services.texts.get, grid.language)
        event = IssueEvent(
            issue_id=issue.id, at=now, action="ask_timeout", actor_name=say("system_actor"),
            from_status=issue.status, to_status=issue.status,
            note=say("ask_timeout_note", days=ASK_WAIT.days),
        )  # fmt: skip
        # The clock stood still until the wait ran out, not until this sweep came round.
        values = moved_on(services, issue, pause.started_at, waited(pause, now))
        owed = partial(
            _to_member, services, grid, await _assignee(services, issue),
            key="ask_timeout_private", days=ASK_WAIT.days,
        )  # fmt: skip
        changed = await services.store.pauses.end(issue.id, "timeout", values, event, owed)
        count += changed is not None
    return count


async def _assignee(services: Services, issue: Issue) -> Member | None:
    return await services.store.members.by_id(issue.assignee_id) if issue.assignee_id else None


def _to_member(
    services: Services, grid: Grid, member: Member | None, issue: Issue, *, key: str,
    **values: object,
) -> list[OutgoingMessage]:  # fmt: skip
    if member is None:
        return []
    solve_by = shown(services, grid.language, issue.solve_by, waits=not issue.urgent)
    text = services.texts.get(grid.language, key, n=issue.id, solve_by=solve_by, **values)
    return [private_note(services, member, issue, text)]
