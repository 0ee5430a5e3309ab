"""Masking of phone and ID-card numbers in anything posted to a group."""

from __future__ import annotations

import re
from collections.abc import Callable

# A Chinese IME in full-width mode types １３８… and ＋８６: the patterns run on a copy with
# those made ASCII, character for character, so positions in the copy are positions in the
# original and the masked text keeps the resident's own characters around the stars.
_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ＋－", "0123456789Xx+-")

# ID cards first: 18 characters would otherwise be half-eaten by the phone patterns. Only
# digits bound a number: "sfz110105…" is still an ID number, and letters are no guard.
_ID_CARD = re.compile(r"(?<![0-9])([1-9][0-9]{5})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9])")
_ID_CARD_15 = re.compile(r"(?<![0-9])([1-9][0-9]{5})([0-9]{6})([0-9]{3})(?![0-9])")
_MOBILE = re.compile(
    r"(?<![0-9])(\+?86[-\s]?)?(1[3-9][0-9])[-\s]?([0-9]{4})[-\s]?([0-9]{4})(?![0-9])"
)
_LANDLINE = re.compile(r"(?<![0-9])(0[0-9]{2,3})[-\s]?([0-9]{3,4})([0-9]{4})(?![0-9])")

Masker = Callable[[re.Match[str], str], str]


def _id_card(m: re.Match[str], original: str) -> str:
    return original[m.start(1) : m.end(1)] + "*" * len(m[2]) + original[m.start(3) : m.end(3)]


def _mobile(m: re.Match[str], original: str) -> str:
    head = original[m.start() : m.end(2)] if m[1] else original[m.start(2) : m.end(2)]
    return head + "****" + original[m.start(4) : m.end(4)]


def _landline(m: re.Match[str], original: str) -> str:
    return original[m.start(1) : m.end(1)] + "-" + "*" * len(m[2]) + original[m.start(3) : m.end()]


def _apply(pattern: re.Pattern[str], masker: Masker, text: str) -> str:
    ascii_text = text.translate(_ASCII)
    pieces, last = [], 0
    for m in pattern.finditer(ascii_text):
        pieces += [text[last : m.start()], masker(m, text)]
        last = m.end()
    return "".join([*pieces, text[last:]])


def mask(text: str) -> str:
    """Replace the middle digits of phones and ID numbers with stars: 138****5678."""
    for pattern, masker in (
        (_ID_CARD, _id_card),
        (_ID_CARD_15, _id_card),
        (_MOBILE, _mobile),
        (_LANDLINE, _landline),
    ):
        text = _apply(pattern, masker, text)
    return text
