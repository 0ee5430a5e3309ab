"""Masking of phone and ID-card numbers in anything posted to a group."""

from __future__ import annotations

import re

# ID cards first: 18 characters would otherwise be half-eaten by the phone patterns.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID_CARD_15 = re.compile(r"(?<!\d)([1-9]\d{5})(\d{6})(\d{3})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[-\s]?(\d{3,4})(\d{4})(?!\d)")


def mask(text: str) -> str:
    """Replace the middle digits of phones and ID numbers with stars: 138****5678."""
    text = _ID_CARD.sub(lambda m: m[1] + "*" * 8 + m[3], text)
    text = _ID_CARD_15.sub(lambda m: m[1] + "*" * 6 + m[3], text)
    text = _MOBILE.sub(lambda m: (m[1] or "") + m[2] + "****" + m[4], text)
    return _LANDLINE.sub(lambda m: m[1] + "-" + "*" * len(m[2]) + m[3], text)
