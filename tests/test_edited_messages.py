"""SPEC §7 / issue 16: an edit never runs a command; an edited /report updates its issue;
channel posts forwarded into the group and posts "as a channel" are not residents' reports."""

from __future__ import annotations

from tests.world import A01, LI, ZHANG, World

CHANNEL = {"id": -1002222222222, "type": "channel", "title": "社区公众号"}
TELEGRAM = {"id": 777000, "is_bot": False, "first_name": "Telegram"}


async def test_a_fixed_typo_in_a_command_posts_nothing_again(world: World) -> None:
    await world.reply_to(world.say(ZHANG, "/report 3号楼门口路灯坏了"))
    command = world.say(LI, "/progress 1 已联系施工对")
    await world.in_group(A01, "施工对")
    world.emu.edit_message(A01, command["message_id"], "/progress 1 已联系施工队")
    await world.settle()
    events = [e for e in await world.store.issues.events(1) if e.action == "progress"]
    assert [e.note for e in events] == ["已联系施工对"]
    assert not [s for s in world.emu.messages_in(A01) if "施工队" in (s.text or "")]


async def test_an_old_message_edited_into_a_command_changes_nothing(world: World) -> None:
    await world.reply_to(world.say(ZHANG, "/report 3号楼门口路灯坏了"))
    await world.reply_to(world.say(ZHANG, "/report 5号楼楼道灯坏了"))
    old = world.say(LI, "收到，马上去看")
    await world.settle()
    for command in ("/done 2 已修好", "/take 1", "/issue 1", "/open"):
        world.emu.edit_message(A01, old["message_id"], command)
    await world.settle()
    assert (await world.issue(2)).status == "new" and (await world.issue(1)).status == "new"
    assert not [s for s in world.emu.sent if s.reply_to_message_id == old["message_id"]]


async def test_an_edited_report_command_updates_its_issue(world: World) -> None:
    report = world.say(ZHANG, "/report 3号楼门口路灯坏了")
    await world.reply_to(report)
    world.emu.edit_message(A01, report["message_id"], "/report 3号楼门口井盖不见了")
    await world.settle()
    issue = await world.issue(1)
    assert issue.text == "3号楼门口井盖不见了"
    assert await world.store.issues.count() == 1


async def test_channel_forwards_and_posts_as_a_channel_are_not_reports(world: World) -> None:
    lamp = "3号楼门口的路灯坏了好几天了，晚上出门很不方便"
    forwarded = world.emu.new_message(
        A01, TELEGRAM, text=lamp, sender_chat=CHANNEL, is_automatic_forward=True
    )
    world.emu.queue_update("message", forwarded)
    as_channel = world.emu.new_message(
        A01, world.emu.users[ZHANG.id], text=f"/report {lamp}", sender_chat=CHANNEL
    )
    world.emu.queue_update("message", as_channel)
    from_telegram = world.emu.new_message(A01, TELEGRAM, text=lamp)
    world.emu.queue_update("message", from_telegram)
    await world.settle()
    assert await world.store.issues.count() == 0
    ids = {m["message_id"] for m in (forwarded, as_channel, from_telegram)}
    assert not [s for s in world.emu.sent if s.reply_to_message_id in ids]
