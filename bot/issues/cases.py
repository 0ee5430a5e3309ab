"""The parts every member action shares: who acts, on what, and how the group is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.language import of_chat, of_person
from bot.lifecycle import Role
from bot.privacy import mask
from bot.quiet import deferred
from bot.services import Services
from storage.records import Buttons, Grid, Issue, Member, MessageKind, OutgoingMessage, Priority


@dataclass(frozen=True)
class Actor:
    telegram_id: int
    name: str
    # The group the person asked in; None in private (and for the bot's own jobs).
    chat_id: int | None = None


@dataclass(frozen=True)
class Answer:
    """What the person who acted is told directly (a reply or a button alert)."""

    text: str
    ok: bool
    posted_in: int | None = None  # the group that was told, where a reply would repeat it
    buttons: Buttons = ()  # what the person may do next, under the answer


@dataclass(frozen=True)
class Request:
    """One member action, already parsed from a command or a button."""

    action: str
    number: int
    note: str = ""
    plan_date: date | None = None
    department: str = ""
    other: int | None = None
    assignee: str = ""
    category: str = ""


@dataclass(frozen=True)
class Case:
    """An issue with everything needed to decide on it."""

    issue: Issue
    grid: Grid
    member: Member | None
    roles: frozenset[Role]


class Refused(Exception):
    """The request cannot be carried out; the text says why, in the grid's script."""


def roles_of(member: Member | None, actor: Actor, grid: Grid, issue: Issue) -> frozenset[Role]:
    """The roles this person holds for this issue."""
    roles: set[Role] = set()
    if issue.reporter_id == actor.telegram_id:
        roles.add(Role.REPORTER)
    if member is not None and member.serves(grid.code):
        roles.add(Role.COORDINATOR if member.is_coordinator else Role.MEMBER)
    return frozenset(roles)


async def not_found(services: Services, actor: Actor, number: int) -> Answer:
    """No issue #N: said in the script of the person who asked."""
    language = await of_person(services, actor.telegram_id)
    return Answer(services.texts.get(language, "not_found", n=number), ok=False)


def elsewhere(case: Case, actor: Actor) -> bool:
    """Asked in a group that is not the issue's own: any answer there would tell that
    group's residents about another grid."""
    return actor.chat_id is not None and actor.chat_id != case.grid.chat_id


async def ask_privately(services: Services, actor: Actor) -> Answer:
    """In a group, only that group's grid is spoken of: anything else is asked privately."""
    language = await of_chat(services, actor.chat_id, actor.telegram_id)
    return Answer(services.texts.get(language, "ask_privately"), ok=False)


async def load_case(services: Services, actor: Actor, number: int) -> Case | None:
    store = services.store
    issue = await store.issues.get(number)
    grid = await store.grids.by_id(issue.grid_id) if issue else None
    if issue is None or grid is None:
        return None
    member = await store.members.by_telegram_id(actor.telegram_id)
    return Case(issue, grid, member, roles_of(member, actor, grid, issue))


async def visible_case(services: Services, actor: Actor, number: int) -> Case | Answer:
    """Issue #N as this person may see it here: the case, or the answer why not (no such
    issue, another grid's issue asked about in a group, or no role in it)."""
    case = await load_case(services, actor, number)
    if case is None:
        return await not_found(services, actor, number)
    if elsewhere(case, actor):
        return await ask_privately(services, actor)
    if not case.roles:
        return refusal(services, case, "not_allowed")
    return case


def group_post(
    services: Services, grid: Grid, issue: Issue, key: str, **values: Any
) -> OutgoingMessage:
    """A progress post in the group, replying to the resident's message; never a full phone."""
    texts = services.texts
    label = texts.status(grid.language, issue.status)
    return OutgoingMessage(
        kind=MessageKind.PROGRESS,
        chat_id=issue.chat_id,
        thread_id=issue.thread_id,
        reply_to_message_id=issue.message_id,
        text=mask(texts.get(grid.language, key, n=issue.id, label=label, **values)),
        issue_id=issue.id,
        created_at=services.clock(),
        priority=Priority.ACK,
    )


def private_note(services: Services, member: Member, issue: Issue, text: str) -> OutgoingMessage:
    """A notice to a member; at night it waits for the morning unless the issue is urgent."""
    note = OutgoingMessage(
        kind=MessageKind.NOTICE,
        chat_id=member.telegram_id,
        text=text,
        issue_id=issue.id,
        created_at=services.clock(),
        priority=Priority.NOTICE,
    )
    return deferred(services.settings, note, issue.urgent)


def refusal(services: Services, case: Case, reason: str) -> Answer:
    texts = services.texts
    lang = case.grid.language
    if reason == "not_allowed":
        return Answer(texts.get(lang, "refused"), ok=False)
    label = texts.status(lang, case.issue.status)
    return Answer(texts.get(lang, "wrong_status", n=case.issue.id, label=label), ok=False)
