"""SPEC §8 digests: the weekly digest in each grid group (with a chart), coordinators' figures
in private, /stats and /digest on demand, and each run once per period."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageFont

from bot.chunks import split_text, units
from bot.config import ConfigError, load_settings
from bot.reports import digest
from bot.reports.canvas import whole_ticks
from bot.reports.charts import ChartLabels, digest_chart, draw
from bot.reports.painting import font, missing_glyphs
from bot.schedules import jobs
from bot.services import build_services
from storage.records import IssueDraft, IssueEvent
from storage.statuses import Status
from tests.conftest import Clock
from tests.schedules import delivered, reported, run_job, sent_to
from tests.world import A01, LI, LIU, WANG, ZHANG, ZHAO, ZHOU, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n"
LABELS = ChartLabels("本周概况", "本周新增（按类别）", "新增", "解决", "未办结", "超期", "无")


async def a_week_of_issues(world: World, clock: Clock) -> None:
    """Three issues on Thursday: one solved and rated 满意, two never taken."""
    await reported(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的")
    await reported(world, LIU, "小区东门的垃圾好几天没人清了，臭得很")
    await reported(world, ZHOU, "5号楼电梯又坏了，老人上不去楼")
    world.say(LI, "/take 1")
    world.say(LI, "/done 1 路灯已更换")
    ask = await world.in_group(A01, "评价")
    world.emu.press_button(A01, ask.message_id, ZHANG.id, "rate:1:s")
    await world.in_group(A01, "已办结")
    clock.advance(days=6, hours=5)  # next Wednesday 15:00: #2 and #3 are overdue


def photos_in(world: World, chat: int) -> list[bytes]:
    return [
        world.emu.file_bytes(s.payload["photo"]["file_id"])
        for s in world.emu.sent
        if s.chat_id == chat and s.method == "sendPhoto"
    ]


async def test_weekly_digest_in_the_group_has_counts_categories_oldest_and_a_chart(
    world: World, clock: Clock
) -> None:
    await a_week_of_issues(world, clock)
    await run_job(world, "digest:weekly")
    text = (await world.in_group(A01, "周报")).text
    assert "本周新增 3 件，解决 1 件；未办结 2 件，其中超期 2 件。" in text
    assert "满意率：100%（1/1）" in text
    for number in (1, 2, 3):
        category = (await world.issue(number)).category
        assert category in text.split("分类：", 1)[1]
    oldest = text.split("等待最久的诉求：", 1)[1]
    assert "#2" in oldest and "#3" in oldest and "#1" not in oldest and "已等待 6 天" in oldest
    [chart] = photos_in(world, A01)
    assert chart.startswith(PNG) and len(chart) > 10_000
    assert Image.open(io.BytesIO(chart)).size == (800, 640)  # with the trend panel


async def test_digest_chart_names_the_grid_and_period_and_shows_eight_weeks(
    world: World, clock: Clock
) -> None:
    await a_week_of_issues(world, clock)
    window = digest.Window.ending(clock.now, SHANGHAI)
    [a01] = [g for g in await world.store.grids.all() if g.code == "A01"]
    [found] = await digest.collect(world.services, window, [a01])
    spec = digest.messages(world.services, found, window)[-1].media
    assert spec is not None
    data = json.loads(spec)
    labels = ChartLabels(**data["labels"])
    assert labels.title.startswith("幸福里第一网格") and "至" in labels.title
    trend = [tuple(point) for point in data["trend"]]
    assert len(trend) == 8 and trend[-1][1:] == (3, 1)  # this week: 3 new, 1 solved
    assert all(point[1:] == (0, 0) for point in trend[:-1])
    chart = draw(labels, tuple(data["week"]), data["categories"], trend)
    words = chart.words()
    assert labels.title in words and labels.trend in words and "件数" in words
    overview, categories, weeks = chart.panels
    assert overview.ticks == weeks.ticks == [0, 1, 2, 3]  # whole numbers, room above 3
    assert categories.ticks == [0, 1]
    assert [day for day, _, _ in trend] == [w for w in words if "/" in w]  # the weeks, in order


def test_value_axes_count_in_whole_steps_of_one_two_or_five_times_ten() -> None:
    assert whole_ticks(1.2) == [0, 1]
    assert whole_ticks(8.4) == [0, 2, 4, 6, 8]
    assert whole_ticks(69.6) == [0, 20, 40, 60]
    assert whole_ticks(120) == [0, 25, 50, 75, 100]


async def test_coordinator_gets_figures_per_grid_and_member_overdue_and_unreachable(
    world: World, clock: Clock
) -> None:
    for member in (LI, WANG, ZHAO):
        world.say(member, "/start", chat=member.id)
        await world.private(member, "私聊通知已开通")
    await a_week_of_issues(world, clock)
    await run_job(world, "digest:weekly")
    text = (await world.private(ZHAO, "召集人周报")).text
    figures = (
        "响应率 33%（1/3），按时响应率 33%（1/3），解决率 33%（1/3），按时办结率 100%（1/1），"
        "满意率 100%（1/1），超期 2 件"
    )
    assert f"A01 幸福里第一网格：{figures}" in text
    assert "李明：响应率" in text
    assert "超期诉求（2 件）" in text and "#2 A01" in text and "#3 A01" in text
    assert "另有 2 个网格期内没有诉求" in text
    unreachable = text.split("无法私聊的委员", 1)[1]
    assert "陈刚（B01）" in unreachable and "李明" not in unreachable
    assert sent_to(world, LI, "召集人周报") == []  # members are not coordinators


def test_chart_draws_chinese_in_a_font_that_has_every_glyph() -> None:
    png = digest_chart(LABELS, (5, 3, 7, 2), {"市政设施": 3, "环境卫生": 2, "邻里纠纷": 1})
    image = Image.open(io.BytesIO(png)).convert("L")
    assert png.startswith(PNG) and image.size == (800, 380)
    assert image.getextrema()[0] < 64  # ink on the page, not a blank picture
    words = "".join(draw(LABELS, (5, 3, 7, 2), {"市政设施": 3}).words())
    assert "新增" in words and missing_glyphs(font(14), words + "本週訴求") == []


def test_a_font_without_chinese_is_found_out() -> None:
    """The control for the test above: the missing glyphs it looks for are found."""
    latin = ImageFont.load_default(14)
    assert missing_glyphs(latin, "新增 ab") == ["新", "增"]


async def test_two_processes_send_the_weekly_digest_once(world: World, clock: Clock) -> None:
    await reported(world, ZHANG, "3号楼门口的路灯坏了好几天了")
    other = await build_services(world.services.settings, clock=clock)
    try:
        outcomes = await asyncio.gather(
            jobs.run_scheduled(world.services, "digest", clock.now),
            jobs.run_scheduled(other, "digest", clock.now),
        )
    finally:
        await other.close()
    assert sorted(outcome.ran for outcome in outcomes) == [False, True]
    charts = [m for m, _ in await world.store.outbox.all() if m.kind == "digest_chart"]
    assert len(charts) == 1


async def test_missed_digest_is_caught_up_once_after_a_restart(world: World, clock: Clock) -> None:
    assert await world.store.jobs.runs("digest:weekly") == []  # a fresh install owes nothing
    await reported(world, ZHANG, "3号楼门口的路灯坏了好几天了")
    clock.advance(days=8)  # down over Thursday 15:00; back on Friday
    first = await jobs.catch_up(world.services, clock.now)
    again = await jobs.catch_up(world.services, clock.now)
    assert [o.period for o in first if o.ran and o.job == "digest:weekly"] == ["2026-W48"]
    assert not [o for o in again if o.ran and o.job == "digest:weekly"]
    await delivered(world)
    assert len(sent_to(world, A01, "周报")) == 1


async def test_schedules_are_rebuilt_at_start_thursday_three_pm_and_quarterly(
    world: World, clock: Clock
) -> None:
    queue = world.local.app.job_queue
    assert queue is not None
    installed = {job.name for job in queue.jobs()}
    assert {job.name for job in jobs.JOBS} <= installed  # one registry for both
    [digest] = queue.get_jobs_by_name("digest:weekly")
    [spotcheck] = queue.get_jobs_by_name("spotcheck:quarterly")
    # Under the emulator the jobs wait for the test; their triggers are the real ones.
    assert not digest.enabled and not spotcheck.enabled
    weekly = digest.job.trigger.get_next_fire_time(None, clock())
    local = weekly.astimezone(SHANGHAI)
    assert (local.weekday(), local.hour, local.minute) == (3, 15, 0)
    quarterly = spotcheck.job.trigger.get_next_fire_time(None, clock())
    local = quarterly.astimezone(SHANGHAI)
    assert (local.month in (1, 4, 7, 10), local.day, local.hour) == (True, 1, 9)


async def test_stats_command_gives_rates_to_members_and_refuses_residents(
    world: World, clock: Clock
) -> None:
    await a_week_of_issues(world, clock)
    answer = await world.reply_to(world.say(LI, "/stats"))
    assert "统计" in answer.text and "A01 幸福里第一网格：响应率 33%（1/3）" in answer.text
    assert "无法私聊" not in answer.text  # not for the whole group to read
    assert "仅供委员" in (await world.reply_to(world.say(LIU, "/stats"))).text
    private = await world.reply_to(world.say(ZHAO, "/stats", chat=ZHAO.id))
    assert "3 个网格" in private.text and "无法私聊的委员" in private.text


async def test_digest_command_posts_the_digest_now(world: World, clock: Clock) -> None:
    await reported(world, ZHANG, "3号楼门口的路灯坏了好几天了")
    clock.advance(minutes=1)
    command = world.say(LI, "/digest")
    first = await world.reply_to(command)
    assert "周报" in first.text and "本周新增 1 件" in first.text
    await world.emu.wait_for(lambda s: s.chat_id == A01 and s.method == "sendPhoto")
    mine = await world.reply_to(world.say(ZHAO, "/digest", chat=ZHAO.id))
    assert "召集人周报" in mine.text


async def many_grids_with_an_overdue_issue(world: World, clock: Clock, count: int) -> None:
    store, now = world.store, clock.now
    for index in range(count):
        code = f"Z{index:03d}"
        await store.grids.save(code, f"测试网格{index}", "测试社区", "测试街道", "东城区", None)
        grid = await store.grids.by_code(code)
        assert grid is not None
        draft = IssueDraft(
            grid_id=grid.id, category="市政设施", status=Status.NEW, urgent=False,
            text="路灯不亮", keywords=("路灯",), reporter_id=1001, reporter_name="张阿姨",
            assignee_id=None, chat_id=-2000000000 - index, message_id=1, thread_id=None,
            created_at=now - timedelta(days=2), respond_by=now - timedelta(days=1),
            solve_by=now + timedelta(days=5),
        )  # fmt: skip
        await store.issues.create(draft, IssueEvent(issue_id=0, at=now, action="created"),
                                  lambda issue: [])  # fmt: skip


async def test_county_wide_digest_totals_and_lists_the_grids_needing_attention_first(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, "3号楼门口的路灯坏了好几天了")  # in time: listed after
    await many_grids_with_an_overdue_issue(world, clock, 40)
    clock.advance(minutes=1)
    world.say(ZHAO, "/digest", chat=ZHAO.id)
    await world.private(ZHAO, "召集人周报")
    await delivered(world)  # long lines: the figures may take more than one message
    text = "\n".join(s.text or "" for s in world.emu.sent if s.chat_id == ZHAO.id)
    assert (
        "合计：响应率 0%（0/40），按时响应率 0%（0/40），解决率 0%（0/41），按时办结率 暂无，"
        "满意率 暂无，超期 40 件"
    ) in text
    assert text.count("测试网格") == 30 and "A01 幸福里第一网格" not in text
    assert "另有 11 个网格未逐一列出" in text and "另有 2 个网格期内没有诉求" in text


async def test_long_coordinator_digest_is_split_under_telegram_limit(
    world: World, clock: Clock
) -> None:
    await many_grids_with_an_overdue_issue(world, clock, 3)
    codes = ["Z000", "Z001", "Z002"]
    for index in range(300):  # a county's worth of members who never pressed Start
        await world.store.members.save(30000 + index, f"委员{index}", "member", "", (), codes)
    world.say(ZHAO, "/digest", chat=ZHAO.id)
    await world.private(ZHAO, "召集人周报")
    await delivered(world)
    parts = [s.text or "" for s in world.emu.sent if s.chat_id == ZHAO.id]
    assert len(parts) >= 2 and all(units(part) <= 4096 for part in parts)
    shown = "\n".join(parts)
    assert all(f"委员{index}（Z000、Z001、Z002）" in shown for index in range(300))


def test_split_text_keeps_every_line_and_each_part_under_the_limit() -> None:
    lines = [f"第{i}行：🚨 {'长' * (i % 50)}" for i in range(600)] + ["超" * 5000]
    text = "\n".join(lines)
    parts = split_text(text)
    assert len(parts) > 2 and all(units(part) <= 4000 for part in parts)
    assert "".join(part.replace("\n", "") for part in parts) == text.replace("\n", "")


def test_digest_day_and_time_are_configurable_and_checked() -> None:
    thursday_morning = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    default = load_settings(env={})
    assert jobs.last_due("digest", thursday_morning, default) == datetime(
        2026, 11, 12, 15, 0, tzinfo=SHANGHAI
    )
    friday = load_settings(env={"GRIDBOT_DIGEST_AT": "fri 09:30"})
    assert (friday.digest_weekday, friday.digest_time) == (4, time(9, 30))
    assert jobs.last_due("digest", thursday_morning, friday) == datetime(
        2026, 11, 13, 9, 30, tzinfo=SHANGHAI
    )
    with pytest.raises(ConfigError, match="GRIDBOT_DIGEST_AT"):
        load_settings(env={"GRIDBOT_DIGEST_AT": "someday"})
