"""Issue 16: polls go as plain text (no HTML escapes like 水&amp;电) within Telegram's limits."""

from __future__ import annotations

import json

from tests.world import LI, ZHANG, World

LONG_OPTION = "水&电分开" + "节能" * 47  # 99 characters: just within an option's limit


def _polls(world: World) -> list[dict[str, object]]:
    return [s.payload for s in world.emu.sent if s.method == "sendPoll"]


def _options(poll: dict[str, object]) -> list[str]:
    raw = poll["options"]
    options = json.loads(raw) if isinstance(raw, str) else raw
    return [o["text"] if isinstance(o, dict) else str(o) for o in options]  # type: ignore[union-attr]


async def test_polls_are_plain_text_within_telegrams_limits(world: World) -> None:
    await world.reply_to(world.say(ZHANG, "/report 3号楼水电表箱坏了"))
    title = "水&电<改造>" + "方案" * 45
    world.say(LI, f"/consult online {title} | {LONG_OPTION} | 修旧的 | 截止 2026-11-20 18:00 | #1")
    world.say(LI, "/consult new 水&电改造 | 2026-11-25 15:00 | 社区活动室 | #1")
    await world.settle()
    polls = _polls(world)
    assert len(polls) == 2
    for poll in polls:
        question = str(poll["question"])
        assert "&amp;" not in question and "&lt;" not in question and "水&电" in question
        assert len(question) <= 300
        assert all(1 <= len(option) <= 100 for option in _options(poll))
    assert LONG_OPTION in _options(polls[0])
