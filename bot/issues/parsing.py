"""Member commands as typed: `/plan 12 2026-12-31 说明` → Request, or None with a usage line."""

from __future__ import annotations

import re
import unicodedata

from bot.classify.textnorm import visible
from bot.issues.cases import Request
from bot.timefmt import parse_day

MAX_ISSUE_NUMBER = 2**31 - 1

# command → the action it asks for (its usage line: texts key `usage_<command>`)
COMMANDS: dict[str, str] = {
    "take": "take",
    "progress": "progress",
    "ask": "ask",
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


# Chinese verbs a member may type in place of a command (Telegram's commands are latin):
# "认领 3", "办结 3 已修好". Simplified and Traditional; the number must follow the verb as a
# word of its own, so "办结3号楼的事" stays words; and only members' words are read this way.
# No bare 解决: "解决 2 个问题" is said in passing and must not close #2.
VERBS: dict[str, str] = {
    "认领": "take", "認領": "take",
    "进展": "progress", "進展": "progress",
    "办结": "done", "辦結": "done", "已解决": "done", "已解決": "done",
    "计划": "plan", "計劃": "plan", "列入计划": "plan", "列入計劃": "plan",
    "转交": "escalate", "轉交": "escalate",
    "询问": "ask", "詢問": "ask",
    "驳回": "reject", "駁回": "reject", "不予受理": "reject",
    "改派": "assign",
    "详情": "issue", "詳情": "issue",
}  # fmt: skip
_COMMAND_OF = {action: command for command, action in COMMANDS.items()}
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_LATIN = re.compile(r"\s*/([a-z]+)(?:@(\w+))?\s*(#?\d+)(?=\s|@|$)\s*(.*)", re.S | re.I)
_CHINESE = re.compile(
    r"\s*(" + "|".join(sorted(VERBS, key=len, reverse=True)) + r")\s*#?(\d+)(?=\s|$)\s*(.*)", re.S
)


def loose_command(text: str, bot_username: str | None) -> tuple[str, str] | None:
    """(command, arguments) for what a phone typed that Telegram did not see as our command:
    `/progress1 …` (no space), `／take 3` (full-width), a verb such as `办结 3 …`; a trailing
    `@bot` is dropped. None for anything else, and for a command Telegram parses itself."""
    # Full-width forms read as ASCII one for one, so the note keeps its own punctuation.
    typed = text.translate(_HALF_WIDTH)
    if found := _LATIN.fullmatch(typed):
        command, to, number = (found.group(1).lower(), found.group(2), found.group(3))
        if command not in (*COMMANDS, "issue") or (to and not _is_us(to, bot_username)):
            return None
        if text.startswith(f"/{command}") and not text[len(command) + 1 :][:1].isdigit():
            return None  # "/take 3" and "/take@bot 3": PTB's CommandHandler has it
        rest = text[found.start(4) :]
    elif found := _CHINESE.fullmatch(typed):
        verb, number, rest = found.group(1), found.group(2), text[found.start(3) :]
        command = _COMMAND_OF.get(VERBS[verb], VERBS[verb])
    else:
        return None
    return command, f"{number.lstrip('#')} {without_mention(rest, bot_username)}".strip()


def without_mention(args: str, bot_username: str | None) -> str:
    """Arguments without a trailing `@bot` (phones add it after choosing from the menu)."""
    if bot_username:
        args = re.sub(rf"\s*@{re.escape(bot_username)}\s*$", "", args, flags=re.I)
    return args.strip()


def _is_us(to: str, bot_username: str | None) -> bool:
    return bot_username is not None and to.lower() == bot_username.lower()


PROMPT_MARK = "✍️"  # how the prompts for a note begin (texts `prompt_*`)
_PROMPTED = re.compile(r"/([a-z]+) (\d+)")


def prompted(text: str) -> tuple[str, int] | None:
    """The step a prompt for a note asked for, read back from the prompt itself (it names the
    command, `/progress 3 说明`), so a reply is understood even after a restart."""
    if PROMPT_MARK not in text.split("\n", 1)[0]:
        return None
    found = _PROMPTED.search(text)
    if found is None or found.group(1) not in COMMANDS:
        return None
    number = parse_number(found.group(2))
    return (found.group(1), number) if number else None
