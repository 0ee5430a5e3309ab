"""Issue 20: time limits in hours, calendar days or working days on China's calendar
(statutory holidays and 调休 make-up working days, local changes from a file), how a pause
moves a deadline on, and limits shown as dates and times people act on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.classify.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy
from bot.config import ConfigError, load_settings
from bot.texts import TRADITIONAL, Texts
from bot.timefmt import due
from bot.timelimits import Limit, Unit, parse_limit
from bot.workdays import Calendar, load_calendar
from handlers.cli.doctor import calendar_check

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSING = time(17, 30)
WORKDAYS = Limit(1, Unit.WORKDAYS)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture
def calendar() -> Calendar:
    return Calendar(SHANGHAI)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("24h", Limit(24, Unit.HOURS)),
        ("2 小时", Limit(2, Unit.HOURS)),
        ("7d", Limit(7, Unit.DAYS)),
        ("7 天", Limit(7, Unit.DAYS)),
        ("5 工作日", Limit(5, Unit.WORKDAYS)),
        ("5个工作日", Limit(5, Unit.WORKDAYS)),
        ("5 Working Days", Limit(5, Unit.WORKDAYS)),
        ("3wd", Limit(3, Unit.WORKDAYS)),
    ],
)
def test_a_limit_is_hours_days_or_working_days(text: str, limit: Limit) -> None:
    assert parse_limit(text) == limit


@pytest.mark.parametrize("text", ["", "soon", "0h", "5 weeks", "1.5 工作日", "工作日"])
def test_a_malformed_limit_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_limit(text)


def test_taxonomy_takes_limits_per_category_and_keeps_old_files_loading() -> None:
    tax = parse_taxonomy({
        "respond": "1 工作日", "solve": "5 工作日",
        "categories": {"A": {"keywords": {"路灯": 1}, "solve": "48h"},
                       "B": {"keywords": {"井盖": 1}, "respond_hours": 12, "solve_days": 15}},
    })  # fmt: skip
    assert (tax.respond, tax.solve, tax.urgent_respond) == (
        Limit(1, Unit.WORKDAYS), Limit(5, Unit.WORKDAYS), Limit(2, Unit.HOURS)
    )  # fmt: skip
    a, b = tax.category("A"), tax.category("B")
    assert a is not None and b is not None
    assert (a.respond, a.solve) == (None, Limit(48, Unit.HOURS))
    assert (b.respond, b.solve) == (Limit(12, Unit.HOURS), Limit(15, Unit.DAYS))
    old = parse_taxonomy({"respond_hours": 12, "solve_days": 3, "urgent_respond_hours": 1,
                          "categories": {"A": {"keywords": {"路灯": 1}}}})  # fmt: skip
    assert (old.respond, old.solve, old.urgent_respond) == (
        Limit(12, Unit.HOURS), Limit(3, Unit.DAYS), Limit(1, Unit.HOURS)
    )  # fmt: skip


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('urgent_respond = "1 工作日"\n', "urgent_respond must be in hours"),
        ('solve = "soon"\n', "solve: 'soon' is not a time limit"),
        ('respond = "24h"\nrespond_hours = 24\n', "respond and respond_hours both given"),
    ],
)
def test_taxonomy_limit_errors_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(toml + "[categories.A.keywords]\n'路灯' = 1\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(path)


def test_shipped_taxonomy_has_the_spec_defaults_and_working_days_for_departments() -> None:
    tax = load_taxonomy()
    assert (str(tax.respond), str(tax.solve), str(tax.urgent_respond)) == ("24h", "7d", "2h")
    social = tax.category("社会保障")
    assert social is not None and social.solve == Limit(10, Unit.WORKDAYS)


def test_working_days_skip_national_day_and_count_its_make_up_saturday(
    calendar: Calendar,
) -> None:
    # 2026: 1-7 October off; Saturday 10 October is a make-up working day (调休).
    assert not calendar.is_workday(date(2026, 10, 5))  # a Monday, but National Day
    assert calendar.is_workday(date(2026, 10, 10))  # a Saturday, but 补班
    assert calendar.is_workday(date(2026, 9, 20))  # a Sunday, but 补班
    before = at(2026, 9, 30, 10, 0)  # Wednesday, the day before the holiday
    assert calendar.end_of(Limit(1, Unit.WORKDAYS), before) == at(2026, 10, 8, 17, 30)
    assert calendar.end_of(Limit(3, Unit.WORKDAYS), before) == at(2026, 10, 10, 17, 30)
    assert calendar.end_of(Limit(24, Unit.HOURS), before) == at(2026, 10, 1, 10, 0)
    assert calendar.end_of(Limit(7, Unit.DAYS), before) == at(2026, 10, 7, 10, 0)


def test_working_days_across_spring_festival(calendar: Calendar) -> None:
    # 2026: Saturday 14 February works (调休), 15-23 February off, Saturday 28 works.
    friday = at(2026, 2, 13, 16, 0)
    assert calendar.end_of(Limit(1, Unit.WORKDAYS), friday) == at(2026, 2, 14, 17, 30)
    assert calendar.end_of(Limit(2, Unit.WORKDAYS), friday) == at(2026, 2, 24, 17, 30)


def test_a_local_file_marks_days_off_and_working_days(tmp_path: Path) -> None:
    toml = tmp_path / "days.toml"
    toml.write_text('[days]\n"2026-11-20" = "休"\n"2026-11-21" = "班"\n', encoding="utf-8")
    settings = load_settings(env={"GRIDBOT_WORKDAYS_FILE": str(toml)})
    calendar = load_calendar(settings)
    thursday = at(2026, 11, 19, 10, 0)
    # Friday is the county's own day off and Saturday is worked instead.
    assert calendar.end_of(WORKDAYS, thursday) == at(2026, 11, 21, 17, 30)
    csv = tmp_path / "days.csv"
    csv.write_text("date,kind\n2027-01-01,休\n2027-02-06,班\n", encoding="utf-8")
    from_csv = load_calendar(load_settings(env={"GRIDBOT_WORKDAYS_FILE": str(csv)}))
    assert from_csv.is_workday(date(2027, 2, 6)) and not from_csv.is_workday(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("content", "message"),
    [("2026-13-01,休\n", "not a date"), ("2026-11-20,maybe\n", "must be marked 休 or 班")],
)
def test_a_bad_workdays_file_is_one_line_naming_the_setting(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "days.csv"
    path.write_text(content, encoding="utf-8")
    settings = load_settings(env={"GRIDBOT_WORKDAYS_FILE": str(path)})
    with pytest.raises(ConfigError, match=f"GRIDBOT_WORKDAYS_FILE.*{message}"):
        load_calendar(settings)


def test_office_hours_are_a_checked_setting() -> None:
    settings = load_settings(env={"GRIDBOT_OFFICE_HOURS": "08:30-17:00"})
    assert (settings.office_start, settings.office_end) == (time(8, 30), time(17, 0))
    for bad in ("17:00-08:30", "all day"):
        with pytest.raises(ConfigError, match="GRIDBOT_OFFICE_HOURS"):
            load_settings(env={"GRIDBOT_OFFICE_HOURS": bad})
    with pytest.raises(ConfigError, match="GRIDBOT_WORKDAYS_FILE"):
        load_settings(env={"GRIDBOT_WORKDAYS_FILE": "/no/such/file.toml"})


def test_a_pause_moves_a_working_day_limit_by_the_office_time_it_took(
    calendar: Calendar,
) -> None:
    deadline = at(2026, 11, 20, 17, 30)  # Friday's close
    # Paused from Thursday 15:30 to Monday 11:00: 2 h on Thursday, all of Friday, 2 h Monday.
    shifted = calendar.shifted(Limit(1, Unit.WORKDAYS), deadline, at(2026, 11, 19, 15, 30),
                               at(2026, 11, 23, 11, 0))  # fmt: skip
    assert calendar.working_between(at(2026, 11, 19, 15, 30), at(2026, 11, 23, 11, 0)) == (
        timedelta(hours=2 + 8.5 + 2)
    )
    assert shifted == at(2026, 11, 24, 13, 0)  # 8.5 h on Monday, 4 h on Tuesday
    # Over a weekend only: no office time passed, the deadline stays.
    weekend = calendar.shifted(WORKDAYS, deadline, at(2026, 11, 21, 9), at(2026, 11, 22, 18))
    assert weekend == deadline
    # A whole working day paused: the deadline moves a whole working day, to a closing time.
    day = calendar.shifted(WORKDAYS, deadline, at(2026, 11, 19, 9), at(2026, 11, 19, 17, 30))
    assert day == at(2026, 11, 23, 17, 30)
    # A limit in hours moves by the whole pause.
    hours = calendar.shifted(Limit(24, Unit.HOURS), deadline, at(2026, 11, 21, 9),
                             at(2026, 11, 22, 18))  # fmt: skip
    assert hours == deadline + timedelta(hours=33)


SAY = partial(Texts().get, "zh-Hans")
NOW = at(2026, 12, 1, 9, 0)  # a Tuesday


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (at(2026, 12, 4, 17, 30), "12月4日（周五）下班前"),
        (at(2026, 12, 1, 17, 0), "今天 17:00 前"),
        (at(2026, 12, 1, 17, 27), "今天 17:00 前"),  # rounded down, never up
        (at(2026, 12, 2, 12, 10), "明天上午"),
        (at(2026, 12, 2, 6, 27), "明天 06:00 前"),
        (at(2026, 12, 1, 10, 27), "今天 10:20 前"),  # close at hand: to ten minutes
        (at(2026, 12, 16, 0, 0), "12月15日（周二）24:00 前"),  # the whole of a plan date
        (at(2027, 1, 5, 17, 30), "2027年1月5日（周二）下班前"),
    ],
)
def test_a_limit_is_shown_as_a_time_people_act_on(moment: datetime, shown: str) -> None:
    assert due(moment, SHANGHAI, CLOSING, SAY, NOW) == shown


def test_a_limit_in_a_post_read_for_days_has_no_today_and_traditional_grids_read_it() -> None:
    moment = at(2026, 12, 1, 17, 30)
    assert due(moment, SHANGHAI, CLOSING, SAY, NOW, relative=False) == "12月1日（周二）下班前"
    say = partial(Texts().get, TRADITIONAL)
    assert due(moment, SHANGHAI, CLOSING, say, NOW) == "今天下班前"
    assert due(at(2026, 12, 3, 17, 30), SHANGHAI, CLOSING, say, NOW) == "12月3日（週四）下班前"


def test_doctor_warns_when_the_coming_months_have_no_holiday_calendar(
    calendar: Calendar, tmp_path: Path
) -> None:
    known = calendar_check(calendar, date(2026, 3, 1))
    assert known.ok and not known.warning
    late = calendar_check(calendar, date(2026, 11, 1))  # the months ahead reach into 2027
    assert late.warning and "2027" in late.line and "GRIDBOT_WORKDAYS_FILE" in late.line
    entered = Calendar(SHANGHAI, overrides={date(2027, 1, 1): False})
    assert not calendar_check(entered, date(2026, 11, 1)).warning
