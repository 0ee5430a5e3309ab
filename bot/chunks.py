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


def cut(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` units that join back to `text` exactly.

    Each part ends after its last line break that fits, else after the last whole token."""
    if units(text) <= limit:
        return [text]
    parts: list[str] = []
    start = size = 0
    line_end = None  # where the current part could end after a line break
    for token in _tokens(limit).finditer(text):
        width = units(token.group())
        while size + width > limit and token.start() > start:
            end = line_end if line_end is not None else token.start()
            parts.append(text[start:end])
            start, line_end = end, None
            size = units(text[start : token.start()])
        size += width
        if token.group() == "\n":
            line_end = token.end()
    parts.append(text[start:])
    return parts


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Messages of at most `limit` units; parts with nothing to show are left out."""
    return [part for part in cut(text, limit) if part.strip()] or [text[:limit]]
