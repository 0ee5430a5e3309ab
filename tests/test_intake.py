"""SPEC §7 Intake and Routing: a resident's message becomes a numbered, routed issue."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tests.conftest import Clock
from tests.world import A01, A02, LI, LIU, STRAY, WANG, ZHANG, ZHAO, World, grid_world


async def test_problem_message_gets_acknowledgement_with_number_category_member_time(
    world: World,
) -> None:
    ack = await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"))
    assert "#1" in ack.text and "市政设施" in ack.text and "李明" in ack.text
    # 24 h after Thursday 10:00 in Asia/Shanghai; a date, not 明天: the post is read for days
    assert "11月20日（周五）10:00 前" in ack.text


async def test_member_gets_private_notice_with_buttons(world: World) -> None:
    world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    notice = await world.private(LI, "#1")
    for part in ("A01", "市政设施", "路灯坏了", "张阿姨"):
        assert part in notice.text
    assert notice.reply_markup is not None
    buttons = [b["callback_data"] for row in notice.reply_markup["inline_keyboard"] for b in row]
    assert "take:1" in buttons


async def test_chitchat_gets_no_reply_and_no_issue(world: World) -> None:
    for line in ("大家早上好", "谢谢", "收到", "👍👍", "好的好的", "今天天气真不错"):
        world.say(ZHANG, line)
    world.say(LIU, None, sticker="CAACAgIAAxkBAAE")
    await world.settle()
    assert world.emu.messages_in(A01) == []
    assert await world.store.issues.count() == 0


async def test_report_command_always_registers(world: World) -> None:
    ack = await world.reply_to(world.say(ZHANG, "/report 想问问社区最近有什么安排"))
    assert "#1" in ack.text
    assert (await world.issue(1)).text == "想问问社区最近有什么安排"


async def test_report_without_text_gets_usage(world: World) -> None:
    answer = await world.reply_to(world.say(ZHANG, "/report"))
    assert "用法" in answer.text
    assert await world.store.issues.count() == 0


async def test_hashtag_and_mention_always_register(world: World) -> None:
    await world.reply_to(world.say(ZHANG, "#诉求 小区门口那家店天天放音乐"))
    await world.reply_to(world.say(LIU, f"@{world.emu.bot_user['username']} 想反映个情况"))
    assert await world.store.issues.count() == 2
    assert "#诉求" not in (await world.issue(1)).text


async def test_acknowledgement_stays_in_the_forum_topic(world: World) -> None:
    ack = await world.reply_to(world.say(ZHANG, "楼顶漏水好几天了，家里墙都泡了", thread_id=77))
    assert ack.thread_id == 77


async def test_photo_caption_and_later_location_attach_to_the_issue(world: World) -> None:
    await world.reply_to(world.say(ZHANG, None, photo=True, caption="楼道里的垃圾没人清，臭死了"))
    world.say(ZHANG, None, location=(30.25, 120.16))
    await world.settle()
    issue = await world.issue(1)
    assert issue.photo_file_id and issue.latitude == 30.25 and issue.longitude == 120.16


async def test_edit_before_member_acts_updates_the_issue(world: World) -> None:
    message = world.say(ZHANG, "路灯坏了")
    await world.reply_to(message)
    world.emu.edit_message(A01, message["message_id"], "5号楼门口路灯坏了，一直不亮")
    await world.settle()
    assert (await world.issue(1)).text == "5号楼门口路灯坏了，一直不亮"


async def test_unbound_group_gets_one_hint_and_no_issue(world: World) -> None:
    world.say(ZHANG, "路灯坏了好几天", chat=STRAY)
    world.say(LIU, "垃圾没人清", chat=STRAY)
    await world.settle()
    said = world.emu.messages_in(STRAY)
    assert len(said) == 1 and "/bind" in (said[0].text or "")
    assert await world.store.issues.count() == 0


async def test_bot_added_to_group_greets_once(world: World) -> None:
    world.emu.add_bot_to_group(STRAY, ZHAO.id)
    await world.in_group(STRAY, "/bind")
    world.say(ZHANG, "路灯坏了好几天", chat=STRAY)
    await world.settle()
    assert len(world.emu.messages_in(STRAY)) == 1


async def test_coordinator_binds_group_and_issues_route_there(world: World) -> None:
    answer = await world.reply_to(world.say(ZHAO, "/bind A02", chat=A02))
    assert "A02" in answer.text
    ack = await world.reply_to(world.say(ZHANG, "我妈的养老金这个月没到账", chat=A02))
    assert "社会保障" in ack.text and "王芳" in ack.text


async def test_resident_cannot_bind_a_group(world: World) -> None:
    answer = await world.reply_to(world.say(ZHANG, "/bind A02", chat=A02))
    assert "召集人" in answer.text
    assert (await world.store.grids.by_code("A02")).chat_id is None  # type: ignore[union-attr]


async def test_member_who_never_started_the_bot_is_mentioned_in_the_group(
    database_url: str, clock: Clock
) -> None:
    async with grid_world(database_url, clock, started=(WANG, ZHAO)) as world:
        world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
        mention = await world.in_group(A01, "请您处理")
        assert "#1" in mention.text and "/start" in mention.text
        assert 'href="tg://user?id=2001"' in mention.payload["text"]
        member = await world.store.members.by_telegram_id(LI.id)
        assert member is not None and not member.reachable


async def test_redelivered_update_creates_no_second_issue(world: World) -> None:
    message = world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    await world.reply_to(message)
    world.emu.redeliver(world.emu.last_update_id)
    await world.settle()
    assert await world.store.issues.count() == 1
    assert len(world.emu.messages_in(A01)) == 1


async def test_urgent_issue_tells_coordinator_at_once(world: World) -> None:
    ack = await world.reply_to(world.say(ZHANG, "楼下煤气泄漏了，味道很大，快来人"))
    assert "紧急" in ack.text
    alert = await world.private(ZHAO, "#1")
    assert "紧急" in alert.text


async def test_member_takes_issue_by_button_and_group_sees_it(world: World) -> None:
    message = world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    notice = await world.private(LI, "#1")
    world.emu.press_button(LI.id, notice.message_id, LI.id, "take:1")
    post = await world.emu.wait_for(lambda s: s.chat_id == A01 and "已认领" in (s.text or ""))
    assert post.reply_to_message_id == message["message_id"] and "#1" in post.text
    assert (await world.issue(1)).status == "taken"


async def test_export_csv_has_the_spec_header(world: World, tmp_path: Path) -> None:
    from bot.reports.ledger import export_ledger

    await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了"))
    out = tmp_path / "ledger.csv"
    count = await export_ledger(world.store, "csv", out, world.services.settings.timezone,
                                None, None)  # fmt: skip
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert count == 1
    assert lines[0] == (
        "id,grid,category,status,reporter,assignee,text,created_at,resolved_at,rating,supporters"
    )
    assert lines[1].startswith("1,A01,市政设施,已受理,张阿姨,李明,")


async def test_each_update_leaves_one_log_line_with_outcome_and_time(
    world: World, caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.plumbing.telemetry")
    message = world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    await world.reply_to(message)
    world.say(ZHANG, "谢谢")
    await world.settle()
    lines = [r.getMessage() for r in caplog.records if r.name == "handlers.plumbing.telemetry"]
    assert len(lines) == 2
    assert lines[0].startswith(f"update=1 chat={A01} kind=message outcome=created#1 ms=")
    assert "outcome=chitchat" in lines[1]
    assert all(world.emu.token not in line for line in lines)
