"""SPEC §9 Supporters (附议): "+1" replies and 👍 second an issue instead of opening one."""

from __future__ import annotations

import asyncio
import csv
import time
from pathlib import Path
from typing import Any

from bot.reports.ledger import export_ledger
from tests.world import A01, LI, LIU, ZHANG, ZHOU, Person, World

LAMP = "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"


async def reported(world: World, text: str = LAMP) -> tuple[dict[str, Any], Any]:
    message = world.say(ZHANG, text)
    return message, await world.reply_to(message)


async def supporters(world: World, number: int) -> list[tuple[str, str]]:
    return [(s.name, s.via) for s in await world.store.supporters.of_issue(number)]


def shown(world: World, message_id: int) -> str:
    """The text of a bot message as the group sees it now, after any edits."""
    return str(world.emu.messages[(A01, message_id)]["text"])


async def shows(world: World, message_id: int, text: str, timeout: float = 5.0) -> None:
    """Wait until a bot message reads `text` (the count is edited in by the outbox sender);
    a chat's updates are handled in order, so everything said before is handled by then."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while text not in shown(world, message_id):
        assert loop.time() < give_up, f"never showed {text!r}: {shown(world, message_id)!r}"
        await asyncio.sleep(0.02)


def react(world: World, who: Person, message_id: int, new: str | None, old: str | None) -> None:
    emoji = [{"type": "emoji", "emoji": e} for e in (new,) if e]
    before = [{"type": "emoji", "emoji": e} for e in (old,) if e]
    world.emu.post_raw_update({"message_reaction": {
        "chat": world.emu.chats[A01], "message_id": message_id, "user": world.emu.users[who.id],
        "date": int(time.time()), "old_reaction": before, "new_reaction": emoji,
    }})  # fmt: skip


async def test_plus_one_reply_adds_supporter_instead_of_new_issue(world: World) -> None:
    message, ack = await reported(world)
    world.say(LIU, "+1", reply_to=message["message_id"])
    world.say(ZHOU, "我家也这样！", reply_to=ack.message_id)
    await shows(world, ack.message_id, "附议 2 人")
    assert await world.store.issues.count() == 1
    assert await supporters(world, 1) == [("刘师傅", "reply"), ("小周", "reply")]
    await world.settle()
    # The count is edited into the acknowledgement: no new message per supporter.
    assert [s.message_id for s in world.emu.messages_in(A01)] == [ack.message_id]


async def test_reply_with_a_new_problem_is_still_a_new_issue(world: World) -> None:
    message, _ = await reported(world)
    garbage = "另外小区垃圾站好几天没人清运了，臭死了"
    reply = world.say(LIU, garbage, reply_to=message["message_id"])
    assert "#2" in (await world.reply_to(reply)).text
    assert (await world.issue(2)).category == "环境卫生"
    # Agreeing words around another problem of the same category: still its own issue.
    reply = world.say(ZHOU, "我家也停水了", reply_to=message["message_id"])
    assert "#3" in (await world.reply_to(reply)).text
    assert await supporters(world, 1) == []


async def test_chitchat_reply_is_neither_support_nor_issue(world: World) -> None:
    message, ack = await reported(world)
    world.say(LIU, "谢谢", reply_to=message["message_id"])
    world.say(ZHOU, "+1", reply_to=message["message_id"])
    await shows(world, ack.message_id, "附议 1 人")
    assert await world.store.issues.count() == 1
    assert await supporters(world, 1) == [("小周", "reply")]


async def test_supporting_twice_counts_once_and_reporter_is_not_a_supporter(
    world: World,
) -> None:
    message, ack = await reported(world)
    for who, text in ((LIU, "+1"), (LIU, "顶"), (ZHANG, "+1"), (ZHANG, "同样问题"), (ZHOU, "1")):
        world.say(who, text, reply_to=message["message_id"])
    await shows(world, ack.message_id, "附议 2 人")
    assert await supporters(world, 1) == [("刘师傅", "reply"), ("小周", "reply")]
    assert await world.store.issues.count() == 1


async def test_thumbs_up_reaction_adds_and_withdraws_supporter(world: World) -> None:
    message, ack = await reported(world)
    react(world, ZHANG, message["message_id"], "👍", None)  # the reporter's own: not counted
    react(world, LIU, ack.message_id, "👍", None)
    react(world, ZHOU, message["message_id"], "👍", None)
    await shows(world, ack.message_id, "附议 2 人")
    assert await supporters(world, 1) == [("刘师傅", "reaction"), ("小周", "reaction")]
    react(world, ZHOU, message["message_id"], None, "👍")
    await shows(world, ack.message_id, "附议 1 人")
    assert await supporters(world, 1) == [("刘师傅", "reaction")]


async def test_supporters_hear_of_progress_privately_only_if_they_started_the_bot(
    world: World,
) -> None:
    message, _ = await reported(world)
    world.say(ZHOU, "/start", chat=ZHOU.id)
    await world.private(ZHOU, "您好")
    world.say(ZHOU, "我也是", reply_to=message["message_id"])
    world.say(LIU, "+1", reply_to=message["message_id"])
    await world.settle()
    world.say(LI, "/take 1")
    update = await world.private(ZHOU, "您附议的诉求 #1")
    assert "已认领" in update.text
    await world.settle()
    assert [s.text for s in world.emu.messages_in(LIU.id)] == []


async def test_timeline_and_ledger_show_supporters(world: World, tmp_path: Path) -> None:
    message, _ = await reported(world)
    world.say(LIU, "+1", reply_to=message["message_id"])
    world.say(ZHOU, "附议", reply_to=message["message_id"])
    await world.settle()
    timeline = await world.reply_to(world.say(LI, "/issue 1"))
    assert "刘师傅 附议" in timeline.text
    out = tmp_path / "ledger.csv"
    await export_ledger(world.store, "csv", out, world.services.settings.timezone, None, None)
    with out.open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["supporters"] == "2"
