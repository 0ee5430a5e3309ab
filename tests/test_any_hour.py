"""Issue 14: the demo and the behaviour of the bot never depend on the wall clock. The demo
runs on its own scripted day; the tests run on a clock they move by hand. Both are tried
here with the wall clock at night in Beijing and just before a Thursday digest."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import Clock
from tests.schedules import delivered, run_job, sent_to
from tests.world import A01, LI, WANG, ZHANG, ZHAO, World, grid_world

ROOT = Path(__file__).resolve().parents[1]
SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = datetime(2026, 12, 2, 3, 10, tzinfo=SHANGHAI)  # a Wednesday, inside quiet hours
BEFORE_DIGEST = datetime(2026, 12, 2, 23, 59, tzinfo=SHANGHAI)  # Wednesday, digest tomorrow
DAYTIME = datetime(2026, 12, 3, 10, 30, tzinfo=SHANGHAI)
WALL_CLOCKS = {"night": NIGHT, "before-digest": BEFORE_DIGEST, "daytime": DAYTIME}

# The demo under a wall clock set by time-machine, in its own process as a user runs it.
DEMO_AT = """
import sys, time_machine
from datetime import datetime
from handlers.cli import main
with time_machine.travel(datetime.fromisoformat(sys.argv[1]), tick=True):
    sys.exit(main(["demo"]))
"""


def demo_at(moment: datetime, folder: Path) -> str:
    ran = subprocess.run(
        [sys.executable, "-c", DEMO_AT, moment.isoformat()], cwd=folder, capture_output=True,
        text=True, timeout=180, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert (folder / "demo-out" / "digest.png").exists()
    return ran.stdout


def undated(transcript: str) -> str:
    """The transcript without its dates, weekdays and times, which follow the day the demo
    runs."""
    transcript = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日", "D", transcript)
    transcript = re.sub(r"（周[一二三四五六日]）", "（W）", transcript)
    transcript = re.sub(r"\d{4}-\d{2}-\d{2}", "D", transcript)
    return re.sub(r"\d{1,2}:\d{2}", "T", transcript)


def test_demo_tells_the_same_story_at_any_hour_of_the_wall_clock(tmp_path: Path) -> None:
    for name in WALL_CLOCKS:
        (tmp_path / name).mkdir()
    # Side by side: each demo mostly waits on its own story's pacing, not on the processor.
    with ThreadPoolExecutor(len(WALL_CLOCKS)) as pool:
        runs = {n: pool.submit(demo_at, m, tmp_path / n) for n, m in WALL_CLOCKS.items()}
        stories = {name: run.result() for name, run in runs.items()}
    assert undated(stories["night"]) == undated(stories["daytime"])
    assert undated(stories["before-digest"]) == undated(stories["daytime"])
    # Quiet hours are the story's own: at 22:30 the urgent notice goes at once, the other
    # waits for 07:00 the next morning.
    night, morning = stories["night"].split("第二天早上 7:00", 1)
    evening = night.split("夜里 22:30", 1)[1]
    assert "[私聊 李明] 🤖 gridbot: 📋 新诉求 #10（紧急）" in evening
    assert "#9" not in evening.split("✅ 已受理 #9", 1)[1]
    assert "[私聊 李明] 🤖 gridbot: 📋 新诉求 #9" in morning


@pytest.mark.parametrize("wall", [NIGHT, BEFORE_DIGEST], ids=["night", "before-digest"])
async def test_a_resident_is_served_whatever_the_wall_clock_says(
    database_url: str, clock: Clock, wall: datetime
) -> None:
    with time_machine.travel(wall, tick=True):
        async with grid_world(database_url, clock) as world:
            await report_take_solve_rate(world)


async def report_take_solve_rate(world: World) -> None:
    ack = await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"))
    assert "#1" in ack.text and "已受理" in ack.text
    await world.private(LI, "#1")  # the test's clock says Thursday 10:00: no quiet hours
    world.say(LI, "/take 1")
    await world.in_group(A01, "已认领")
    world.say(LI, "/done 1 路灯已换新")
    ask = await world.in_group(A01, "路灯已换新")
    assert "已解决" in ask.text
    rating = await world.emu.wait_for(
        lambda s: s.chat_id == A01 and bool(s.reply_markup) and "满意" in str(s.reply_markup)
    )
    world.emu.press_button(A01, rating.message_id, ZHANG.id, "rate:1:s")
    await world.in_group(A01, "已办结")
    assert (await world.issue(1)).status == "closed"


async def test_quiet_hours_follow_the_bots_clock_not_the_wall(
    database_url: str, clock: Clock
) -> None:
    clock.now = NIGHT  # the bot's night; the wall clock may say anything
    with time_machine.travel(DAYTIME, tick=True):
        async with grid_world(database_url, clock) as world:
            await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了"))
            await world.reply_to(world.say(ZHANG, "楼下煤气泄漏了，味道很大，快来人！"))
            await world.private(WANG, "#2")  # urgent: at once, at night too
            await delivered(world)
            assert not sent_to(world, LI, "#1")  # waits for the morning
            clock.now = NIGHT.replace(hour=7, minute=0, second=1)
            await delivered(world)
            assert sent_to(world, LI, "#1")


async def test_thursday_digest_falls_due_on_the_bots_clock(
    database_url: str, clock: Clock
) -> None:
    clock.now = BEFORE_DIGEST
    with time_machine.travel(DAYTIME + timedelta(days=1), tick=True):  # Friday on the wall
        async with grid_world(database_url, clock) as world:
            await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了"))
            queue = world.local.app.job_queue
            assert queue is not None
            [digest] = queue.get_jobs_by_name("digest:weekly")
            due = digest.job.trigger.get_next_fire_time(None, clock())
            assert due == datetime(2026, 12, 3, 15, 0, tzinfo=SHANGHAI)
            clock.now = due
            await run_job(world, "digest:weekly")
            assert len(sent_to(world, A01, "周报")) == 1
            assert sent_to(world, ZHAO, "周报")
