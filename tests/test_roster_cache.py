"""Issue 9: the roster is read from memory, and changes reach it — at once when made by this
process, within a second when made by another (a roster import while the bot runs)."""

from __future__ import annotations

from storage.roster_cache import FRESH
from storage.store import open_store


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_own_change_is_seen_at_once(database_url: str) -> None:
    store = await open_store(database_url)
    await store.grids.save("A01", "一网格", "东社区", "街道", "区", -100)
    assert (await store.grids.by_chat(-100)) is not None
    await store.grids.bind("A01", -200)
    assert await store.grids.by_chat(-100) is None
    grid = await store.grids.by_chat(-200)
    assert grid is not None and grid.code == "A01"
    await store.close()


async def test_another_process_change_is_seen_within_a_second(database_url: str) -> None:
    bot, importer = await open_store(database_url), await open_store(database_url)
    ticks = Ticks()
    bot.grids.roster.clock = ticks
    await importer.grids.save("A01", "一网格", "东社区", "街道", "区", -100)
    assert await bot.grids.by_code("A01") is not None
    await importer.members.save(7, "王委员", "member", "", ["市政"], ["A01"])
    grid = await bot.grids.by_code("A01")
    assert grid is not None
    assert await bot.members.of_grid(grid.id) == []  # not yet looked again
    ticks.now += FRESH
    [member] = await bot.members.of_grid(grid.id)
    assert (member.name, member.grid_codes) == ("王委员", ("A01",))
    await bot.close()
    await importer.close()


async def test_any_write_to_the_roster_tables_moves_the_version(database_url: str) -> None:
    """Triggers, not the storage code, move it: so does a change made with plain SQL."""
    from sqlalchemy import select, text

    from storage.schema import roster_version

    store = await open_store(database_url)

    async def version() -> int:
        async with store.db.read() as conn:
            return int((await conn.execute(select(roster_version.c.version))).scalar_one())

    before = await version()
    await store.grids.save("A01", "一网格", "东社区", "街道", "区", None)
    after_save = await version()
    async with store.db.transaction() as conn:
        await conn.execute(text("UPDATE grids SET name = '改名' WHERE code = 'A01'"))
    assert before < after_save < await version()
    await store.close()


async def test_coordinators_without_grids_oversee_every_grid(database_url: str) -> None:
    store = await open_store(database_url)
    await store.grids.save("A01", "一网格", "东社区", "街道", "区", None)
    await store.grids.save("A02", "二网格", "东社区", "街道", "区", None)
    await store.members.save(1, "张召集", "coordinator", "", [], [])
    await store.members.save(2, "李召集", "coordinator", "", [], ["A02"])
    await store.members.save(3, "王委员", "member", "", [], ["A01"])
    a01, a02 = await store.grids.by_code("A01"), await store.grids.by_code("A02")
    assert a01 is not None and a02 is not None
    assert [m.name for m in await store.members.coordinators_of(a01.id)] == ["张召集"]
    assert [m.name for m in await store.members.coordinators_of(a02.id)] == ["张召集", "李召集"]
    assert [m.name for m in await store.members.of_grid(a01.id)] == ["王委员"]
    await store.close()


async def test_a_whole_roster_import_is_seen_by_another_process(database_url: str) -> None:
    """A bulk import moves the version once, at its end (PostgreSQL's trigger waits for it)."""
    from storage.roster_records import RosterGrid, RosterMember

    bot, importer = await open_store(database_url), await open_store(database_url)
    ticks = Ticks()
    bot.grids.roster.clock = ticks
    assert await bot.grids.all() == []
    await importer.enrolment.save_grids([RosterGrid("A01", "一网格")])
    await importer.enrolment.save_members([RosterMember("王委员", 7, "member", "", (), ("A01",))],
                                          replace=False)  # fmt: skip
    ticks.now += FRESH
    [grid] = await bot.grids.all()
    [member] = await bot.members.of_grid(grid.id)
    assert member.name == "王委员"
    # Outside a bulk import the trigger moves the version as before.
    await importer.grids.save("A02", "二网格", "", "", "", None)
    ticks.now += FRESH
    assert [g.code for g in await bot.grids.all()] == ["A01", "A02"]
    await bot.close()
    await importer.close()
