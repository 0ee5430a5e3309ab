"""Member commands as typed: `/plan 12 2026-12-31 说明` → Request, or None with a usage line."""

from __future__ import annotations

import unicodedata

from bot.classify.textnorm import visible
from bot.issues.cases import Request
from bot.timefmt import parse_day

MAX_ISSUE_NUMBER = 2**31 - 1

# command → (action, usage shown when the arguments do not fit)
COMMANDS: dict[str, tuple[str, str]] = {
    "take": ("take", "/take 编号"),
    "progress": ("progress", "/progress 编号 进展说明"),
    "ask": ("ask", "/ask 编号 想向反映人了解的问题"),
    "plan": ("plan", "/plan 编号 YYYY-MM-DD 计划说明"),
    "escalate": ("escalate", "/escalate 编号 部门 监督建议"),
    "done": ("done", "/done 编号 办理结果"),
    "reject": ("reject", "/reject 编号 理由"),
    "dup": ("merge", "/dup 编号 保留的编号"),
    "assign": ("assign", "/assign 编号 委员姓名"),
    "cat": ("recategorise", "/cat 编号 类别"),
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
    action = COMMANDS[command][0]
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


def usage(command: str) -> str:
    return COMMANDS[command][1]
