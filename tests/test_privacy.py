"""SPEC §7 Privacy: group posts never repeat a phone or ID-card number in full."""

from __future__ import annotations

import pytest

from bot.privacy import mask


@pytest.mark.parametrize(
    ("text", "hidden", "shown"),
    [
        ("电话13812345678联系我", "13812345678", "138****5678"),
        ("打 138-1234-5678 找我", "1234", "138****5678"),
        ("+86 13912345678", "13912345678", "139****5678"),
        ("座机 010-62345678", "62345678", "010-****5678"),
        ("身份证110101199003071234", "19900307", "110101********1234"),
        ("身份证 11010119900307123X", "19900307", "110101********123X"),
    ],
)
def test_numbers_are_masked(text: str, hidden: str, shown: str) -> None:
    masked = mask(text)
    assert hidden not in masked
    assert shown in masked


def test_ordinary_numbers_are_left_alone() -> None:
    text = "3号楼2单元501室，2026年11月22日，共12户"
    assert mask(text) == text
