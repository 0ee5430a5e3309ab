"""A meeting as proposed on a `/consult` line, before it is stored: `/consult new 标题 | 时间 |
地点 | #1 #2` for one face to face, `/consult online 标题 | A | B [| 截止 时间] [| #1]` for one
online. Both read into one `Proposal`; anything that does not fit is `Malformed`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.issues.parsing import parse_number

TITLE_LIMIT = 100
PLACE_LIMIT = 100
DEFAULT_OPEN = timedelta(hours=48)  # an online vote without 截止
OPTIONS = (2, 10)  # Telegram takes 2 to 12 options; ten is already a long ballot
OPTION_LIMIT = 100  # Telegram's limit for an option's text
_END = re.compile(r"^(?:截止|截至|截止时间|結束|结束)\s*[:：]?\s*(.+)$")


class Malformed(Exception):
    """The /consult line does not fit; the message is the texts key of the answer."""


@dataclass(frozen=True)
class Proposal:
    """What a meeting is to be: face to face it has a time and place; online, options and an
    end (it starts when proposed)."""

    title: str
    starts_at: datetime
    numbers: tuple[int, ...]
    place: str = ""
    options: tuple[str, ...] = ()
    ends_at: datetime | None = None


def _parts(args: str) -> list[str]:
    return [part.strip() for part in args.replace("｜", "|").split("|")]


def face_to_face(args: str, zone: ZoneInfo, now: datetime) -> Proposal:
    """`标题 | 2026-12-03 15:00 | 地点 | #1 #2` (full-width ｜ too) → Proposal, or Malformed."""
    parts = _parts(args)
    if len(parts) not in (3, 4) or not parts[0] or not parts[2]:
        raise Malformed("consult_usage")
    if len(parts[0]) > TITLE_LIMIT or len(parts[2]) > PLACE_LIMIT:
        raise Malformed("consult_usage")
    starts_at = parse_time(parts[1], zone)
    if starts_at is None or starts_at <= now:
        raise Malformed("consult_bad_time")
    numbers = parse_numbers(parts[3]) if len(parts) == 4 else ()
    if numbers is None:
        raise Malformed("consult_usage")
    return Proposal(parts[0], starts_at, numbers, place=parts[2])


def online(args: str, zone: ZoneInfo, now: datetime) -> Proposal:
    """`标题 | A | B [| 截止 2026-12-05 18:00] [| #1 #2]` → Proposal, or Malformed."""
    parts = _parts(args)
    title, options = parts[0], []
    ends_at: datetime | None = None
    numbers: tuple[int, ...] | None = ()
    for part in parts[1:]:
        if end := _END.match(part):
            if ends_at is not None:
                raise Malformed("consult_online_usage")
            ends_at = parse_time(end[1], zone)
            if ends_at is None or ends_at <= now:
                raise Malformed("consult_online_bad_end")
        elif part.startswith("#"):
            numbers = parse_numbers(part) if not numbers else None
        elif part and len(part) <= OPTION_LIMIT and part not in options:
            options.append(part)
        else:
            raise Malformed("consult_online_usage")
    low, high = OPTIONS
    if not title or len(title) > TITLE_LIMIT or not low <= len(options) <= high or numbers is None:
        raise Malformed("consult_online_usage")
    return Proposal(
        title, now, numbers, options=tuple(options), ends_at=ends_at or now + DEFAULT_OPEN
    )


def parse_time(text: str, zone: ZoneInfo) -> datetime | None:
    """`YYYY-MM-DD HH:MM` (or with / or T) as a moment in the configured zone."""
    cleaned = re.sub(r"\s+", " ", text.replace("/", "-").replace("T", " ").strip())
    try:
        local = datetime.strptime(cleaned, "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return local.replace(tzinfo=zone)


def parse_numbers(text: str) -> tuple[int, ...] | None:
    """`#1 #2、#3` → (1, 2, 3), repeats dropped; None if anything else is there."""
    tokens = [t for t in re.split(r"[\s,，、;；]+", text.replace("#", " #")) if t]
    numbers = [parse_number(token) for token in tokens]
    if any(number is None for number in numbers):
        return None
    return tuple(dict.fromkeys(n for n in numbers if n is not None))
