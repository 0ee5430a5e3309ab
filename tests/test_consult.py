"""SPEC §9 /consult: a 微协商 is scheduled, announced with a poll, reminded, minuted, and the
linked issues carry the outcome in their timelines."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.consult.reminders import remind_meetings
from bot.reports import digest, oversight
from bot.reports.digest import Window
from bot.texts import DEFAULT
from storage.database import Database, alembic_config
from storage.store import Store
from tests.conftest import Clock
from tests.world import A01, LI, LIU, WANG, ZHANG, ZHAO, ZHOU, World

LAMP = "3号楼门口的路灯坏了好几天了"
MANHOLE = "东门口的井盖不见了，太危险了"
NEW = "/consult new 路灯和井盖问题协商 | 2026-11-26 15:00 | 社区议事厅 | #1 #2"


async def two_issues(world: World) -> None:
    await world.reply_to(world.say(ZHANG, LAMP))
    await world.reply_to(world.say(LIU, MANHOLE))


async def scheduled(world: World, line: str = NEW) -> int:
    world.say(LI, line)
    poll = await world.emu.wait_for(lambda s: s.method == "sendPoll")
    await world.settle()  # the poll's id is kept once Telegram has answered; votes come after
    return poll.message_id


async def test_meeting_is_announced_polled_minuted_and_issues_carry_the_outcome(
    world: World,
) -> None:
    await two_issues(world)
    poll_message = await scheduled(world)
    notice = await world.in_group(A01, "微协商预告")
    for part in ("编号 1", "路灯和井盖问题协商", "11月26日（周四）15:00", "社区议事厅", "#1 #2"):
        assert part in notice.text
    [poll] = world.emu.polls
    assert poll["poll"]["is_anonymous"] is False
    assert [o["text"] for o in poll["poll"]["options"]] == ["参加", "不参加", "待定"]
    world.emu.vote_poll(A01, poll_message, ZHANG.id, [0])
    world.emu.vote_poll(A01, poll_message, LIU.id, [2])
    world.emu.vote_poll(A01, poll_message, ZHOU.id, [0])
    await world.settle()
    meeting = await world.store.meetings.get(1)
    assert meeting is not None and meeting.votes == (2, 0, 1)
    minuting = world.say(LI, "/consult minutes 1 物业承诺本周内修好路灯、补上井盖。\n结论：已解决")
    assert "已更新 #1 #2" in (await world.reply_to(minuting)).text
    minutes = await world.in_group(A01, "微协商纪要")
    assert "物业承诺本周内修好路灯" in minutes.text
    for number in (1, 2):
        issue = await world.issue(number)
        assert issue.status == "resolved"
        notes = [e.note for e in await world.store.issues.events(number)]
        assert any("列入微协商（编号 1）" in note for note in notes)
        assert any("物业承诺本周内修好路灯" in note and "已解决" in note for note in notes)
    post = await world.in_group(A01, "#2 已解决")
    assert "微协商" in post.text and post.reply_to_message_id == 3  # LIU's report


async def test_minutes_without_a_conclusion_note_the_outcome_and_keep_the_status(
    world: World,
) -> None:
    await two_issues(world)
    await scheduled(world)
    world.say(LI, "/take 2")
    await world.in_group(A01, "已认领")
    await world.reply_to(world.say(WANG, "/consult minutes 1 请城管和物业下周联合勘察"))
    await world.in_group(A01, "微协商纪要")
    post = await world.in_group(A01, "#1 协商结果：微协商")
    assert "联合勘察" in post.text and "当前状态：已受理" in post.text
    assert [(await world.issue(n)).status for n in (1, 2)] == ["new", "taken"]
    timeline = await world.reply_to(world.say(LI, "/issue 2"))
    assert "微协商" in timeline.text and "联合勘察" in timeline.text
    answer = await world.reply_to(world.say(LI, "/consult minutes 1 再记一次"))
    assert "已记录过纪要" in answer.text


async def test_group_is_reminded_the_day_before_once(world: World, clock: Clock) -> None:
    await two_issues(world)
    await scheduled(world)
    assert await remind_meetings(world.services, clock()) == 0
    clock.now = clock.now.replace(day=25, hour=7, minute=5)  # Wed 15:05 in Shanghai
    assert await remind_meetings(world.services, clock()) == 1
    reminder = await world.in_group(A01, "微协商提醒")
    assert "11月26日（周四）15:00" in reminder.text and "社区议事厅" in reminder.text
    assert await remind_meetings(world.services, clock() + timedelta(minutes=10)) == 0


async def test_consult_mistakes_get_one_line_answers(world: World) -> None:
    await two_issues(world)
    for line in ("/consult", "/consult new 只有标题", "/consult minutes x 纪要", "/consult what"):
        answer = await world.reply_to(world.say(LI, line))
        assert answer.text.startswith("用法") and "\n" not in answer.text
    past = "/consult new 协商 | 2026-11-01 15:00 | 议事厅"
    assert "时间应为" in (await world.reply_to(world.say(LI, past))).text
    assert "时间应为" in (await world.reply_to(world.say(LI, "/consult new a | 明天 | b"))).text
    assert "#9" in (await world.reply_to(world.say(LI, NEW.replace("#2", "#9")))).text
    assert "没有编号为 5" in (await world.reply_to(world.say(LI, "/consult minutes 5 x"))).text
    assert await world.store.meetings.of_grids([1]) == []


async def test_only_members_and_coordinators_of_the_grid_may_organise(world: World) -> None:
    await two_issues(world)
    assert "只有本网格" in (await world.reply_to(world.say(LIU, NEW))).text
    await scheduled(world)
    refused = await world.reply_to(world.say(ZHANG, "/consult minutes 1 我来写纪要"))
    assert "只有本网格" in refused.text
    assert (await world.issue(1)).status == "new"


async def test_coordinator_schedules_in_private_from_the_suggested_line(world: World) -> None:
    await two_issues(world)
    world.say(ZHAO, NEW, chat=ZHAO.id)
    answer = await world.private(ZHAO, "已发布微协商预告")
    assert "/consult minutes 1" in answer.text
    await world.in_group(A01, "微协商预告")
    listed = await world.reply_to(world.say(LIU, "/consult list"))
    assert "编号 1" in listed.text and "待召开" in listed.text and "#1 #2" in listed.text


async def test_digests_show_the_meetings(world: World, clock: Clock) -> None:
    await two_issues(world)
    await scheduled(world)
    await world.in_group(A01, "微协商预告")
    services = world.services
    window = Window.ending(clock() + timedelta(days=1), services.settings.timezone)
    grids = await world.store.grids.all()
    collected = await digest.collect(services, window, grids)
    [a01] = [found for found in collected if found.grid.code == "A01"]
    weekly = digest.render(services, a01, window)
    assert "微协商：本期召开 0 场，待召开 1 场" in weekly and "路灯和井盖问题协商" in weekly
    report = await oversight.report(services, grids, window, "oversight_head", True, DEFAULT)
    assert "编号 1 A01" in report


def _to_0002(connection: Connection) -> None:
    from alembic.runtime.migration import MigrationContext

    config = alembic_config(connection)
    if MigrationContext.configure(connection).get_current_revision() is None:
        command.upgrade(config, "0002")
    else:  # the PostgreSQL fixture is a copy of a migrated template: go back down
        command.downgrade(config, "0002")


async def test_database_of_revision_0002_upgrades_keeping_its_outbox(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_to_0002)
            at = "2026-11-19 02:00:00"
            await conn.execute(
                text(
                    "INSERT INTO outbox (kind, chat_id, text, created_at, not_before) "
                    "VALUES ('ack', -100, '✅ 已受理 #1', :at, :at)"
                ).bindparams(at=at if db.dialect == "sqlite" else Clock()())
            )
        await db.migrate()
        [(message, state)] = await Store(db).outbox.all()
        assert (message.text, message.poll, state) == ("✅ 已受理 #1", None, "pending")
        assert await Store(db).meetings.of_grids([1]) == []
    finally:
        await db.close()
