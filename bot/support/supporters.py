"""Supporters (附议): a "+1" reply, a 👍 or a near-duplicate seconds an issue instead of
opening another. Each person once; the reporter never; the acknowledgement shows the count."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.classify import similarity
from bot.privacy import mask
from bot.quiet import deferred
from bot.services import Services
from bot.support import topics
from bot.texts import Html
from storage.records import (
    Grid,
    Issue,
    IssueEvent,
    MessageKind,
    MessagesFor,
    OutgoingMessage,
    Priority,
)
from storage.statuses import FINAL, OPEN, Status
from storage.support_records import Supporter

if TYPE_CHECKING:
    from bot.classify.classifier import Classification
    from bot.messages import Incoming

logger = logging.getLogger(__name__)

SUPPORT_REACTIONS = frozenset({"👍"})
DUPLICATE_WINDOW = timedelta(days=7)  # SPEC §9
# In a reply the resident has already pointed at the issue: less likeness is needed.
REPLY_THRESHOLD = 0.3
SHORT_REST = 8  # characters besides the agreeing words: "我也是，3楼也漏" is still agreement

# Words of agreement anywhere in a message ("我家也这样" also covers "我家也停水了").
_AGREEING = re.compile(
    r"\+1|加一|加1|我也是|我也一样|我们也是|我家也|我们家也|俺家也|我们这也|我这也|我们楼也"
    r"|同样问题|同样的问题|一样的问题|同样情况|一样的情况|也有这个问题|也是这个问题|也是这样"
    r"|我也遇到|我也碰到|附议|同问|同求"
)
# Words that agree only when they are the whole message ("顶" is also in "屋顶漏水").
_WHOLE = frozenset(
    {"顶", "顶顶", "顶一下", "顶起", "同上", "同感", "同意", "赞同", "支持", "是的", "对", "确实",
     "一样", "1", "11", "111"}
)  # fmt: skip


class Seconded(StrEnum):
    ADDED = "added"
    ALREADY = "already"  # this person supports it already: nothing more to say
    OWN = "own"  # the reporter's 👍 on their own report: nothing to record
    WITHDRAWN = "withdrawn"  # a 👍 taken back
    NOT_SUPPORT = "not_support"  # a message of its own: intake decides on it


@dataclass(frozen=True)
class Reply:
    """A group message answering another, stripped of Telegram."""

    chat_id: int
    message_id: int
    reply_to: int
    user_id: int
    user_name: str
    text: str


async def target_issue(services: Services, chat_id: int, message_id: int) -> Issue | None:
    """The issue behind a message: a resident's report, or the bot's ack or post about one."""
    store = services.store
    issue = await store.issues.by_message(chat_id, message_id)
    if issue is None:
        number = await store.sent_messages.issue_of_sent(chat_id, message_id)
        issue = await store.issues.get(number) if number else None
    for _ in range(3):  # a merged duplicate stands for the issue it was merged into
        if issue is None or issue.status != Status.MERGED or issue.merged_into is None:
            break
        issue = await store.issues.get(issue.merged_into)
    return issue


def agrees(services: Services, text: str, issue: Issue) -> bool:
    """Whether a reply to an issue seconds it, rather than reports something else."""
    normalizer = services.classifier.normalizer
    simple = normalizer.simplify(text)
    marked = "👍" in text or _AGREEING.search(simple) is not None
    rest = normalizer.normalize(_AGREEING.sub("", simple))
    if not rest or rest in _WHOLE:
        return True
    found = services.classifier.classify(text)
    mine = similarity.profile(normalizer, text, found.keywords)
    theirs = similarity.profile(normalizer, issue.text, issue.keywords)
    if not similarity.keywords_meet(mine.keywords, theirs.keywords):
        return False  # "我家也停水了" under a broken lamp: agreeing words, another problem
    alike = similarity.alike(mine, theirs, REPLY_THRESHOLD)
    if marked:
        return len(rest) <= SHORT_REST or alike or found.category == issue.category
    return found.is_problem and found.category == issue.category and alike


async def second_reply(services: Services, reply: Reply) -> Seconded:
    """A reply to an issue's message or acknowledgement: a supporter, or not a support."""
    issue = await target_issue(services, reply.chat_id, reply.reply_to)
    if issue is None or Status(issue.status) in FINAL or issue.reporter_id == reply.user_id:
        return Seconded.NOT_SUPPORT  # the reporter's own reply: intake tells them the number
    if not agrees(services, reply.text, issue):
        return Seconded.NOT_SUPPORT
    supporter = Supporter(
        issue.id, reply.user_id, reply.user_name, "reply", services.clock(), reply.message_id
    )
    count = await add(services, issue, supporter, note=reply.text.strip())
    return Seconded.ALREADY if count is None else Seconded.ADDED


async def second_reaction(
    services: Services, chat_id: int, message_id: int, user_id: int, name: str, given: bool
) -> Seconded:
    """A 👍 given to (or taken back from) an issue's message or acknowledgement."""
    issue = await target_issue(services, chat_id, message_id)
    if issue is None or Status(issue.status) in FINAL:
        return Seconded.NOT_SUPPORT
    if issue.reporter_id == user_id:
        return Seconded.OWN
    if not given:
        count = await withdraw(services, issue, user_id, name)
        return Seconded.NOT_SUPPORT if count is None else Seconded.WITHDRAWN
    supporter = Supporter(issue.id, user_id, name, "reaction", services.clock())
    count = await add(services, issue, supporter, note="👍")
    return Seconded.ALREADY if count is None else Seconded.ADDED


async def link_duplicate(
    services: Services, grid: Grid, message: Incoming, found: Classification
) -> Issue | None:
    """A new message very like an open issue of the grid (7 days, same category) seconds it;
    the resident is told the number. None when nothing is that alike."""
    issue = await _likeliest(services, grid, message, found)
    if issue is None:
        return None
    if await _seconded_by(services, issue, message):
        return issue  # the same message again (re-delivered): it was answered the first time
    texts, lang = services.texts, grid.language
    if issue.reporter_id == message.user_id:
        told = texts.get(lang, "duplicate_own", n=issue.id)
        await services.store.outbox.add([_answer(services, message, issue, told)])
    else:
        category = texts.name(lang, issue.category)
        told = texts.get(lang, "duplicate_linked", n=issue.id, category=category)
        supporter = Supporter(
            issue.id, message.user_id, message.user_name, "duplicate", services.clock(),
            message.message_id,
        )  # fmt: skip
        answer = _answer(services, message, issue, told)
        if await add(services, issue, supporter, note=message.text, also=[answer]) is None:
            await services.store.outbox.add([answer])  # supports it already: still say where
    return issue


async def _likeliest(
    services: Services, grid: Grid, message: Incoming, found: Classification
) -> Issue | None:
    since = services.clock() - DUPLICATE_WINDOW
    open_ = [str(status) for status in OPEN]
    candidates = await services.store.supporters.recent(grid.id, found.category, since, open_)
    normalizer = services.classifier.normalizer
    mine = similarity.profile(normalizer, message.text, found.keywords)
    scored = [
        (similarity.similarity(mine, similarity.profile(normalizer, c.text, c.keywords)), c)
        for c in candidates
        if (c.chat_id, c.message_id) != (message.chat_id, message.message_id)  # itself, again
    ]
    best = max(scored, key=lambda pair: pair[0], default=None)
    if best is None or best[0] < similarity.THRESHOLD:
        return None
    logger.info("message like #%s (%.2f): linked as a supporter", best[1].id, best[0])
    return await services.store.issues.get(best[1].id)


async def _seconded_by(services: Services, issue: Issue, message: Incoming) -> bool:
    """Whether this very message already made its sender a supporter of the issue."""
    supporters = await services.store.supporters.of_issue(issue.id)
    return any(s.message_id == message.message_id for s in supporters)


def _answer(services: Services, message: Incoming, issue: Issue, text: str) -> OutgoingMessage:
    return OutgoingMessage(
        kind=MessageKind.SUPPORT, chat_id=message.chat_id, thread_id=message.thread_id,
        reply_to_message_id=message.message_id, text=mask(text), issue_id=issue.id,
        created_at=services.clock(), priority=Priority.ACK,
    )  # fmt: skip


async def add(
    services: Services,
    issue: Issue,
    supporter: Supporter,
    note: str,
    also: list[OutgoingMessage] | None = None,
) -> int | None:
    """Record a supporter with the count edit (and `also`); the count, or None if already."""
    grid = await services.store.grids.by_id(issue.grid_id)
    assert grid is not None
    event = IssueEvent(
        issue_id=issue.id, at=supporter.at, action="support", actor_id=supporter.telegram_id,
        actor_name=supporter.name, note=note,
    )  # fmt: skip
    ack = await services.store.sent_messages.first_text(MessageKind.ACK, issue.id)
    count = await services.store.supporters.add(
        supporter, event, lambda n: [*_count_edit(services, grid, issue, ack, n), *(also or [])]
    )
    if count is not None:
        await topics.after_support(services, grid, issue, count)
    return count


async def withdraw(services: Services, issue: Issue, user_id: int, name: str) -> int | None:
    """Take back a 👍 support; the count after, or None if there was none to take back."""
    grid = await services.store.grids.by_id(issue.grid_id)
    assert grid is not None
    event = IssueEvent(
        issue_id=issue.id, at=services.clock(), action="unsupport", actor_id=user_id,
        actor_name=name, note="👍",
    )  # fmt: skip
    ack = await services.store.sent_messages.first_text(MessageKind.ACK, issue.id)
    count = await services.store.supporters.remove(
        issue.id, user_id, "reaction", event, lambda n: _count_edit(services, grid, issue, ack, n)
    )
    return count


def _count_edit(
    services: Services, grid: Grid, issue: Issue, ack: str | None, count: int
) -> list[OutgoingMessage]:
    """The acknowledgement with the supporter count: one edit instead of one post each."""
    if ack is None:
        return []
    line = services.texts.get(grid.language, "support_count", count=count)
    text = f"{ack}\n{line}" if count else ack
    return [
        OutgoingMessage(
            kind=MessageKind.ACK_EDIT, chat_id=issue.chat_id, text=mask(text), issue_id=issue.id,
            created_at=services.clock(), priority=Priority.ROUTINE,
        )
    ]  # fmt: skip


async def with_supporters(
    services: Services, issue_id: int, language: str, messages_for: MessagesFor
) -> MessagesFor:
    """`messages_for` plus, for each progress post, a private copy to every supporter who
    started the bot (the others see the post in the group, as a reply to the report)."""
    people = await services.store.supporters.reachable(issue_id)
    if not people:
        return messages_for

    def owed(issue: Issue) -> list[OutgoingMessage]:
        messages = list(messages_for(issue))
        posts = [
            m for m in messages if m.kind == MessageKind.PROGRESS and m.chat_id == issue.chat_id
        ]
        copies = [
            _copy(services, issue, language, post, person) for post in posts for person in people
        ]
        return messages + copies

    return owed


def _copy(
    services: Services, issue: Issue, language: str, post: OutgoingMessage, person: int
) -> OutgoingMessage:
    text = services.texts.get(language, "supporter_update", n=issue.id, post=Html(post.text))
    message = OutgoingMessage(
        kind=MessageKind.SUPPORTER, chat_id=person, text=text, issue_id=issue.id,
        created_at=services.clock(), priority=Priority.NOTICE,
    )  # fmt: skip
    return deferred(services.settings, message, urgent=issue.urgent)


async def started_privately(services: Services, telegram_id: int) -> None:
    """This person pressed Start: from now on supporters are told of steps privately."""
    await services.store.supporters.mark_started(telegram_id, services.clock())
