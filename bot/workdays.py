"""Working days as China's offices count them: statutory holidays and the make-up working days
(调休) from `chinese-calendar`, local changes from GRIDBOT_WORKDAYS_FILE, office hours from
GRIDBOT_OFFICE_HOURS. Beyond the years the library knows, Monday to Friday are working days
(and `gridbot doctor` warns) unless the file says otherwise."""

from __future__ import annotations

import csv
import logging
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar

from bot.config import ConfigError, Settings
from bot.timelimits import Limit, Unit

logger = logging.getLogger(__name__)

FILE_SETTING = "GRIDBOT_WORKDAYS_FILE"
OFF = frozenset({"休", "休息", "假", "放假", "holiday", "off", "rest"})
ON = frozenset({"班", "上班", "工作日", "补班", "work", "workday", "on"})
SEARCH_DAYS = 400  # a year and more: no calendar has a longer run of days off


class Calendar:
    """Which days are working days, and where a limit counted from a moment ends."""

    def __init__(
        self,
        zone: ZoneInfo,
        office_start: time = time(9, 0),
        office_end: time = time(17, 30),
        overrides: Mapping[date, bool] | None = None,
    ) -> None:
        self.zone = zone
        self.office_start = office_start
        self.office_end = office_end
        self.overrides = dict(overrides or {})
        self._warned: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # a year the library does not know yet
            if day.year not in self._warned:
                self._warned.add(day.year)
                logger.warning("no holiday calendar for %s: Monday-Friday counted", day.year)
            return day.weekday() < 5

    def known(self, year: int) -> bool:
        """Whether this year's holidays are known: by the library, or entered in the file."""
        first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
        return first <= year <= last or any(day.year == year for day in self.overrides)

    def uncovered(self, today: date, ahead: int = 92) -> list[int]:
        """The years between today and `ahead` days on whose holidays nothing is known."""
        years = range(today.year, (today + timedelta(days=ahead)).year + 1)
        return [year for year in years if not self.known(year)]

    def next_workday(self, day: date) -> date:
        """The first working day after `day`."""
        for step in range(1, SEARCH_DAYS):
            if self.is_workday(day + timedelta(days=step)):
                return day + timedelta(days=step)
        raise ConfigError(f"{FILE_SETTING}: no working day within a year after {day}")

    def closing(self, day: date) -> datetime:
        """The end of office hours on `day`."""
        return datetime.combine(day, self.office_end, self.zone)

    def end_of(self, limit: Limit, start: datetime) -> datetime:
        """When a limit counted from `start` runs out; working days are counted from the day
        after, and end at the close of office hours of the last one."""
        if limit.unit is Unit.HOURS:
            return start + timedelta(hours=limit.amount)
        if limit.unit is Unit.DAYS:
            return start + timedelta(days=limit.amount)
        day = start.astimezone(self.zone).date()
        for _ in range(int(limit.amount)):
            day = self.next_workday(day)
        return self.closing(day)

    def _office(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.office_start, self.zone),
            datetime.combine(day, self.office_end, self.zone),
        )

    def working_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time on working days within [start, end)."""
        total = timedelta()
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if self.is_workday(day):
                opens, closes = self._office(day)
                overlap = min(closes, end) - max(opens, start)
                total += max(overlap, timedelta())
            day += timedelta(days=1)
        return total

    def add_working(self, moment: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of office time after `moment` (ending at a closing time when
        whole days are added to one)."""
        left = amount
        day = moment.astimezone(self.zone).date()
        for _ in range(SEARCH_DAYS * 10):
            if left <= timedelta():
                return moment
            if self.is_workday(day):
                opens, closes = self._office(day)
                begin = max(opens, moment)
                if begin < closes:
                    if closes - begin >= left:
                        return begin + left
                    left -= closes - begin
                    moment = closes
            day += timedelta(days=1)
        raise ConfigError(f"{FILE_SETTING}: no working day within a year after {day}")

    def shifted(
        self, limit: Limit, deadline: datetime, since: datetime, until: datetime
    ) -> datetime:
        """A deadline moved on by a pause from `since` to `until`: by the office time the pause
        took for a limit in working days, by the whole time otherwise."""
        if until <= since:
            return deadline
        if limit.unit is Unit.WORKDAYS:
            return self.add_working(deadline, self.working_between(since, until))
        return deadline + (until - since)


def load_calendar(settings: Settings) -> Calendar:
    overrides = read_overrides(settings.workdays_file) if settings.workdays_file else {}
    return Calendar(settings.timezone, settings.office_start, settings.office_end, overrides)


def read_overrides(path: Path) -> dict[date, bool]:
    """Dates marked 休 (a day off) or 班 (a working day), from TOML or CSV."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{FILE_SETTING} {path}: cannot read: {exc}") from None
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{FILE_SETTING} {path}: not valid TOML: {exc}") from None
        table = data.get("days", data)
        pairs = [(str(key), str(value)) for key, value in table.items()]
    else:
        rows = [row for row in csv.reader(text.splitlines()) if row and row[0].strip()]
        if rows and not any(ch.isdigit() for ch in rows[0][0]):  # a header: date,kind / 日期
            rows = rows[1:]
        pairs = [(row[0], row[1] if len(row) > 1 else "") for row in rows]
    return dict(_entry(path, key, value) for key, value in pairs)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _entry(path: Path, key: str, value: str) -> tuple[date, bool]:
    day, kind = _day(key), value.strip().lower()
    if day is None:
        raise ConfigError(f"{FILE_SETTING} {path}: {key!r} is not a date like 2027-01-01")
    if kind not in OFF | ON:
        raise ConfigError(f"{FILE_SETTING} {path}: {key} must be marked 休 or 班, got {value!r}")
    return day, kind in ON
