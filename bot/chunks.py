"""Long texts cut into messages Telegram accepts (4,096 characters, counted in UTF-16)."""

from __future__ import annotations

# Below Telegram's 4,096 so that a part never trips the limit however it is counted.
LIMIT = 4000


def units(text: str) -> int:
    """Telegram's length: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Cut at line ends so that no part is longer than `limit`; a too-long line is cut too."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _pieces(line, limit):
            extra = units(piece) + (1 if current else 0)
            if current and size + extra > limit:
                parts.append("\n".join(current))
                current, size, extra = [], 0, units(piece)
            current.append(piece)
            size += extra
    parts.append("\n".join(current))
    return [part for part in parts if part.strip()] or [text[:limit]]


def _pieces(line: str, limit: int) -> list[str]:
    if units(line) <= limit:
        return [line]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = units(char)
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    return [*pieces, "".join(current)]
