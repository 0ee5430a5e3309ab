"""SPEC §7 Privacy: group posts never repeat a phone or ID-card number in full."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import privacy
from bot.privacy import excerpt, mask
from tests.conftest import Clock
from tests.world import A01, LI, ZHANG, ZHAO, World


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


# -- spellings people use, generated (issue 16) -----------------------------------------------


# Decimal digits of every script Unicode knows: ０-９, ٠-٩, ०-९ …
_ZEROS = [c for c in map(chr, range(0x30, 0x1FBFA)) if unicodedata.decimal(c, -1) == 0]
SCRIPTS = st.sampled_from(_ZEROS)
SEPARATORS = st.sampled_from(["", " ", "-", ".", "\u3000", "－"])
TEXT = st.text(st.sampled_from("路灯坏了请联系我电话身份证号：，。 abcXYZ"), max_size=12)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=n, max_size=n)


def _spell(groups: list[str], sep: str, zero: str) -> str:
    return sep.join("".join(chr(ord(zero) + int(d)) for d in g) for g in groups)


MOBILE = st.tuples(st.sampled_from("3456789"), _digits(9)).map(
    lambda t: ["1" + t[0] + t[1][0], t[1][1:5], t[1][5:]]
)  # 3-4-4
ID_CARD = st.tuples(st.sampled_from("123456789"), _digits(16)).map(
    lambda t: [t[0] + t[1][:5], t[1][5:13], t[1][13:] + "7"]
)  # 6-8-4
LANDLINE = st.tuples(_digits(2), _digits(8)).map(lambda t: ["0" + t[0], t[1][:4], t[1][4:]])


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["mobile", "id", "landline"]), st.data(), SEPARATORS, SCRIPTS, TEXT)
def test_no_spelling_of_a_number_shows_its_middle_digits(
    before: str, kind: str, data: st.DataObject, sep: str, zero: str, after: str
) -> None:
    groups = data.draw({"mobile": MOBILE, "id": ID_CARD, "landline": LANDLINE}[kind])
    if kind == "landline" and data.draw(st.booleans()):
        spelled = f"({_spell(groups[:1], '', zero)})" + _spell(groups[1:], sep, zero)
    else:
        spelled = _spell(groups, sep, zero)
    masked = mask(f"{before}{spelled}{after}")
    shown = sum(unicodedata.digit(c, None) is not None for c in masked)
    hidden = sum(map(len, groups)) - shown
    # A landline run together is ambiguous (3- or 4-digit area code): 3 or 4 are hidden.
    assert hidden >= (3 if kind == "landline" else len(groups[1])), (spelled, masked)
    assert (
        groups[2][-4:]
        == "".join(
            str(unicodedata.digit(c)) for c in masked if unicodedata.digit(c, None) is not None
        )[-4:]
    )


@settings(max_examples=200, deadline=None)
@given(TEXT, MOBILE | ID_CARD, TEXT, st.integers(min_value=2, max_value=40))
def test_shortened_text_never_shows_a_number_cut_short(
    before: str, groups: list[str], after: str, limit: int
) -> None:
    text = f"{before}{''.join(groups)}{after}"
    shown = "".join(c for c in excerpt(text, limit) if c.isdigit() or c == "*")
    whole = "".join(c for c in mask(text) if c.isdigit() or c == "*")
    # Cut after masking: what shows is the start of the masked number, never more digits.
    assert whole.startswith(shown)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("座机(010)87654321", "8765"),
        ("座机（010）87654321", "8765"),
        ("010-87654321", "8765"),
        ("身份证 110105 19900101 1234", "19900101"),
        ("138.1234.5678", "1234"),
        ("138 1234 5678", "1234"),
        ("١٣٨١٢٣٤٥٦٧٨", "١٢٣٤"),
        ("１３８　１２３４　５６７８", "１２３４"),
    ],
)
def test_other_spellings_are_masked(text: str, hidden: str) -> None:
    assert hidden not in mask(text)


def test_the_copy_the_patterns_read_has_every_digit_in_ascii() -> None:
    # The copy is made by a table filled as characters are met, and kept only up to a
    # number of them: every code point, past that number too (twice: found, then kept or
    # looked up again), is its ASCII digit when Unicode gives it a digit, else itself.
    punctuation = {"（": "(", "）": ")", "＋": "+", "－": "-", "．": ".", "　": " ", "Ｘ": "X"}
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for _ in range(2):
        copy = privacy._as_ascii(every)
        assert len(copy) == len(every)
        for char, got in zip(every, copy, strict=True):
            digit = unicodedata.digit(char, None)
            if digit is not None:
                assert got == str(digit), hex(ord(char))
            elif char in punctuation:
                assert got == punctuation[char]
            elif got != char:
                assert char in "ｘ‐‑‒–—−﹣・·" and got in "x-.", hex(ord(char))


# -- in the group: every list masks before it shortens ----------------------------------------


# The phone begins at the 22nd character, so a cut at 30 would keep 8 of its 11 digits.
NEAR_THE_CUT = "路灯坏了" + "请" * 15 + "电话13812345678" + "谢谢"


async def test_lists_and_the_digest_never_show_a_number_cut_short(
    world: World, clock: Clock
) -> None:
    await world.reply_to(world.say(ZHANG, f"/report {NEAR_THE_CUT}"))
    world.say(ZHANG, "/report 5号楼身份证110105199001011234的老人需要帮助")
    for who, command in ((ZHAO, "/open"), (LI, "/mine"), (ZHANG, "/my"), (LI, "/issue 1")):
        await world.reply_to(world.say(who, command))
    clock.now += timedelta(hours=1)  # the digest's week ends now, exclusive
    world.say(ZHAO, "/digest")
    await world.in_group(A01, "等待最久的诉求")
    await world.settle()
    posted = "\n".join(s.text or "" for s in world.emu.messages_in(A01))
    assert "138****" in posted
    for leak in ("1381234", "13812345", "19900101", "1990010"):
        assert leak not in posted, leak
