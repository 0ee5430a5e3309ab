"""Issue 16: a member or coordinator rating an issue they reported themselves is recorded but
kept out of 满意率, and the figures show it separately."""

from __future__ import annotations

from datetime import timedelta

from bot.reports import oversight
from bot.reports.digest import Window
from bot.texts import DEFAULT
from tests.conftest import Clock
from tests.world import A01, LI, ZHANG, ZHAO, Person, World


async def _solved(world: World, who_reports: Person, text: str) -> int:
    report = world.say(who_reports, f"/report {text}")
    await world.reply_to(report)
    issue = await world.store.issues.by_message(A01, report["message_id"])
    assert issue is not None
    world.say(LI, f"/done {issue.id} 已修好")
    return issue.id


async def test_staff_rating_their_own_report_does_not_count_toward_satisfaction(
    world: World, clock: Clock
) -> None:
    own = await _solved(world, LI, "3号楼门口路灯坏了")
    coordinator = await _solved(world, ZHAO, "5号楼楼道灯坏了")
    resident = await _solved(world, ZHANG, "东门口的井盖不见了")
    await world.settle()
    for number, who, verdict in ((own, LI, "s"), (coordinator, ZHAO, "s"),
                                 (resident, ZHANG, "u")):  # fmt: skip
        ask = await world.in_group(A01, f"#{number} 已解决：")
        world.emu.press_button(A01, ask.message_id, who.id, f"rate:{number}:{verdict}")
    await world.settle()
    assert (await world.issue(own)).status == "closed"  # the verdict still takes effect
    assert (await world.issue(own)).rating == "满意"
    services = world.services
    clock.now += timedelta(minutes=1)  # the window ends now, exclusive
    window = Window.ending(services.clock(), services.settings.timezone, days=1)
    grid = await world.store.grids.by_chat(A01)
    assert grid is not None
    verdicts = await world.store.stats.verdicts(window.start, window.end, [grid.id])
    assert verdicts[(grid.id, None)] == (1, 0)  # only the resident's 不满意
    text = await oversight.report(services, [grid], window, "stats_head", True, DEFAULT)
    assert "满意率 0%" in text and "另有 2 件由委员或召集人自评" in text
    timeline = await world.reply_to(world.say(LI, f"/issue {own}"))
    assert "自评" in (timeline.text or "")
