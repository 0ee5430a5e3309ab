"""SPEC §7 Authority: who may do what to an issue, for every command and button.

One world per role: the issues are reported (explicitly, so none is merged into another),
three are solved so they can be rated, two messages wait for confirmation; then that role
tries every command and button at once, each on its own issue. Allowed actions change the
issue; refused ones get a short refusal and leave status, assignee, category and timeline
exactly as they were.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.world import A01, A02, CHEN, LI, LIU, STRAY, WANG, ZHANG, ZHAO, Person, World

ROLES: dict[str, Person] = {
    "resident": LIU,
    "reporter": ZHANG,
    "member of another grid": CHEN,
    "member of the grid": LI,
    "coordinator": ZHAO,
}
STAFF = {"member of the grid", "coordinator"}
REFUSED = "无权"

# (what is tried, the command or button data with N for the issue, who may)
COMMANDS = [
    ("/take", "/take N", STAFF),
    ("/progress", "/progress N 已联系施工队", STAFF),
    ("/plan", "/plan N 2027-03-01 纳入明年计划", STAFF),
    ("/escalate", "/escalate N 城管局 请一周内处理", STAFF),
    ("/done", "/done N 已处理完毕", STAFF),
    ("/reject", "/reject N 不属于受理范围", STAFF),
    ("/dup", "/dup N 1", STAFF),
    ("/assign", "/assign N 王芳", STAFF),
    ("/cat", "/cat N 物业管理", STAFF),
    ("/issue", "/issue N", STAFF | {"reporter"}),
]
BUTTONS = [
    ("take:N", "take:N", STAFF),
    ("view:N", "view:N", STAFF | {"reporter"}),
]
VERDICTS = ["rate:N:s", "rate:N:b", "rate:N:u"]
READ_ONLY = {"/issue", "view:N"}


@dataclass
class Setup:
    issues: dict[str, int]  # what is tried → the issue it is tried on
    solved: dict[str, int]  # verdict → a solved issue
    questions: dict[str, int]  # confirm / decline → the bot's question message


async def _report(world: World, count: int, prefix: str) -> list[int]:
    """`count` explicit reports by the reporter; their issue numbers, in order."""
    messages = [world.say(ZHANG, f"/report {prefix}{i}：小区设施需要维修") for i in range(count)]
    for message in messages:
        await world.reply_to(message)
    found = [await world.store.issues.by_message(A01, m["message_id"]) for m in messages]
    return [issue.id for issue in found if issue is not None]


async def _prepare(world: World) -> Setup:
    tried = [name for name, _, _ in COMMANDS + BUTTONS]
    numbers = await _report(world, len(tried) + len(VERDICTS), "问题")
    solved = dict(zip(VERDICTS, numbers[len(tried) :], strict=True))
    for number in solved.values():
        world.say(LI, f"/done {number} 已修好")
    world.say(ZHAO, "/mode confirm")
    # Not explicit, so in confirm mode the bot asks the resident first.
    asked = [
        world.say(ZHANG, "垃圾站的垃圾好几天没人清运了"),
        world.say(ZHANG, "公交站台被撞坏了"),
    ]
    questions = [await world.reply_to(message) for message in asked]
    await world.settle()
    return Setup(
        dict(zip(tried, numbers, strict=False)),
        solved,
        {"confirm": questions[0].message_id, "decline": questions[1].message_id},
    )


async def _state(world: World, number: int) -> tuple[Any, ...]:
    issue = await world.issue(number)
    events = await world.store.issues.events(number)
    return issue.status, issue.assignee_id, issue.category, len(events)


def _ack_of(world: World, number: int) -> int:
    """The group message acknowledging #N: a message anyone in the group can press on."""
    return next(
        s.message_id
        for s in world.emu.sent
        if s.chat_id == A01 and f"#{number}【" in (s.text or "")
    )


@pytest.mark.parametrize("role", ROLES, ids=list(ROLES))
async def test_every_action_by_role(world: World, role: str) -> None:
    who = ROLES[role]
    setup = await _prepare(world)
    numbers = [*setup.issues.values(), *setup.solved.values()]
    before = {n: await _state(world, n) for n in numbers}
    count_before = await world.store.issues.count()

    start = len(world.emu.sent)
    expected: dict[str, tuple[Callable[[], Any], set[str], int]] = {}
    for name, template, allowed in COMMANDS:
        number = setup.issues[name]
        command = world.say(who, template.replace("N", str(number)))
        expected[name] = (lambda c=command, n=number: _said(world, start, c, n), allowed, number)
    for name, template, allowed in BUTTONS:
        number = setup.issues[name]
        data = template.replace("N", str(number))
        query = world.emu.press_button(A01, _ack_of(world, number), who.id, data, check=False)
        expected[name] = (lambda q=query: _answer(world, q), allowed, number)
    for verdict, number in setup.solved.items():
        data = verdict.replace("N", str(number))
        query = world.emu.press_button(A01, _ack_of(world, number), who.id, data, check=False)
        expected[verdict] = (lambda q=query: _answer(world, q), {"reporter"}, number)

    for name, (get_answer, allowed, _) in expected.items():
        text = await get_answer()
        if role in allowed:
            assert REFUSED not in text and "只有" not in text, (name, text)
        else:
            assert REFUSED in text or "只有反映人" in text, (name, text)
            assert len(text) <= 40, f"a refusal should be short: {text}"
    await world.settle()

    for name, (_, allowed, number) in expected.items():
        after = await _state(world, number)
        if role in allowed and name not in READ_ONLY:
            assert after != before[number], f"{name} by {role} changed nothing"
        else:
            assert after == before[number], f"{name} by {role} changed #{number}"
    assert await world.store.issues.count() == count_before
    await _confirm_and_decline(world, who, role, setup, count_before)


async def _said(world: World, start: int, command: dict[str, Any], number: int) -> str:
    """The answer to a command: a reply to it, or the post about #N it caused."""
    found = await _poll(
        lambda: next(
            (s.text or "" for s in world.emu.sent[start:] if s.chat_id == A01
             and (s.reply_to_message_id == command["message_id"]
                  or (s.text or "").startswith(f"#{number} "))),
            None,
        )
    )  # fmt: skip
    return str(found)


async def _poll(find: Callable[[], str | None], timeout: float = 5.0) -> str:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if (found := find()) is not None:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("no answer in time")


async def _answer(world: World, query_id: str) -> str:
    """The text the bot answered a button press with."""
    return await _poll(
        lambda: next(
            (str(a.get("text") or "") for a in world.emu.callback_answers
             if a.get("callback_query_id") == query_id),
            None,
        )
    )  # fmt: skip


async def _confirm_and_decline(
    world: World, who: Person, role: str, setup: Setup, count_before: int
) -> None:
    """Confirm mode: only the resident who wrote the message may answer the bot's question."""
    for verb, message_id in setup.questions.items():
        data = next(b["callback_data"] for b in world.emu.buttons(A01, message_id)
                    if b["callback_data"].startswith(verb))  # fmt: skip
        query = world.emu.press_button(A01, message_id, who.id, data)
        text = await _answer(world, query)
        if role == "reporter":
            assert "只有" not in text, (verb, text)
        else:
            assert "只有发消息的居民" in text, (verb, text)
    await world.settle()
    registered = 1 if role == "reporter" else 0  # confirm registers one; decline none
    assert await world.store.issues.count() == count_before + registered
    gone = {m for _, m in world.emu.deleted}
    assert (set(setup.questions.values()) <= gone) == (role == "reporter")


# -- in a group, only that group's grid -------------------------------------------------------
ASK_PRIVATELY = "请私聊我"
MEMBERS_ONLY = "仅供委员"
# Commands about one issue of grid A01, tried in another group: none may answer about it.
ABOUT_ONE = ["/issue N", "/take N", "/progress N 已联系", "/done N 已处理", "/cat N 物业管理"]
LISTS = ["/open", "/mine", "/my", "/stats", "/digest"]
SECRET_WORD = "梧桐巷"


async def _elsewhere(world: World, where: str) -> int:
    """The group where A01's issue is asked about: A02 once bound, or a group of no grid."""
    if where == "unbound group":
        return STRAY
    await world.reply_to(world.say(ZHAO, "/bind A02", chat=A02))
    return A02


@pytest.mark.parametrize("where", ["another grid's group", "unbound group"])
async def test_another_groups_residents_learn_nothing_of_this_grid(
    world: World, where: str
) -> None:
    """A member of two grids, a coordinator of all, a resident and the reporter: in a group
    of another grid (or of none) every command and button answers only about that group's
    grid, and about one issue of another grid only "ask me privately", changing nothing."""
    report = world.say(ZHANG, f"/report {SECRET_WORD}3号楼门口路灯坏了，电话13812345678")
    await world.reply_to(report)
    issue = await world.store.issues.by_message(A01, report["message_id"])
    assert issue is not None
    number, before = issue.id, await _state(world, issue.id)
    chat = await _elsewhere(world, where)
    for who in (WANG, ZHAO, ZHANG, CHEN):
        for template in ABOUT_ONE + LISTS:
            command = world.say(who, template.replace("N", str(number)), chat=chat)
            text = (await world.reply_to(command)).text or ""
            assert SECRET_WORD not in text and f"#{number}" not in text, (who, template, text)
            if template in ABOUT_ONE or where == "unbound group":
                # One line; a resident may instead hear that the command is for members.
                assert ASK_PRIVATELY in text or MEMBERS_ONLY in text, (who, template, text)
                assert "\n" not in text, (who, template, text)
        anchor = (await world.in_group(chat, ASK_PRIVATELY)).message_id
        for data in (f"view:{number}", f"take:{number}", f"rate:{number}:s"):
            query = world.emu.press_button(chat, anchor, who.id, data, check=False)
            assert ASK_PRIVATELY in await _answer(world, query), (who, data)
    await world.settle()
    assert await _state(world, number) == before
    posted = [s.text or "" for s in world.emu.sent if s.chat_id == chat]
    assert not [text for text in posted if SECRET_WORD in text]


async def test_in_its_own_group_the_grid_is_answered_as_before(world: World) -> None:
    """The same commands in the issue's own group still answer about it."""
    report = world.say(ZHANG, f"/report {SECRET_WORD}3号楼门口路灯坏了")
    await world.reply_to(report)
    timeline = await world.reply_to(world.say(LI, "/issue 1"))
    listed = await world.reply_to(world.say(ZHAO, "/open"))
    mine = await world.reply_to(world.say(ZHANG, "/my"))
    for answer in (timeline, listed, mine):
        assert SECRET_WORD in (answer.text or "") and ASK_PRIVATELY not in (answer.text or "")


async def test_a_meeting_in_another_grids_group_cannot_take_this_grids_issues(
    world: World,
) -> None:
    """微协商 too: a member of both grids cannot link A01's issue to a meeting of A02, nor
    record minutes of A01's meeting from A02's group."""
    await world.reply_to(world.say(ZHANG, f"/report {SECRET_WORD}3号楼门口路灯坏了"))
    world.say(LI, "/consult new 路灯议题 | 2026-11-25 15:00 | 社区活动室 | #1")
    await world.in_group(A01, "路灯议题")
    await world.settle()
    assert await world.store.meetings.get(1) is not None
    await world.reply_to(world.say(ZHAO, "/bind A02", chat=A02))
    for line in (
        "/consult new 借用议题 | 2026-11-26 15:00 | 活动室 | #1",
        "/consult online 借用议题 | 换灯 | 修灯 | 截止 2026-11-24 18:00 | #1",
    ):
        refused = await world.reply_to(world.say(WANG, line, chat=A02))
        assert "不能关联" in (refused.text or ""), refused.text
    minutes = await world.reply_to(world.say(WANG, "/consult minutes 1 已商定换灯", chat=A02))
    assert ASK_PRIVATELY in (minutes.text or "")
    await world.settle()
    assert await world.store.meetings.get(2) is None
    meeting = await world.store.meetings.get(1)
    assert meeting is not None and not meeting.minutes
