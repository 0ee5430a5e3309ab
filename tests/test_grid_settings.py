"""SPEC §7 Language and intake modes, command menus per scope, and /help per person."""

from __future__ import annotations

import json

from tests.world import A01, LI, LIU, ZHANG, ZHAO, World


async def test_traditional_grid_gets_every_text_in_traditional(world: World) -> None:
    answer = await world.reply_to(world.say(ZHAO, "/lang 繁体"))
    assert "繁體中文" in answer.text
    ack = await world.reply_to(world.say(ZHANG, "3號樓門口的路燈壞了好幾天了"))
    assert "已受理 #1【市政設施】" in ack.text and "承辦人" in ack.text
    notice = await world.private(LI, "#1")
    assert "新訴求" in notice.text and "類別：市政設施" in notice.text
    world.say(LI, "/take 1")
    assert "已認領" in (await world.in_group(A01, "#1 已認領")).text


async def test_only_a_coordinator_changes_settings(world: World) -> None:
    assert "召集人" in (await world.reply_to(world.say(LI, "/lang 繁体"))).text
    assert "用法" in (await world.reply_to(world.say(ZHAO, "/lang 火星文"))).text
    assert "用法" in (await world.reply_to(world.say(ZHAO, "/mode sometimes"))).text
    grid = await world.store.grids.by_code("A01")
    assert grid is not None and (grid.language, grid.intake_mode) == ("zh-Hans", "auto")


async def test_explicit_mode_registers_only_explicit_forms(world: World) -> None:
    await world.reply_to(world.say(ZHAO, "/mode explicit"))
    world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    await world.settle()
    assert await world.store.issues.count() == 0
    await world.reply_to(world.say(ZHANG, "#诉求 3号楼门口的路灯坏了好几天了"))
    assert await world.store.issues.count() == 1


async def test_confirm_mode_asks_the_resident_first(world: World) -> None:
    await world.reply_to(world.say(ZHAO, "/mode confirm"))
    message = world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    question = await world.reply_to(message)
    assert "要登记为诉求吗" in question.text and await world.store.issues.count() == 0
    world.emu.press_button(A01, question.message_id, LIU.id, f"confirm:{message['message_id']}")
    await world.settle()
    assert "只有发消息的居民" in world.emu.callback_answers[-1]["text"]
    world.emu.press_button(A01, question.message_id, ZHANG.id, f"confirm:{message['message_id']}")
    ack = await world.in_group(A01, "已受理 #1")
    assert ack.reply_to_message_id == message["message_id"]


async def test_confirm_mode_decline_registers_nothing(world: World) -> None:
    await world.reply_to(world.say(ZHAO, "/mode confirm"))
    message = world.say(ZHANG, "楼道里的垃圾没人清")
    question = await world.reply_to(message)
    world.emu.press_button(A01, question.message_id, ZHANG.id, f"decline:{message['message_id']}")
    await world.settle()
    assert await world.store.issues.count() == 0
    assert (A01, question.message_id) in world.emu.deleted


async def test_command_menus_are_published_per_scope(world: World) -> None:
    await world.settle()
    groups = world.emu.commands[json.dumps({"type": "all_group_chats"}, sort_keys=True)]
    private = world.emu.commands[json.dumps({"type": "all_private_chats"}, sort_keys=True)]
    admins = world.emu.commands[json.dumps({"type": "all_chat_administrators"}, sort_keys=True)]
    assert [c["command"] for c in groups] == ["report", "my", "help"]
    assert "take" in [c["command"] for c in private]
    assert "bind" in [c["command"] for c in admins]


async def test_help_shows_what_each_person_may_do(world: World) -> None:
    resident = await world.reply_to(world.say(ZHANG, "/help"))
    member = await world.reply_to(world.say(LI, "/help"))
    coordinator = await world.reply_to(world.say(ZHAO, "/help"))
    assert "/my" in resident.text and "/mine" not in resident.text
    assert "按钮" in member.text and "/bind" not in member.text
    assert "/bind" in coordinator.text and "/stats" in coordinator.text
    for short in (resident, member, coordinator):
        assert "docs/" not in short.text and short.text.count("\n") <= 3


async def test_help_has_a_button_for_the_whole_guide_of_each_role(world: World) -> None:
    guides = {}
    for who, role in ((ZHANG, "resident"), (LI, "member"), (ZHAO, "coordinator")):
        short = await world.reply_to(world.say(who, "/help", chat=who.id))
        [[button]] = short.reply_markup["inline_keyboard"]
        assert button["text"] == "📖 更多说明" and button["callback_data"] == f"help:{role}"
        world.emu.press_button(who.id, short.message_id, who.id, button["callback_data"])
        await world.settle()
        guides[role] = world.emu.messages[(who.id, short.message_id)]["text"]
    assert "/report" in guides["resident"] and "/take" not in guides["resident"]
    assert "/take" in guides["member"] and "/progress1" in guides["member"]
    assert "/bind" in guides["coordinator"] and "docs/" not in guides["coordinator"]
