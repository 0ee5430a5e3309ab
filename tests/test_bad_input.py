"""SPEC §10: bad input never crashes the bot or loses data.

A corpus of hostile and odd input goes through the real bot (polling the emulator), one
kind at a time, into one world per database. After each: the error handler was never
reached, nothing the bot tried to send was refused as malformed (the emulator answers
400 to broken HTML or an over-long text, so an escaping bug shows up there), the store
holds exactly the issues expected, each whole, and a normal report still gets its answer.
"""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from storage import provision as admin
from tests.conftest import PG_URL, Clock
from tests.world import A01, A02, CHEN, LI, LIU, STRAY, ZHANG, ZHAO, ZHOU, World, grid_world

pytestmark = pytest.mark.asyncio(loop_scope="module")

JSON = dict[str, Any]
UNKNOWN_CHAT = -1005555555555
STRANGER = {"id": 7_000_001, "is_bot": False, "first_name": "陌生人", "language_code": "ar"}
LAMP = "3号楼门口的路灯坏了好几天了，晚上出门很不方便"
PROBLEM = "5号楼的下水道堵了，污水漫出来了"
_numbers = itertools.count(1)


class Errors(logging.Handler):
    """Every record at ERROR or above, from any logger, while a case runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Hostile:
    world: World
    errors: Errors

    @property
    def emu(self) -> Any:
        return self.world.emu

    def raw_message(self, chat: int, text: str | None, sender: JSON | None, **extra: Any) -> int:
        """A message as a forged update, outside what the emulator's world knows."""
        message: JSON = {"message_id": 500_000 + next(_numbers), "date": int(time.time())}
        message["chat"] = {"id": chat, "type": "supergroup", "title": "不认识的群"}
        if chat > 0:
            message["chat"] = {"id": chat, "type": "private", "first_name": "陌生人"}
        if sender is not None:
            message["from"] = sender
        if text is not None:
            message["text"] = text
        return int(self.emu.post_raw_update({"message": message | extra}))

    def queue(self, kind: str, chat: int, who: int, **content: Any) -> JSON:
        """A message in a known chat, sent as update `kind` (edited_message, channel_post ...)."""
        message = self.emu.new_message(chat, self.emu.users[who], **content)
        self.emu.queue_update(kind, message)
        return dict(message)


@dataclass(frozen=True)
class Case:
    name: str
    act: Callable[[Hostile], Any]
    new_issues: int = 0
    reply: str | None = None  # the direct answer must contain this


async def _database(request: pytest.FixtureRequest, tmp: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp / 'gridbot.db'}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"gridbot_t_{uuid.uuid4().hex[:12]}"
    url = await admin.create_database(PG_URL, name, template=template)
    yield url
    await admin.drop_database(PG_URL, name)


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["sqlite", "postgresql"])
async def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Hostile]:
    """One running bot per database for the whole corpus, with issue #1 already reported."""
    async for url in _database(request, tmp_path_factory.mktemp("bad_input")):
        errors = Errors()
        logging.getLogger().addHandler(errors)
        try:
            async with grid_world(url, Clock()) as world:
                harness = Hostile(world, errors)
                await world.reply_to(world.say(ZHANG, LAMP))
                yield harness
        finally:
            logging.getLogger().removeHandler(errors)


def _send(who: Any, text: str, chat: int = A01) -> Callable[[Hostile], JSON]:
    return lambda h: h.world.say(who, text, chat)


def _edit(text: str) -> Callable[[Hostile], JSON]:
    """The resident edits her report #1 (the first message in A01)."""
    return lambda h: h.emu.edit_message(A01, 1, text)


def _forged_button(data: str, who: Any = LI) -> Callable[[Hostile], None]:
    """Forged callback data on the member's notice of #1."""

    def act(h: Hostile) -> None:
        notice = next(s for s in h.emu.sent if s.chat_id == LI.id and s.reply_markup)
        h.emu.press_button(LI.id, notice.message_id, who.id, data, check=False)

    return act


def _inaccessible_callback(h: Hostile) -> None:
    """A press on a message the bot can no longer see: Telegram sends it with date 0."""
    message = {"chat": {"id": A01, "type": "supergroup", "title": "x"}, "message_id": 1, "date": 0}
    query = {"id": "9" * 18, "from": h.emu.users[ZHANG.id], "chat_instance": "1"}
    h.emu.post_raw_update({"callback_query": query | {"message": message, "data": "take:1"}})


def _old_callback(h: Hostile) -> None:
    """A press answered too late (the bot was down): answerCallbackQuery is refused."""
    notice = next(s for s in h.emu.sent if s.chat_id == LI.id and s.reply_markup)
    message = h.emu.messages[(LI.id, notice.message_id)]
    query = {"id": "8" * 18, "from": h.emu.users[LI.id], "chat_instance": "2"}
    h.emu.post_raw_update({"callback_query": query | {"message": message, "data": "view:1"}})


def _sticker(h: Hostile) -> JSON:
    return dict(h.emu.post_message(A01, LIU.id, sticker="😀"))


def _photo(caption: str | None) -> Callable[[Hostile], JSON]:
    return lambda h: dict(h.emu.post_message(A01, ZHOU.id, photo=True, caption=caption))


LONG = ("9号楼电梯坏了，" * 600)[:4096]
WIDE = "１２"

CASES = [
    # Text that is long, invisible, or not what it seems.
    Case("4096 characters", _send(LIU, LONG), 1),
    Case("4096 characters of markup", _send(LIU, "/report 路灯坏了" + "<&>" * 1362), 1),
    Case("zero-width only", _send(LIU, "\u200b\u200c\u200d\ufeff\u2060")),
    Case(
        "zero-width inside a report",
        _send(LIU, "小区\u200b垃圾\u200d好几天没人清运了\u2060，臭气熏天"),
        1,
    ),
    Case("control characters", _send(LIU, "\x01\x07\x1b[31m6号楼电梯坏了\x7f\x1b[0m"), 1),
    Case("NUL characters", _send(LIU, "7号楼\x00水管爆了\x00，漏水严重"), 1),
    Case(
        "right-to-left override", _send(LIU, "\u202e公交站的站牌被车撞倒了，一直没人修\u202c"), 1
    ),
    Case("Arabic and Hebrew", _send(LIU, "مرحبا بكم שלום עליכם")),
    Case(
        "SQL-looking report",
        _send(LIU, "楼上邻居天天半夜装修，吵得睡不着'); DROP TABLE issues; --"),
        1,
    ),
    Case("SQL-looking command", _send(LIU, "/report 1 OR 1=1; SELECT * FROM members"), 1),
    Case("HTML tags", _send(LIU, "<b>井盖</b>丢了</a><i><script>alert(1)</script>"), 1),
    Case("HTML entities", _send(LIU, "水管&漏水 &amp; &#0; &lt &#x110000; &bogus;"), 1),
    Case("Markdown", _send(LIU, "*_[路灯坏了](tg://user?id=1)_* `code` ~~x~~ ||spoiler||"), 1),
    Case("emoji only", _send(LIU, "😀👍🏻👨‍👩‍👧‍👦🇨🇳")),
    Case("emoji around a report", _send(LIU, "🚨🔥 11号楼着火了！！🔥"), 1),
    Case("only spaces and line breaks", _send(LIU, " \n\u3000\n\t ")),
    Case("a lone slash", _send(LIU, "/")),
    Case("sticker", _sticker),
    Case("photo without caption", _photo(None)),
    Case("photo with a markup caption", _photo("<b>路灯</b>坏了&，12号楼")),
    Case("location", lambda h: dict(h.emu.post_message(A01, LIU.id, location=(91.0, -181.0)))),
    # Edits.
    Case("edit to markup", _edit("3号楼路灯坏了 <a href='x'>&</a>")),
    Case("edit to nothing visible", _edit("\u200b")),
    Case("edit to 4096 characters", _edit(LONG)),
    Case(
        "edit of a message that is no issue",
        lambda h: h.queue(
            "edited_message", A01, LIU.id, text="谢谢大家", edit_date=int(time.time())
        ),
    ),
    # Where it comes from.
    Case("channel post", lambda h: h.queue("channel_post", A01, LIU.id, text=LAMP)),
    Case("message without from", lambda h: h.raw_message(A01, LAMP, None)),
    Case(
        "anonymous admin",
        lambda h: h.raw_message(
            A01,
            LAMP,
            {"id": 1087968824, "is_bot": True, "first_name": "Group"},
            sender_chat={"id": A01, "type": "supergroup", "title": "x"},
        ),
    ),
    Case(
        "another bot",
        lambda h: h.raw_message(A01, LAMP, {"id": 99, "is_bot": True, "first_name": "bot"}),
    ),
    Case(
        "unknown user",
        lambda h: h.raw_message(A01, "学校门口的红绿灯坏了，孩子过马路很危险", STRANGER),
        1,
    ),
    Case("unknown chat", lambda h: h.raw_message(UNKNOWN_CHAT, LAMP, STRANGER)),
    Case("unbound group", _send(LIU, LAMP, STRAY)),
    Case("unbound group, again", _send(LIU, LAMP, STRAY)),
    Case("group in the roster, not bound", _send(LIU, LAMP, A02)),
    Case("report in private", _send(LIU, LAMP, LIU.id)),
    Case("command in private", _send(LIU, "/take 1", LIU.id), reply="无权"),
    Case("far past date", lambda h: h.raw_message(A01, "谢谢", STRANGER, date=0)),
    Case(
        "service message", lambda h: h.queue("message", A01, LIU.id, new_chat_members=[STRANGER])
    ),
    Case(
        "forum topic id in a plain group",
        lambda h: h.world.say(LIU, "社区卫生服务站周末不开门，看病很不方便", thread_id=987654321),
        1,
    ),
    Case(
        "reply to a message that is gone",
        lambda h: h.raw_message(
            A01,
            "低保申请交上去三个月了一直没消息",
            STRANGER,
            reply_to_message={
                "message_id": 424242,
                "date": 0,
                "chat": {"id": A01, "type": "supergroup"},
            },
        ),
        1,
    ),
    # Commands.
    Case("command without arguments", _send(LI, "/take"), reply="用法"),
    Case("thousands of arguments", _send(LI, "/take " + " ".join(["1"] * 3000)), reply="用法"),
    Case("a note of 6000 characters", _send(LI, "/progress 1 " + "已派人" * 2000)),
    Case("a markup note", _send(LI, "/progress 1 <b>已</b>联系&<电工>")),
    Case("number beyond 64 bits", _send(LI, "/take 18446744073709551616"), reply="用法"),
    Case("negative number", _send(LI, "/take -1"), reply="用法"),
    Case("zero", _send(LI, "/issue 0"), reply="用法"),
    Case("number of another script", _send(LI, "/take ١٢"), reply="用法"),
    Case("full-width number", _send(LI, f"/issue {WIDE}")),
    Case("unknown issue", _send(LI, "/issue 2147483647"), reply="没有找到"),
    Case("far-future plan", _send(LI, "/plan 1 9999-12-31 远期")),
    Case("far-past plan", _send(LI, "/plan 1 0001-01-01 很久以前"), reply="YYYY-MM-DD"),
    Case("impossible date", _send(LI, "/plan 1 2026-02-30 x"), reply="YYYY-MM-DD"),
    Case("markup category", _send(LI, "/cat 1 <b>&"), reply="没有“<b>&”"),
    Case("markup member", _send(LI, "/assign 1 </a>"), reply="没有名为"),
    Case("merge with itself", _send(LI, "/dup 1 1"), reply="自身"),
    Case("very long bind code", _send(ZHAO, "/bind " + "A" * 5000, STRAY), reply="没有编码为"),
    Case("markup bind code", _send(ZHAO, "/bind <b>", STRAY), reply="没有编码为"),
    Case("other bot's command", _send(LI, "/take@other_bot 1")),
    Case("upper-case command", _send(LI, "/ISSUE 1"), reply="#1"),
    Case("report with nothing visible", _send(LIU, "/report \u200b\u200d"), reply="用法"),
    Case("settings garbage", _send(ZHAO, "/mode <script>"), reply="用法"),
    Case("start with a long payload", _send(LIU, "/start " + "x" * 2000, LIU.id), reply="您好"),
    Case("stranger lists", _send(CHEN, "/open"), reply="私聊"),  # not their grid
    # Buttons.
    Case("forged button: huge number", _forged_button("take:99999999999999999999999")),
    Case("forged button: unknown verb", _forged_button("drop:1")),
    Case("forged button: empty", _forged_button("")),
    Case("forged button: 64 bytes", _forged_button("x" * 64)),
    Case("forged button: bad verdict", _forged_button("rate:1:x")),
    Case("forged button: confirm elsewhere", _forged_button("confirm:1")),
    Case("forged button: verdict by a stranger", _forged_button("rate:1:s", CHEN)),
    Case("button on an inaccessible message", _inaccessible_callback),
    Case("button answered too late", _old_callback),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_hostile_input_is_survived(hostile: Hostile, case: Case) -> None:
    world, emu = hostile.world, hostile.emu
    hostile.errors.records.clear()
    said_before, issues_before = len(emu.transcript), await world.store.issues.count()
    sent = case.act(hostile)
    if case.reply is not None:
        answer = await world.reply_to(sent)
        assert case.reply in (answer.text or ""), answer.text
    await world.settle()
    errors = [f"{r.name}: {r.getMessage()}" for r in hostile.errors.records]
    assert not errors, errors
    # (an urgent report's safety advice carries ⚠ too: "🔥 11号楼着火了" gets fire's)
    refused = [
        line for line in emu.transcript[said_before:] if "⚠" in line and "安全提示" not in line
    ]
    assert not refused, refused
    assert await world.store.issues.count() == issues_before + case.new_issues
    await _assert_store_whole(world)
    # The bot still answers an ordinary report (a new issue, or the one it repeats).
    ack = await world.reply_to(world.say(ZHANG, PROBLEM))
    assert "#" in (ack.text or "")


async def _assert_store_whole(world: World) -> None:
    """Every issue with its first event and its acknowledgement; no text unfit to show."""
    store = world.store
    acknowledged = {m.issue_id for m, _ in await store.outbox.all() if m.kind == "ack"}
    for number in range(1, await store.issues.count() + 1):
        issue = await world.issue(number)
        events = await store.issues.events(number)
        assert events and events[0].action == "created", (number, events)
        assert number in acknowledged, f"#{number} has no acknowledgement"
        assert issue.text.strip() and "\x00" not in issue.text


async def test_an_update_that_cannot_be_stored_does_not_stop_the_bot(hostile: Hostile) -> None:
    """A lone surrogate or an unreadable date must not jam the updates behind it."""
    hostile.raw_message(A01, "路灯坏了\ud800好几天", dict(STRANGER))
    hostile.raw_message(A01, "谢谢", dict(STRANGER), date=2**40)  # past year 9999
    ack = await hostile.world.reply_to(hostile.world.say(ZHANG, PROBLEM), timeout=8)
    assert "#" in (ack.text or "")
