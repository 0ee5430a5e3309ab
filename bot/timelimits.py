"""A time limit as a taxonomy writes it: "24h", "7d", "5 工作日" (hours, calendar days or
working days). Counting one out on the calendar is bot/workdays.py's job."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"  # calendar days of 24 hours
    WORKDAYS = "workdays"  # ends at the close of office hours of the Nth working day


@dataclass(frozen=True)
class Limit:
    amount: float
    unit: Unit

    def __str__(self) -> str:
        amount = f"{self.amount:g}"
        return {Unit.HOURS: f"{amount}h", Unit.DAYS: f"{amount}d"}.get(
            self.unit, f"{amount} 工作日"
        )


# The spellings accepted after the number (spaces and case do not matter).
_UNITS = {
    "h": Unit.HOURS, "hour": Unit.HOURS, "hours": Unit.HOURS, "小时": Unit.HOURS,
    "个小时": Unit.HOURS,
    "d": Unit.DAYS, "day": Unit.DAYS, "days": Unit.DAYS, "天": Unit.DAYS,
    "wd": Unit.WORKDAYS, "workday": Unit.WORKDAYS, "workdays": Unit.WORKDAYS,
    "working day": Unit.WORKDAYS, "working days": Unit.WORKDAYS, "工作日": Unit.WORKDAYS,
    "个工作日": Unit.WORKDAYS,
}  # fmt: skip
_SHAPE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([^\d\s].*?)\s*$")


def parse_limit(text: str) -> Limit:
    """ "24h", "7d", "5 工作日", "5 working days"; ValueError saying what is wrong."""
    found = _SHAPE.match(text)
    unit = _UNITS.get(" ".join(found.group(2).lower().split())) if found else None
    if found is None or unit is None:
        raise ValueError(f'{text!r} is not a time limit like "24h", "7d" or "5 工作日"')
    amount = float(found.group(1))
    if amount <= 0:
        raise ValueError(f"{text!r} must be longer than nothing")
    if unit is Unit.WORKDAYS and not amount.is_integer():
        raise ValueError(f"{text!r}: working days are counted whole")
    return Limit(amount, unit)


def hours(amount: float) -> Limit:
    return Limit(float(amount), Unit.HOURS)


def days(amount: float) -> Limit:
    return Limit(float(amount), Unit.DAYS)
