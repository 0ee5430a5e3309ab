"""Member commands as typed: `/plan 12 2026-12-31 说明` → Request, or None with a usage line."""

from __future__ import annotations

from bot.cases import Request
from bot.timefmt import parse_day

MAX_ISSUE_NUMBER = 2**31 - 1

# command → (action, usage shown when the arguments do not fit)
COMMANDS: dict[str, tuple[str, str]] = {
    "take": ("take", "/take 编号"),
    "progress": ("progress", "/progress 编号 进展说明"),
    "plan": ("plan", "/plan 编号 YYYY-MM-DD 计划说明"),
    "escalate": ("escalate", "/escalate 编号 部门 监督建议"),
    "done": ("done", "/done 编号 办理结果"),
    "reject": ("reject", "/reject 编号 理由"),
    "dup": ("merge", "/dup 编号 保留的编号"),
    "assign": ("assign", "/assign 编号 委员姓名"),
    "cat": ("recategorise", "/cat 编号 类别"),
}


def parse_number(text: str) -> int | None:
    """An issue number as typed: 12 or #12; None for anything else."""
    text = text.strip().removeprefix("#")
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ISSUE_NUMBER else None


def parse_request(command: str, args: str) -> Request | None:
    """The request a command asks for, or None when its arguments do not fit."""
    action = COMMANDS[command][0]
    head, _, rest = args.strip().partition(" ")
    number = parse_number(head)
    if number is None:
        return None
    rest = rest.strip()
    if action == "take":
        return Request(action, number) if not rest else None
    if action == "plan":
        when, _, note = rest.partition(" ")
        day = parse_day(when)
        return Request(action, number, note=note.strip(), plan_date=day) if day else None
    if action == "escalate":
        department, _, note = rest.partition(" ")
        return Request(action, number, department=department, note=note.strip()) if note else None
    if action == "merge":
        other = parse_number(rest)
        return Request(action, number, other=other) if other else None
    if not rest:
        return None
    field = {"assign": "assignee", "recategorise": "category"}.get(action, "note")
    return Request(action, number, **{field: rest})


def usage(command: str) -> str:
    return COMMANDS[command][1]
