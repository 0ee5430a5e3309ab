"""Long texts cut into messages Telegram accepts (4,096 characters, counted in UTF-16)."""

from __future__ import annotations

import re

# Below Telegram's 4,096 so that a part never trips the limit however it is counted.
LIMIT = 4000

# What a cut must never fall inside: an HTML tag, a character reference, a character.
# Cut in half, the first two make Telegram answer 400 and the message is lost.
_TAG, _REF = r"<[^<>]{{0,{}}}>", r"&#?[0-9A-Za-z]{1,10};"


def _tokens(limit: int) -> re.Pattern[str]:
    if limit < 12:
        return re.compile(".", re.S)
    return re.compile("|".join((_TAG.format(min(200, limit - 2)), _REF, ".")), re.S)


def units(text: str) -> int:
    """Telegram's length: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """The text, or as much of it as fits in `limit` units followed by "…"."""
    if units(text) <= limit:
        return text
    kept, size = [], 1
    for char in text:
        size += units(char)
        if size > limit:
            break
        kept.append(char)
    return "".join(kept) + "…"


def cut(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` units that join back to `text` exactly.

    A part ends, by preference, after a line break outside any tag pair, else between two
    tokens outside any tag pair, else between any two tokens (a bold stretch too long for
    one message)."""
    tokens = _tokens(limit)
    parts: list[str] = []
    start = 0
    while units(text[start:]) > limit:
        end = _cut_point(text, start, limit, tokens)
        parts.append(text[start:end])
        start = end
    return [*parts, text[start:]]


def _cut_point(text: str, start: int, limit: int, tokens: re.Pattern[str]) -> int:
    """Where the part beginning at `start` should end."""
    size = depth = 0
    line = outside = None
    pos = start
    while True:
        token = tokens.match(text, pos)
        assert token is not None  # "." matches any character, newlines included
        size += units(token.group())
        if size > limit and pos > start:
            return line or outside or pos
        if depth == 0 and pos > start:
            outside = pos
        depth = max(0, depth + _nesting(token.group()))
        pos = token.end()
        if depth == 0 and token.group() == "\n":
            line = pos


def _nesting(token: str) -> int:
    if len(token) < 3 or token[0] != "<":
        return 0
    return -1 if token[1] == "/" else 1


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Messages of at most `limit` units; parts with nothing to show are left out."""
    return [part for part in cut(text, limit) if part.strip()] or [text[:limit]]
