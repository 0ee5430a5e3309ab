"""Issue 17: residents writing to the bot privately: /report becomes an issue in their grid."""

from __future__ import annotations

from tests.world import A01, A02, LI, LIU, ZHANG, ZHAO, ZHOU, World

LAMP = "3号楼门口的路灯坏了好几天了"


async def test_private_report_becomes_an_issue_in_the_residents_grid(world: World) -> None:
    await world.settle()
    world.say(ZHANG, "大家早上好")  # seen in A01's group
    await world.settle()
    message = world.say(ZHANG, f"/report {LAMP}", chat=ZHANG.id)
    ack = await world.reply_to(message)
    assert "#1" in ack.text and "市政设施" in ack.text and "李明" in ack.text
    issue = await world.issue(1)
    grid = await world.store.grids.by_code("A01")
    assert grid is not None and issue.grid_id == grid.id and issue.text == LAMP
    notice = await world.private(LI, "#1")
    assert "A01" in notice.text and "张阿姨" in notice.text
    # Nothing of it is posted in the group: the resident chose to write privately.
    assert not [s for s in world.emu.messages_in(A01) if "#1" in (s.text or "")]


async def test_private_report_from_an_unknown_resident_is_explained(world: World) -> None:
    world.say(LIU, f"/report {LAMP}", chat=LIU.id)
    answer = await world.private(LIU, "我还不知道您属于哪个网格")
    assert "网格群" in answer.text
    await world.settle()
    assert await world.store.issues.count() == 0


async def test_resident_of_two_grids_chooses_with_a_button(world: World) -> None:
    await world.reply_to(world.say(ZHAO, "/bind A02", chat=A02))
    world.say(ZHOU, "大家好", chat=A01)
    world.say(ZHOU, "大家好", chat=A02)
    await world.settle()
    world.say(ZHOU, f"/report {LAMP}", chat=ZHOU.id)
    question = await world.private(ZHOU, "选择")
    buttons = [b for row in question.reply_markup["inline_keyboard"] for b in row]
    assert sorted(b["text"].split()[0] for b in buttons) == ["A01", "A02"]
    [a02] = [b for b in buttons if b["text"].startswith("A02")]
    world.emu.press_button(ZHOU.id, question.message_id, ZHOU.id, a02["callback_data"])
    ack = await world.private(ZHOU, "#1")
    assert "已受理" in ack.text
    grid = await world.store.grids.by_code("A02")
    assert grid is not None and (await world.issue(1)).grid_id == grid.id


async def test_other_private_text_gets_a_short_helpful_answer(world: World) -> None:
    world.say(LIU, "你好，请问怎么反映问题？", chat=LIU.id)
    answer = await world.private(LIU, "/report")
    assert "问题描述" in answer.text and "/help" in answer.text
    await world.settle()
    assert await world.store.issues.count() == 0
