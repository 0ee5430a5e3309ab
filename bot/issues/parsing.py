"""Member commands as typed: `/plan 12 2026-12-31 说明` → Request, or None with a usage line."""

from __future__ import annotations

import unicodedata

from bot.classify.textnorm import visible
from bot.issues.cases import Request
from bot.timefmt import parse_day

MAX_ISSUE_NUMBER = 2**31 - 1

# command → the action it asks for (its usage line: texts key `usage_<command>`)
COMMANDS: dict[str, str] = {
    "take": "take",
    "progress": "progress",
    "plan": "plan",
    "escalate": "escalate",
    "done": "done",
    "reject": "reject",
    "dup": "merge",
    "assign": "assign",
    "cat": "recategorise",
}


def parse_number(text: str) -> int | None:
    """An issue number as typed: 12, #12, or full-width １２ from a Chinese IME; else None."""
    # NFKC turns full-width digits and ＃ into ASCII; the length check keeps int() cheap.
    text = unicodedata.normalize("NFKC", text[:40]).strip().removeprefix("#")
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ISSUE_NUMBER else None


def _word(text: str) -> tuple[str, str]:
    """The first word and the rest; any whitespace separates (a newline, an IME space)."""
    parts = text.strip().split(None, 1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (text.strip(), "")


def parse_request(command: str, args: str) -> Request | None:
    """The request a command asks for, or None when its arguments do not fit."""
    action = COMMANDS[command]
    head, rest = _word(args)
    number = parse_number(head)
    if number is None:
        return None
    if action == "take":
        return Request(action, number) if not rest else None
    if action == "plan":
        when, note = _word(rest)
        day = parse_day(unicodedata.normalize("NFKC", when))
        return Request(action, number, note=note, plan_date=day) if day else None
    if action == "escalate":
        department, note = _word(rest)
        return Request(action, number, department=department, note=note) if visible(note) else None
    if action == "merge":
        other = parse_number(rest)
        return Request(action, number, other=other) if other else None
    if not rest:
        return None
    if action == "assign":
        return Request(action, number, assignee=rest)
    if action == "recategorise":
        return Request(action, number, category=rest)
    return Request(action, number, note=rest)
