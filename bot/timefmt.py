"""Dates and times as residents read them, in the configured zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD, or None when it is not a real date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def start_of_day(value: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(value, time.min, tzinfo=zone)


Say = Callable[..., str]  # texts.get with the language filled in
HOUR_STEP = 30  # minutes a limit is rounded down to...
NEAR_STEP = 10  # ...or, when it is this close, to these
NEAR = timedelta(hours=3)


def due(
    moment: datetime, zone: ZoneInfo, closing: time, say: Say, now: datetime,
    relative: bool = True,
) -> str:  # fmt: skip
    """A time limit as people act on it: “12月4日（周四）下班前”, “今天 17:00 前”,
    “明天上午”. Rounded down, never up (finer when it is near `now`), so acting by what is
    shown is always in time. Without `relative` no 今天/明天: for posts read days later."""
    local = moment.astimezone(zone)
    today = now if relative else None
    if local.time() == time.min:  # the whole of the day before (a plan date)
        return say("due_day_end", day=_day(local.date() - timedelta(days=1), zone, say, today))
    day = _day(local.date(), zone, say, today)
    if local.time().replace(second=0, microsecond=0) == closing:
        return say("due_close", day=day)
    step = NEAR_STEP if moment - now < NEAR else HOUR_STEP
    shown = local.replace(minute=local.minute - local.minute % step, second=0, microsecond=0)
    if shown.time() == time(12, 0):
        return say("due_morning", day=day)
    # "今天 17:00 前", but "12月4日（周四）17:00 前": no space after the bracket.
    key = "due_at" if day in (say("due_today"), say("due_tomorrow")) else "due_date_at"
    return say(key, day=day, time=f"{shown:%H:%M}")


def _day(value: date, zone: ZoneInfo, say: Say, now: datetime | None) -> str:
    today = now.astimezone(zone).date() if now is not None else None
    if today is not None and value == today:
        return say("due_today")
    if today is not None and value == today + timedelta(days=1):
        return say("due_tomorrow")
    weekday = say("due_weekdays").split()[value.weekday()]
    key = "due_date" if today is None or value.year == today.year else "due_date_year"
    return say(key, year=value.year, month=value.month, day=value.day, weekday=weekday)


def calendar_day(value: date, today: date, say: Say) -> str:
    """A day named with its weekday, “12月15日（周二）”; the year only when it is not this one."""
    weekday = say("due_weekdays").split()[value.weekday()]
    key = "due_date" if value.year == today.year else "due_date_year"
    return say(key, year=value.year, month=value.month, day=value.day, weekday=weekday)


def dated(moment: datetime, zone: ZoneInfo, say: Say, now: datetime) -> str:
    """A future moment that is read again days later (a meeting, a vote's end):
    “12月4日（周五）15:00”, never 今天/明天."""
    local = moment.astimezone(zone)
    return f"{calendar_day(local.date(), now.astimezone(zone).date(), say)}{local:%H:%M}"


def when(moment: datetime, zone: ZoneInfo, say: Say, now: datetime) -> str:
    """A past moment as people recall it: “今天 09:30”, “昨天 15:00”, “12月1日 10:30”."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return say("when_today", time=clock)
    if local.date() == today - timedelta(days=1):
        return say("when_yesterday", time=clock)
    key = "when_date" if local.year == today.year else "when_date_year"
    return say(key, year=local.year, month=local.month, day=local.day, time=clock)


def waited(since: datetime, zone: ZoneInfo, say: Say, now: datetime) -> str:
    """How long a report has waited, in calendar days: 今天反映, 昨天反映, 已等待 3 天."""
    days = (now.astimezone(zone).date() - since.astimezone(zone).date()).days
    if days <= 0:
        return say("waited_today")
    if days == 1:
        return say("waited_yesterday")
    return say("waited_days", days=days)
