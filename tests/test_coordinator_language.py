"""SPEC §7 language, for coordinators: their figures (/stats, the weekly private digest),
topic offers and spot checks are written in their own script (that of the grids they serve),
not in the county's default; a coordinator of grids in both scripts reads the default."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.reports.digest import Window
from bot.reports.oversight import coordinator_messages
from bot.reports.spotcheck import Quarter, spotcheck_messages
from bot.texts import TRADITIONAL
from tests.schedules import run_job
from tests.world import A01, LI, LIU, ZHANG, ZHAO, ZHOU, World

REPORTS = ("3号楼门口的路灯坏了好几天了", "东门口的井盖不见了，太危险了", "7号楼今天又停水了")


async def traditional(world: World, *codes: str) -> None:
    for grid in await world.store.grids.all():
        if grid.code in codes:
            await world.store.grids.set_options(grid.id, language=TRADITIONAL)


async def three_reports(world: World) -> None:
    for who, text in zip((ZHANG, LIU, ZHOU), REPORTS, strict=True):
        await world.reply_to(world.say(who, text))


async def test_coordinator_of_traditional_grids_reads_figures_offers_and_checks_in_traditional(
    world: World,
) -> None:
    await traditional(world, "A01", "A02", "B01")  # 赵敏 oversees every grid
    stats = await world.reply_to(world.say(ZHAO, "/stats", chat=ZHAO.id))
    assert "📈 統計" in stats.text and "個網格" in stats.text and "统计" not in stats.text
    await three_reports(world)
    await run_job(world, "consult:topics")
    offer = await world.private(ZHAO, "協商建議")
    assert "市政設施問題協商 | 2026-11-26 15:00 |" in offer.text
    services, grids = world.services, await world.store.grids.all()
    window = Window.ending(services.clock(), services.settings.timezone)
    [digest] = await coordinator_messages(services, window, grids)
    assert digest.chat_id == ZHAO.id and "📈 召集人週報" in digest.text and "個網格" in digest.text
    new_year = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    quarter = Quarter.before(new_year, services.settings.timezone)
    [check] = await spotcheck_messages(services, quarter, grids)
    assert check.chat_id == ZHAO.id and "無需抽查" in check.text


async def test_coordinator_of_grids_in_both_scripts_reads_the_default(world: World) -> None:
    await traditional(world, "A01")
    stats = await world.reply_to(world.say(ZHAO, "/stats", chat=ZHAO.id))
    assert "📈 统计" in stats.text
    await three_reports(world)
    await run_job(world, "consult:topics")
    assert (
        "/consult new 幸福里社区市政设施问题协商 |" in (await world.private(ZHAO, "协商建议")).text
    )
    # In the Traditional group, the group's grid decides.
    assert "📈 統計" in (await world.reply_to(world.say(LI, "/stats", chat=A01))).text
