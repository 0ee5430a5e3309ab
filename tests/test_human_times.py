"""Times as people say them (issue 23): 今天/昨天 for recent steps, a day with its weekday,
how long a report has waited in days; in Simplified and Traditional, on a fixed clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from bot import timefmt
from bot.issues.parsing import loose_command, prompted
from bot.texts import SIMPLIFIED, TRADITIONAL, Texts
from tests.conftest import Clock
from tests.world import A01, LI, ZHANG, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)  # a Thursday
TEXTS = Texts()


def say(language: str = SIMPLIFIED) -> timefmt.Say:
    return partial(TEXTS.get, language)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (NOW - timedelta(hours=1), "今天 09:00"),
        (NOW - timedelta(days=1, hours=3), "昨天 07:00"),
        (NOW - timedelta(days=2), "12月1日 10:00"),
        (datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI), "2025年12月31日 23:59"),
    ],
)
def test_past_steps_are_today_yesterday_or_a_date(moment: datetime, shown: str) -> None:
    assert timefmt.when(moment, SHANGHAI, say(), NOW) == shown


def test_today_is_the_zones_today_not_utcs() -> None:
    early = datetime(2026, 12, 3, 7, 30, tzinfo=SHANGHAI)  # still 2 December in UTC
    assert timefmt.when(early, SHANGHAI, say(), NOW) == "今天 07:30"
    assert timefmt.when(early, ZoneInfo("UTC"), say(), NOW) == "昨天 23:30"


@pytest.mark.parametrize(("days", "shown"), [(0, "今天反映"), (1, "昨天反映"), (6, "已等待 6 天")])
def test_waiting_is_counted_in_calendar_days_never_zero(days: int, shown: str) -> None:
    since = NOW - timedelta(days=days, minutes=5)
    assert timefmt.waited(since, SHANGHAI, say(), NOW) == shown


def test_days_carry_their_weekday_and_the_year_only_when_it_differs() -> None:
    assert timefmt.calendar_day(date(2026, 12, 15), NOW.date(), say()) == "12月15日（周二）"
    assert timefmt.calendar_day(date(2027, 1, 4), NOW.date(), say()) == "2027年1月4日（周一）"
    meeting = datetime(2026, 12, 5, 15, 0, tzinfo=SHANGHAI)
    assert timefmt.dated(meeting, SHANGHAI, say(), NOW) == "12月5日（周六）15:00"


def test_time_limits_read_as_office_hours_and_parts_of_the_day() -> None:
    closing = time(17, 30)
    due = partial(timefmt.due, zone=SHANGHAI, closing=closing, say=say(), now=NOW)
    assert due(datetime(2026, 12, 3, 17, 0, tzinfo=SHANGHAI)) == "今天 17:00 前"
    assert due(datetime(2026, 12, 4, 17, 30, tzinfo=SHANGHAI)) == "明天下班前"
    assert due(datetime(2026, 12, 8, 17, 30, tzinfo=SHANGHAI)) == "12月8日（周二）下班前"


def test_a_traditional_grid_reads_them_in_traditional() -> None:
    hant = say(TRADITIONAL)
    assert timefmt.when(NOW - timedelta(days=1), SHANGHAI, hant, NOW) == "昨天 10:00"
    assert timefmt.waited(NOW - timedelta(days=3), SHANGHAI, hant, NOW) == "已等待 3 天"
    assert timefmt.calendar_day(date(2026, 12, 6), NOW.date(), hant) == "12月6日（週日）"
    due = timefmt.due(datetime(2026, 12, 4, 17, 30, tzinfo=SHANGHAI), SHANGHAI, time(17, 30),
                      hant, NOW)  # fmt: skip
    assert due == "明天下班前"


def test_a_prompt_is_understood_back_in_either_script() -> None:
    for language in (SIMPLIFIED, TRADITIONAL):
        for action in ("progress", "plan", "escalate", "ask", "done", "reject"):
            text = TEXTS.get(language, f"prompt_{action}", n=12)
            assert prompted(text) == (action, 12)
    assert prompted("📋 新诉求 #3 请尽快认领：/take 3") is None  # not a prompt


def test_traditional_verbs_are_commands_too() -> None:
    assert loose_command("認領 4", None) == ("take", "4")
    assert loose_command("進展 4 已聯繫物業", None) == ("progress", "4 已聯繫物業")


async def test_the_timeline_says_today_and_yesterday(world: World, clock: Clock) -> None:
    await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了"))
    clock.advance(days=1)
    world.say(LI, "/take 1")
    await world.in_group(A01, "已认领")
    timeline = await world.reply_to(world.say(LI, "/issue 1", chat=LI.id))
    lines = (timeline.text or "").splitlines()
    assert any(line.startswith("昨天 ") and "登记" in line for line in lines)
    assert any(line.startswith("今天 ") and "认领" in line for line in lines)
