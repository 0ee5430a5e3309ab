"""SPEC §8 time limits: reminders, hand-over, escalation to a coordinator, quiet hours, and
solved issues closing by themselves (§7 Feedback). The clock is moved by hand."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.config import load_settings
from bot.quiet import quiet_until
from bot.schedules import jobs
from tests.conftest import Clock
from tests.schedules import delivered, reported, run_job, sent_to
from tests.world import A01, LI, WANG, ZHANG, ZHAO, Person, World, grid_world

LAMP = "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"  # 市政设施 → 李明 in A01
GAS = "楼下好像煤气泄漏了，味道很大，快来人看看！"  # urgent
SWEEP = "reminders:sweep"


async def test_member_is_reminded_privately_as_the_response_time_nears(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)  # Thursday 10:00, respond by Friday 10:00
    clock.advance(hours=17)  # Friday 03:00
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "提醒") == []  # seven hours left: too early
    clock.advance(hours=4, minutes=30)  # 07:30: a quarter of the time is left, quiet hours over
    await run_job(world, SWEEP)
    reminder = await world.private(LI, "提醒")
    assert "#1" in reminder.text and "响应时限" in reminder.text
    assert "今天 10:00 前" in reminder.text  # read on Friday morning


async def test_issue_not_taken_in_time_is_offered_to_another_member(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)
    clock.advance(hours=24, minutes=5)
    await run_job(world, SWEEP)
    offer = await world.private(WANG, "转派 #1")
    assert "李明" in offer.text and "3号楼" in offer.text
    buttons = [b["callback_data"] for row in offer.reply_markup["inline_keyboard"] for b in row]
    assert "take:1" in buttons
    assert "王芳" in (await world.private(LI, "已转派")).text
    wang = await world.store.members.by_telegram_id(WANG.id)
    assert wang is not None and (await world.issue(1)).assignee_id == wang.id
    events = await world.store.issues.events(1)
    assert [e.action for e in events] == ["created", "hand_over"]
    world.emu.press_button(WANG.id, offer.message_id, WANG.id, "take:1")
    await world.in_group(A01, "已认领")
    assert (await world.issue(1)).status == "taken"


async def test_hand_over_happens_once_when_two_sweeps_race(world: World, clock: Clock) -> None:
    await reported(world, ZHANG, LAMP)
    clock.advance(hours=25)
    await asyncio.gather(*(jobs.run_now(world.services, "reminders", clock.now) for _ in range(3)))
    await delivered(world)
    assert len(sent_to(world, WANG, "转派 #1")) == 1
    assert [e.action for e in await world.store.issues.events(1)].count("hand_over") == 1


async def test_issue_overdue_twice_is_raised_to_a_coordinator(world: World, clock: Clock) -> None:
    await reported(world, ZHANG, LAMP)
    clock.advance(hours=25)
    await run_job(world, SWEEP)  # first miss: handed over to 王芳
    await world.private(WANG, "转派 #1")
    assert sent_to(world, ZHAO, "督办") == []
    clock.advance(hours=25)
    await run_job(world, SWEEP)  # 王芳 misses it too
    await world.private(WANG, "仍未认领")
    raised = await world.private(ZHAO, "督办")
    assert "#1" in raised.text and "两次超期" in raised.text and "王芳" in raised.text
    clock.advance(hours=1)
    await run_job(world, SWEEP)
    assert len(sent_to(world, ZHAO, "督办")) == 1


async def test_solve_limit_is_reminded_before_and_after_it_passes(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)
    world.say(LI, "/take 1")
    await world.in_group(A01, "已认领")
    clock.advance(days=6, hours=1)  # solve by next Thursday 10:00
    await run_job(world, SWEEP)
    soon = await world.private(LI, "⏰ 提醒")
    assert "办结时限：明天 10:00 前" in soon.text  # read on Wednesday 11:00
    assert sent_to(world, LI, "已超过办结时限") == []
    clock.advance(days=1)
    await run_job(world, SWEEP)
    await world.private(LI, "已超过办结时限")
    assert sent_to(world, ZHAO, "督办") == []  # overdue once only
    clock.advance(days=1, hours=1)
    await run_job(world, SWEEP)
    await world.private(LI, "已逾一天")
    await world.private(ZHAO, "督办")


async def test_waiting_on_a_department_does_not_count_as_overdue(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)
    solve_by = (await world.issue(1)).solve_by
    world.say(LI, "/escalate 1 城管局 建议一周内完成维修并回复居民")
    await world.in_group(A01, "已转交")
    clock.advance(days=10)
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "办结时限") == []
    world.say(LI, "/progress 1 城管局回复：下周一来修")
    await world.in_group(A01, "下周一来修")
    assert (await world.issue(1)).solve_by == solve_by + timedelta(days=10)
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "办结时限") == []


async def test_planned_issue_is_overdue_only_after_its_plan_date(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)
    world.say(LI, "/plan 1 2026-12-15 纳入年底道路改造")
    await world.in_group(A01, "已列入计划")
    clock.now = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)  # 20:00 on the plan date
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "已超过办结时限") == []
    clock.now = datetime(2026, 12, 16, 2, 0, tzinfo=UTC)  # the morning after
    await run_job(world, SWEEP)
    late = await world.private(LI, "已超过办结时限")
    assert "12月15日（周二）24:00 前" in late.text  # the whole plan date


async def test_night_reminders_wait_for_the_end_of_quiet_hours(world: World, clock: Clock) -> None:
    await reported(world, ZHANG, LAMP)
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # Friday 23:00 in Shanghai
    await run_job(world, SWEEP)
    assert sent_to(world, WANG, "转派") == []
    held = [m for m, state in await world.store.outbox.all() if m.chat_id == WANG.id]
    assert held and all(m.not_before == datetime(2026, 11, 20, 23, 0, tzinfo=UTC) for m in held)
    clock.now = datetime(2026, 11, 20, 23, 1, tzinfo=UTC)  # Saturday 07:01
    world.services.outbox_ready.set()
    await world.private(WANG, "转派 #1")


async def test_new_issue_at_night_is_acknowledged_now_and_told_to_the_member_at_seven(
    world: World, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 19, 15, 30, tzinfo=UTC)  # Thursday 23:30 in Shanghai
    await reported(world, ZHANG, LAMP)  # the acknowledgement does not wait
    await delivered(world)
    assert sent_to(world, LI, "#1") == []
    clock.now = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)  # Friday 07:00
    await delivered(world)
    assert "新诉求 #1" in (await world.private(LI, "#1")).text


async def test_urgent_reminders_are_sent_at_night(world: World, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 19, 13, 0, tzinfo=UTC)  # Thursday 21:00: respond by 23:00
    await reported(world, ZHANG, GAS)
    issue = await world.issue(1)
    assert issue.urgent
    member = await world.store.members.by_id(issue.assignee_id or 0)
    assert member is not None
    clock.advance(hours=1, minutes=40)  # 22:40, in quiet hours
    await run_job(world, SWEEP)
    reminder = await world.private(Person(member.telegram_id, member.name), "提醒")
    assert "#1" in reminder.text and "23:00" in reminder.text


async def test_solved_issue_without_a_verdict_closes_after_seven_days(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)
    world.say(LI, "/done 1 路灯已修好")
    await world.in_group(A01, "评价")
    clock.advance(days=6, hours=23)
    await run_job(world, SWEEP)
    assert (await world.issue(1)).status == "resolved"
    clock.advance(hours=2)
    await run_job(world, SWEEP)
    post = await world.in_group(A01, "自动结案")
    assert "#1" in post.text and "已办结" in post.text
    issue = await world.issue(1)
    assert issue.status == "closed" and issue.rating is None
    assert (await world.store.issues.events(1))[-1].action == "auto_close"


@pytest.fixture
async def silent_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """李明 never pressed Start: Telegram refuses to let the bot write to him first."""
    async with grid_world(database_url, clock, started=(WANG, ZHAO)) as running:
        yield running


async def test_reminder_to_a_member_who_never_started_the_bot_goes_to_the_group(
    silent_world: World, clock: Clock
) -> None:
    world = silent_world
    await reported(world, ZHANG, LAMP)
    clock.advance(hours=21, minutes=30)
    await run_job(world, SWEEP)
    mention = await world.in_group(A01, "时限提醒")
    assert "#1" in mention.text and "/start" in mention.text


@pytest.mark.parametrize(
    ("local", "until"),
    [
        (time(23, 0), datetime(2026, 11, 20, 7, 0)),
        (time(3, 30), datetime(2026, 11, 19, 7, 0)),
        (time(22, 0), datetime(2026, 11, 20, 7, 0)),
        (time(7, 0), None),
        (time(12, 0), None),
    ],
)
def test_quiet_hours_last_from_ten_at_night_to_seven_in_the_morning(
    local: time, until: datetime | None
) -> None:
    settings = load_settings(env={})
    zone = settings.timezone
    moment = datetime(2026, 11, 19, local.hour, local.minute, tzinfo=zone)
    expected = until.replace(tzinfo=zone) if until else None
    assert quiet_until(settings, moment) == expected
