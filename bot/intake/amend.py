"""A reporter's later additions: an edited text, a photo or a location sent after the report."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.classify.textnorm import visible
from bot.lifecycle import Role, TransitionError, next_status
from bot.services import Services
from storage.records import Issue, IssueChange, IssueEvent
from storage.statuses import Status

# A photo or location counts as part of the report when it follows within this time.
ATTACH_WINDOW = timedelta(minutes=30)


async def _amend(
    services: Services, issue: Issue, action: str, change: IssueChange, note: str
) -> Issue | None:
    try:
        next_status(action, Status(issue.status), frozenset({Role.REPORTER}))
    except TransitionError:
        return None
    event = IssueEvent(
        issue_id=issue.id, at=services.clock(), action=action, actor_id=issue.reporter_id,
        actor_name=issue.reporter_name, note=note,
    )  # fmt: skip
    return await services.store.issues.change(issue.id, issue.status, change, event, lambda _: [])


async def revise(
    services: Services, chat_id: int, message_id: int, user_id: int, text: str
) -> Issue | None:
    """The reporter edited the message: update the issue while no member has acted."""
    issue = await services.store.issues.by_message(chat_id, message_id)
    if issue is None or issue.reporter_id != user_id or not visible(text):
        return None
    found = services.classifier.classify(text)
    change = IssueChange(text=text.strip(), keywords=",".join(found.keywords))
    return await _amend(services, issue, "edit", change, text.strip())


async def attach(
    services: Services,
    chat_id: int,
    user_id: int,
    *,
    reply_to: int | None = None,
    photo_file_id: str | None = None,
    location: tuple[float, float] | None = None,
) -> Issue | None:
    """Attach a photo or location to the issue it answers, or to the sender's newest report."""
    store = services.store
    issue = await store.issues.by_message(chat_id, reply_to) if reply_to else None
    if issue is None:
        since = services.clock() - ATTACH_WINDOW
        issue = await store.issues.latest_of(chat_id, user_id, since)
    if issue is None or issue.reporter_id != user_id:
        return None
    if not photo_file_id and not location:
        return None
    change = IssueChange(photo_file_id=photo_file_id) if photo_file_id else IssueChange()
    if location:
        change = replace(change, latitude=location[0], longitude=location[1])
    note = "photo" if photo_file_id else f"location {location}"
    return await _amend(services, issue, "attach", change, note)
