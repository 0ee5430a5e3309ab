"""Dates and times as residents read them, in the configured zone."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo


def short(moment: datetime, zone: ZoneInfo) -> str:
    """11月23日 10:30 — the form used in acknowledgements and notices."""
    local = moment.astimezone(zone)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


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
