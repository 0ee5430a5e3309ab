"""Issue 17: members leave the roster (状态 column, `roster remove`, `import --replace`): they
get nothing and can do nothing, and their open issues are handed over."""

from __future__ import annotations

from pathlib import Path

from bot.grids.roster import import_roster
from bot.issues.leaving import hand_over_from
from storage.store import open_store
from tests.cli import gridbot
from tests.world import A01, LI, WANG, ZHANG, ZHAO, ZHOU, World

DEMO = Path(__file__).parents[1] / "bot" / "data" / "demo"
LAMP = "3号楼门口的路灯坏了好几天了"
WITHOUT_LI = (
    "姓名,TelegramID,角色,界别,专长,网格\n"
    "王芳,2002,委员,医卫界,医疗、社保,A01;A02\n"
    "陈刚,2003,委员,农业界,农业,B01\n"
    "赵敏,2100,召集人,联络站,法律,\n"
)


async def test_member_removed_by_reimport_gets_nothing_and_can_do_nothing(
    world: World, tmp_path: Path
) -> None:
    await world.reply_to(world.say(ZHANG, LAMP))
    assert (await world.issue(1)).assignee_id == (await _id(world, LI.id))
    roster = tmp_path / "members.csv"
    roster.write_text(WITHOUT_LI, encoding="utf-8")
    report = await import_roster(world.store, [roster], replace=True)
    assert report.members_left == 1 and report.errors == []
    assert await hand_over_from(world.services, report.left_ids) == 1
    # Handed over: the grid's other member has it, the timeline says why, ZHAO is told.
    handed = await world.private(WANG, "原承办人 李明 已离任")
    assert "#1" in handed.text and LAMP in handed.text
    await world.private(ZHAO, "李明 已离任")
    issue = await world.issue(1)
    assert issue.assignee_id == await _id(world, WANG.id)
    [left] = [e for e in await world.store.issues.events(1) if e.action == "leave"]
    assert "李明 已离任" in left.note and "王芳" in left.note
    # He can change nothing, and new issues are not his.
    world.say(LI, "/take 1", chat=LI.id)
    await world.settle()
    assert (await world.issue(1)).status == "new"
    await world.reply_to(world.say(ZHOU, "2号楼前面的人行道地砖坏了一大片"))
    assert (await world.issue(2)).assignee_id == await _id(world, WANG.id)
    assert not [s for s in world.emu.sent if s.chat_id == LI.id and "#2" in (s.text or "")]


async def test_status_column_makes_a_member_inactive_and_back(
    database_url: str, tmp_path: Path
) -> None:
    store = await open_store(database_url)
    await import_roster(store, [DEMO / "grids.csv", DEMO / "members.csv"])
    roster = tmp_path / "members.csv"
    _li_with_status(roster, "离任")
    report = await import_roster(store, [roster])
    assert report.members_left == 1 and await store.members.by_telegram_id(2001) is None
    grid = await store.grids.by_code("A01")
    assert grid is not None
    assert [m.name for m in await store.members.of_grid(grid.id)] == ["王芳"]
    _li_with_status(roster, "在任")
    await import_roster(store, [roster])
    assert await store.members.by_telegram_id(2001) is not None
    _li_with_status(roster, "休假")
    [error] = (await import_roster(store, [roster])).errors
    assert "第 2 行" in error and "离任/停用" in error
    await store.close()


async def test_roster_remove_by_name_or_id(database_url: str) -> None:
    store = await open_store(database_url)
    await import_roster(store, [DEMO / "grids.csv", DEMO / "members.csv"])
    await store.close()
    env = {"GRIDBOT_DATABASE_URL": database_url}
    ran = await gridbot("roster", "remove", "李明", env=env)
    assert ran.code == 0 and "李明 已离任" in ran.out, ran.err
    ran = await gridbot("roster", "remove", "2002", env=env)
    assert ran.code == 0 and "王芳 已离任" in ran.out, ran.err
    ran = await gridbot("roster", "remove", "李明", env=env)  # gone already
    assert ran.code == 2 and "李明" in ran.err and "Traceback" not in ran.err
    store = await open_store(database_url)
    assert [m.name for m in await store.members.all()] == ["陈刚", "赵敏"]
    await store.close()


async def test_replace_without_a_members_table_is_refused(database_url: str) -> None:
    env = {"GRIDBOT_DATABASE_URL": database_url}
    ran = await gridbot("roster", "import", "--replace", str(DEMO / "grids.csv"), env=env)
    assert ran.code == 2 and "--replace" in ran.err and "Traceback" not in ran.err


def _li_with_status(roster: Path, status: str) -> None:
    roster.write_text(f"姓名,TelegramID,角色,网格,状态\n李明,2001,委员,A01,{status}\n")


async def _id(world: World, telegram_id: int) -> int:
    member = await world.store.members.by_telegram_id(telegram_id)
    assert member is not None
    return member.id


async def test_the_group_sees_nothing_of_the_hand_over(world: World, tmp_path: Path) -> None:
    message = world.say(ZHANG, LAMP)
    await world.reply_to(message)
    before = len(world.emu.messages_in(A01))
    roster = tmp_path / "members.csv"
    roster.write_text(WITHOUT_LI, encoding="utf-8")
    report = await import_roster(world.store, [roster], replace=True)
    await hand_over_from(world.services, report.left_ids)
    await world.private(WANG, "已离任")
    await world.settle()
    assert len(world.emu.messages_in(A01)) == before
