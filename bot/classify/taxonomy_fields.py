"""Reading the fields of a taxonomy file: tables, weights, numbers, limits and patterns, each
checked, every mistake a ValueError naming the key (bot/classify/taxonomy.py adds the file)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from bot.timelimits import Limit, Unit, hours, parse_limit

_HAS_WORD = re.compile(r"[^\W_]")


def weighted_patterns(raw: Any) -> tuple[tuple[re.Pattern[str], float], ...]:
    where = "problem.chitchat_patterns"
    out = []
    for pattern, weight in weights_of(raw, where).items():
        try:
            out.append((re.compile(pattern), weight))
        except re.error as exc:
            raise ValueError(f"[{where}] pattern {pattern!r}: {exc}") from None
    return tuple(out)


def flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where} {key} must be true or false")
    return value


def text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a string")
    return value.strip()


def confusable_table(raw: Any) -> Mapping[str, str]:
    if not isinstance(raw, Mapping):
        raise ValueError('[confusable] must be a table of character = "characters"')
    for right, wrong in raw.items():
        if len(right) != 1 or not isinstance(wrong, str) or not wrong:
            raise ValueError(f"[confusable]: {right!r} must be one character = a string")
    return MappingProxyType(dict(raw))


# Each limit and its older spelling, with the unit a bare number there is in.
_OLD_KEYS = {
    "respond": ("respond_hours", Unit.HOURS),
    "solve": ("solve_days", Unit.DAYS),
    "urgent_respond": ("urgent_respond_hours", Unit.HOURS),
}


def limit(data: Mapping[str, Any], key: str, where: str, default: Limit | None) -> Limit | None:
    """`respond = "24h"` / `solve = "5 工作日"`, or the older `respond_hours = 24` form."""
    old, unit = _OLD_KEYS[key]
    if key in data and old in data:
        raise ValueError(f"{where}{key} and {old} both given: keep one")
    if old in data:
        amount = number(data, old, f"{where}{old}", None)
        return Limit(amount, unit)
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'{where}{key} must be a limit like "24h", "7d" or "5 工作日"')
    text = value if isinstance(value, str) else f"{value}{'h' if unit is Unit.HOURS else 'd'}"
    try:
        return parse_limit(text)
    except ValueError as exc:
        raise ValueError(f"{where}{key}: {exc}") from None


def urgent_limit(data: Mapping[str, Any]) -> Limit:
    found = limit(data, "urgent_respond", "", None) or hours(2)
    if found.unit is not Unit.HOURS:
        raise ValueError(
            'urgent_respond must be in hours, like "2h": emergencies keep no office hours'
        )
    return found


def table(data: Mapping[str, Any], key: str, allowed: set[str] | None) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be a table")
    if allowed is not None:
        check_keys(value, allowed, f"[{key}]")
    return value


def check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in {where}")


def weights(raw: Any, where: str) -> Mapping[str, float]:
    weights = weights_of(raw, where)
    for word in weights:
        if not _HAS_WORD.search(word):
            raise ValueError(f"{where}: keyword {word!r} has no letters or digits")
    return weights


def weights_of(raw: Any, where: str) -> Mapping[str, float]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table of keyword = weight")
    out: dict[str, float] = {}
    for word, weight in raw.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ValueError(f"{where}: weight of {word!r} must be a number")
        if not math.isfinite(weight):
            raise ValueError(f"{where}: weight of {word!r} must be finite")
        out[word] = float(weight)
    return MappingProxyType(out)


def number(
    data: Mapping[str, Any], key: str, where: str, default: float | None, positive: bool = True
) -> Any:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where} must be a number")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{where} must be {'positive' if positive else 'non-negative'}")
    return float(value)
