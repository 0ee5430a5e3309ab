"""Masking of phone and ID-card numbers in anything posted to a group."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.chunks import clip

# A Chinese IME in full-width mode types １３８… and ＋８６, and some keyboards give Arabic-
# Indic or other digits: the patterns run on a copy with those made ASCII, character for
# character, so positions in the copy are positions in the original and the masked text
# keeps the resident's own characters around the stars.
_ASCII = str.maketrans(
    "Ｘｘ＋－（）．　‐‑‒–—−﹣・·",
    "Xx+-(). -------..",
)

# Between the groups of a number people put a space, a dash or a dot (138.1234.5678).
_SEP = r"[-.\s]?"
# ID cards first: 18 characters would otherwise be half-eaten by the phone patterns. Only
# digits bound a number: "sfz110105…" is still an ID number, and letters are no guard.
_ID_CARD = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}([0-9]{{4}}{_SEP}[0-9]{{4}}){_SEP}([0-9]{{3}}[0-9Xx])"
    r"(?![0-9])"
)
_ID_CARD_15 = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}([0-9]{{6}}){_SEP}([0-9]{{3}})(?![0-9])"
)
_MOBILE = re.compile(
    rf"(?<![0-9])((?:\+|00)?86[-\s]?)?(1[3-9][0-9]){_SEP}([0-9]{{4}}){_SEP}([0-9]{{4}})"
    r"(?![0-9])"
)
# (010)87654321, 010-87654321, 0755 8765 4321.
_LANDLINE = re.compile(
    rf"(?<![0-9])(\(0[0-9]{{2,3}}\)|0[0-9]{{2,3}}){_SEP}([0-9]{{3,4}}){_SEP}([0-9]{{4}})"
    r"(?![0-9])"
)

Masker = Callable[[re.Match[str], str], str]


def _id_card(m: re.Match[str], original: str) -> str:
    hidden = "*" * sum(char.isdigit() for char in m[2])
    return original[m.start(1) : m.end(1)] + hidden + original[m.start(3) : m.end(3)]


def _mobile(m: re.Match[str], original: str) -> str:
    head = original[m.start() : m.end(2)] if m[1] else original[m.start(2) : m.end(2)]
    return head + "****" + original[m.start(4) : m.end(4)]


def _landline(m: re.Match[str], original: str) -> str:
    hidden = "*" * len(m[2])
    dash = "" if m[1].endswith(")") else "-"
    return original[m.start(1) : m.end(1)] + dash + hidden + original[m.start(3) : m.end()]


class _AsciiTable(dict[int, int]):
    """str.translate's table to the ASCII copy: the punctuation above, and every other digit
    (full-width, Arabic-Indic, ...) as its ASCII digit. Characters are looked up in
    unicodedata as they are first met (`__missing__`) and remembered, so the copy is one
    pass in C: a Chinese text character by character in Python was most of a county's
    weekly digests' masking (0.9 of 1.3 s, profiled). At most CACHED characters are kept
    (the common Chinese ones are ~7,000): beyond them each is looked up every time."""

    CACHED = 20_000

    def __missing__(self, code: int) -> int:
        char = chr(code)
        value = unicodedata.digit(char, None)
        ascii_code = ord(str(value)) if value is not None and value < 10 else code
        if len(self) < self.CACHED:
            self[code] = ascii_code
        return ascii_code


_TABLE = _AsciiTable(_ASCII)


def _as_ascii(text: str) -> str:
    """The same text, one character for one, with every digit an ASCII digit."""
    return text.translate(_TABLE)


def _apply(pattern: re.Pattern[str], masker: Masker, text: str, ascii_text: str) -> str:
    pieces, last = [], 0
    for m in pattern.finditer(ascii_text):
        pieces += [text[last : m.start()], masker(m, text)]
        last = m.end()
    return "".join([*pieces, text[last:]])


_MASKERS: tuple[tuple[re.Pattern[str], Masker], ...] = (
    (_ID_CARD, _id_card),
    (_ID_CARD_15, _id_card),
    (_MOBILE, _mobile),
    (_LANDLINE, _landline),
)


def mask(text: str) -> str:
    """Replace the middle digits of phones and ID numbers with stars: 138****5678.

    Each pattern runs on the ASCII copy of the text as the patterns before it left it; the
    copy is made again only after one of them changed the text (most texts have no number)."""
    ascii_text = _as_ascii(text)
    for pattern, masker in _MASKERS:
        if pattern.search(ascii_text) is not None:
            text = _apply(pattern, masker, text, ascii_text)
            ascii_text = _as_ascii(text)
    return text


def excerpt(text: str, limit: int) -> str:
    """A resident's text as others may read it: masked first, then shortened to `limit`.

    The other order would let a cut number slip through (13812345…), because a number cut
    short is no longer recognised as one."""
    return clip(mask(text), limit)
