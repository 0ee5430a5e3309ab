"""SPEC §9 Recurring topics: coordinators are offered a 微协商 once per topic.

Issues recurring in a community are looked for by the job `consult:topics` (every ten
minutes); an issue reaching the supporters threshold is offered at once."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot.config import ConfigError, load_settings
from bot.support.topics import offer_topics
from tests.conftest import Clock
from tests.schedules import run_job
from tests.world import A01, A02, LI, LIU, ZHANG, ZHAO, ZHOU, Person, World

# Three different 市政设施 problems in one community: none is a duplicate of another.
LAMP = "3号楼门口的路灯坏了好几天了"
MANHOLE = "东门口的井盖不见了，太危险了"
WATER = "7号楼今天又停水了，一点通知都没有"


async def reported(world: World, who: Person, text: str, chat: int = A01) -> None:
    await world.reply_to(world.say(who, text, chat=chat))


async def swept(world: World) -> None:
    await run_job(world, "consult:topics")


async def offers_to(world: World, who: Person) -> list[str]:
    """The offers `who` has had; the group's updates are handled in order, so once a later
    command is answered, whatever was said before it has been handled."""
    await world.reply_to(world.say(LI, "/consult list"))
    await world.settle()
    return [s.text or "" for s in world.emu.messages_in(who.id) if "协商建议" in (s.text or "")]


async def test_three_issues_of_one_category_reach_coordinator_as_consultation_suggestion(
    world: World,
) -> None:
    await reported(world, ZHANG, LAMP)
    await reported(world, LIU, MANHOLE)
    await swept(world)
    assert await offers_to(world, ZHAO) == []
    await reported(world, ZHOU, WATER)
    await swept(world)
    offer = await world.private(ZHAO, "协商建议")
    for part in ("幸福里社区", "3 件", "市政设施", "#1", "#2", "#3"):
        assert part in offer.text
    # A line the coordinator can send back as it is: the linked issues are filled in.
    assert "/consult new 幸福里社区市政设施问题协商 | 2026-11-26 15:00 |" in offer.text
    assert offer.text.rstrip().endswith("#1 #2 #3")
    assert await offers_to(world, LI) == []  # members are not coordinators


async def test_a_topic_is_offered_only_once(world: World) -> None:
    for who, text in ((ZHANG, LAMP), (LIU, MANHOLE), (ZHOU, WATER)):
        await reported(world, who, text)
    # Two sweeps at once (two bot processes): the topic's key lets only one offer it.
    now = world.services.clock()
    runs = [offer_topics(world.services, now), offer_topics(world.services, now)]
    assert sorted(await asyncio.gather(*runs)) == [0, 1]
    await world.private(ZHAO, "协商建议")
    await swept(world)
    await reported(world, ZHANG, "小区北门的路面塌了一个大坑")  # offered issues do not count
    await swept(world)
    assert len(await offers_to(world, ZHAO)) == 1
    assert len(await world.store.topics.offers()) == 1


async def test_issues_in_all_grids_of_the_community_count_together(world: World) -> None:
    world.say(ZHAO, "/bind A02", chat=A02)
    await world.in_group(A02, "已将本群绑定")
    await reported(world, ZHANG, LAMP)
    await reported(world, LIU, MANHOLE)
    await reported(world, ZHOU, WATER, chat=A02)
    await swept(world)
    offer = await world.private(ZHAO, "协商建议")
    assert "#3 A02" in offer.text


async def test_issues_older_than_the_window_do_not_count(world: World, clock: Clock) -> None:
    await reported(world, ZHANG, LAMP)
    await reported(world, LIU, MANHOLE)
    clock.advance(days=15)
    await reported(world, ZHOU, WATER)
    await swept(world)
    assert await offers_to(world, ZHAO) == []


async def test_five_supporters_on_one_issue_reach_coordinator(world: World) -> None:
    message = world.say(ZHANG, LAMP)
    await world.reply_to(message)
    for n in range(5):
        world.emu.add_user(3000 + n, f"居民{n}")
        world.emu.post_message(A01, 3000 + n, "+1", reply_to=message["message_id"])
        if n == 3:
            assert await offers_to(world, ZHAO) == []
    offer = await world.private(ZHAO, "协商建议")
    assert "已有 5 位居民附议" in offer.text and "| #1" in offer.text


async def test_thresholds_come_from_configuration(world: World) -> None:
    settings = load_settings(env={"GRIDBOT_TOPIC_ISSUES": "2", "GRIDBOT_TOPIC_DAYS": "3"})
    assert (settings.topic_issues, settings.topic_days, settings.topic_supporters) == (2, 3, 5)
    with pytest.raises(ConfigError, match="GRIDBOT_TOPIC_SUPPORTERS"):
        load_settings(env={"GRIDBOT_TOPIC_SUPPORTERS": "0"})
    world.services.settings = dataclasses.replace(world.services.settings, topic_issues=2)
    await reported(world, ZHANG, LAMP)
    await reported(world, LIU, MANHOLE)
    await swept(world)
    assert "2 件" in (await world.private(ZHAO, "协商建议")).text
