"""SPEC §7 Routing and Member commands, as phones use them: every action a button on the
notice and on /issue N; a note asked for with a reply prompt; commands typed loosely."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.world import A01, CHEN, LI, LIU, ZHANG, ZHAO, World

LAMP = "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"


async def reported(world: World, text: str = LAMP) -> Any:
    """The report, and the notice the member got for it."""
    await world.reply_to(world.say(ZHANG, text))
    return await world.private(LI, "新诉求 #1")


def callbacks(message: Any) -> list[str]:
    return [b["callback_data"] for row in message.reply_markup["inline_keyboard"] for b in row]


async def prompt_after(world: World, chat: int, notice: Any, data: str, who: Any = LI) -> Any:
    """Press `data` on `notice`; the prompt the bot sends for the note."""
    before = len(world.emu.sent)
    world.emu.press_button(chat, notice.message_id, who.id, data)
    return await world.emu.wait_for(
        lambda s: s in world.emu.sent[before:] and s.chat_id == chat and "✍️" in (s.text or "")
    )


async def test_the_notice_offers_every_member_action(world: World) -> None:
    notice = await reported(world)
    assert callbacks(notice) == [
        "take:1", "view:1", "progress:1", "done:1", "plan:1", "escalate:1", "ask:1", "reject:1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "note", "status", "told"),
    [
        ("progress", "已联系物业电工，明天上午来修", "in_progress", "#1 办理中"),
        ("done", "路灯已更换", "resolved", "#1 已解决"),
        ("plan", "2099-12-31 纳入道路改造", "planned", "#1 已列入计划"),
        ("escalate", "区城管局 建议一周内修复", "escalated", "#1 已转交"),
        ("reject", "属于私人财产纠纷", "rejected", "#1 不予受理"),
    ],
)
async def test_each_action_from_a_button_asks_for_its_note_and_takes_the_reply(
    world: World, data: str, note: str, status: str, told: str
) -> None:
    notice = await reported(world)
    prompt = await prompt_after(world, LI.id, notice, f"{data}:1")
    assert prompt.reply_markup["force_reply"] is True and f"/{data} 1" in prompt.text
    assert (await world.issue(1)).status == "new"  # nothing happens before the note
    world.say(LI, note, chat=LI.id, reply_to=prompt.message_id)
    post = await world.in_group(A01, told)
    assert note.split()[-1] in post.text
    assert (await world.issue(1)).status == status
    assert await world.store.issues.count() == 1


async def test_ask_from_a_button_puts_the_question_to_the_reporter(world: World) -> None:
    notice = await reported(world)
    prompt = await prompt_after(world, LI.id, notice, "ask:1")
    world.say(LI, "具体是哪个门口？", chat=LI.id, reply_to=prompt.message_id)
    post = await world.in_group(A01, "具体是哪个门口")
    assert "#1" in post.text and "张阿姨" in post.text


async def test_a_prompt_in_the_group_is_for_that_member_only(world: World) -> None:
    await reported(world)
    world.say(LI, "/take 1")
    await world.in_group(A01, "已认领")
    timeline = await world.reply_to(world.say(LI, "/issue 1"))
    assert "take:1" not in callbacks(timeline) and "done:1" in callbacks(timeline)
    prompt = await prompt_after(world, A01, timeline, "done:1")
    assert prompt.reply_markup["selective"] is True
    assert any(e.get("type") == "text_link" for e in prompt.entities or [])
    someone = world.say(LIU, "谢谢，辛苦了", reply_to=prompt.message_id)  # not asked
    await world.settle()
    assert not [s for s in world.emu.messages_in(A01)
                if s.reply_to_message_id == someone["message_id"]]  # fmt: skip
    assert (await world.issue(1)).status == "taken"
    world.say(LI, "路灯已更换，晚上亮了", reply_to=prompt.message_id)
    post = await world.in_group(A01, "晚上亮了")
    assert post.text.startswith("#1 已解决") and callbacks(post) == ["rate:1:s", "rate:1:b",
                                                                    "rate:1:u"]  # fmt: skip
    assert await world.store.issues.count() == 1  # neither reply is a new report


async def test_only_staff_of_the_grid_are_prompted(world: World) -> None:
    await reported(world)
    timeline = await world.reply_to(world.say(ZHAO, "/issue 1"))
    before = len(world.emu.sent)
    for person in (LIU, CHEN):
        world.emu.press_button(A01, timeline.message_id, person.id, "progress:1")
        await world.settle()
        assert "无权" in world.emu.callback_answers[-1]["text"]
    assert not [s for s in world.emu.sent[before:] if "✍️" in (s.text or "")]
    assert (await world.issue(1)).status == "new"


async def test_a_reply_to_a_prompt_for_a_step_no_longer_possible_is_refused(world: World) -> None:
    notice = await reported(world)
    prompt = await prompt_after(world, LI.id, notice, "reject:1")
    world.say(ZHAO, "/done 1 已修好")
    await world.in_group(A01, "已修好")
    world.say(LI, "不归我们管", chat=LI.id, reply_to=prompt.message_id)
    answer = await world.private(LI, "不能执行此操作")
    assert "已解决" in answer.text and (await world.issue(1)).status == "resolved"


@pytest.mark.parametrize(
    ("typed", "status", "told"),
    [
        ("/progress1 已联系物业", "in_progress", "已联系物业"),
        ("／take 1", "taken", "#1 已认领"),
        ("/take 1 @gridbot_test_bot", "taken", "#1 已认领"),
        ("认领 1", "taken", "#1 已认领"),
        ("进展 1 已联系物业", "in_progress", "已联系物业"),
        ("办结 1 已修好，谢谢大家", "resolved", "已修好，谢谢大家"),
        ("辦結 #1 已修好", "resolved", "已修好"),
    ],
)
async def test_commands_as_phones_type_them_are_answered(
    world: World, typed: str, status: str, told: str
) -> None:
    await reported(world)
    world.say(LI, typed)
    assert "#1" in (await world.in_group(A01, told)).text
    assert (await world.issue(1)).status == status
    assert await world.store.issues.count() == 1


async def test_loose_commands_answer_in_private_too(world: World) -> None:
    await reported(world)
    answer = await world.reply_to(world.say(LI, "/take1", chat=LI.id))
    assert "由您办理" in answer.text
    answer = await world.reply_to(world.say(LI, "详情 1", chat=LI.id))
    assert answer.text.startswith("#1 已认领")


async def test_residents_words_that_look_like_commands_stay_words(world: World) -> None:
    await reported(world)
    world.say(LIU, "认领 1")  # a resident: not a member, so no command
    world.say(LI, "办结3号楼的事还要等物业")  # no number of its own
    await world.settle()
    assert (await world.issue(1)).status == "new"
    assert not [s for s in world.emu.messages_in(A01) if "用法" in (s.text or "")]


async def test_a_private_send_marks_the_member_reachable(world: World) -> None:
    before = await world.store.members.by_telegram_id(LI.id)
    assert before is not None and not before.reachable  # never pressed /start in this bot
    await reported(world)
    await world.settle()
    # The sender marks the member after the row is marked sent, so `settle` (nothing owed)
    # can return a moment before: wait for the mark itself, a few seconds at most.
    after = None
    for _ in range(100):
        after = await world.store.members.by_telegram_id(LI.id)
        if after is not None and after.reachable:
            break
        await asyncio.sleep(0.05)
    assert after is not None and after.reachable
    stats = await world.reply_to(world.say(ZHAO, "/stats", chat=ZHAO.id))
    unreachable = stats.text.split("无法私聊的委员", 1)[-1]
    assert "李明" not in unreachable
