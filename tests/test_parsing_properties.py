"""Properties of the pure text functions, checked on inputs hypothesis makes up (SPEC §10).

Each function here meets whatever a resident or a member types; the properties are what
the rest of the bot relies on: parsers never raise, masking never lets a number through,
splitting never loses or breaks text, normalising is stable and script-blind.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache
from string import Formatter

import opencc
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bot.chunks import clip, split_text, units
from bot.classify.classifier import Classifier
from bot.classify.taxonomy import load_taxonomy
from bot.classify.textnorm import Normalizer, clean, visible
from bot.grids.roster import split_values
from bot.issues.parsing import COMMANDS, MAX_ISSUE_NUMBER, parse_number, parse_request
from bot.privacy import mask
from bot.texts import SIMPLIFIED, TRADITIONAL, ZH_HANS, Texts
from handlers.emulator.entities import parse_html
from handlers.replies import split
from tests.conftest import DATA

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as people type it: every plane, plus the characters that break naive code.
ANY_TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from("\u200b\u200d\u202e\ufeff\x00\n\t #<>&;"),
    max_size=300,
)
NUMBERS = st.integers(min_value=1, max_value=MAX_ISSUE_NUMBER)
# A note: any text with something visible in it (notes are stripped, so no edge spaces).
NOTES = ANY_TEXT.map(str.strip).filter(visible)


@cache
def normalizer() -> Normalizer:
    return Normalizer()


@cache
def classifier() -> Classifier:
    return Classifier(load_taxonomy(None), normalizer())


# -- parsing ---------------------------------------------------------------------------------
@FAST
@given(ANY_TEXT)
def test_parse_number_never_raises_and_stays_in_range(text: str) -> None:
    number = parse_number(text)
    assert number is None or 0 < number <= MAX_ISSUE_NUMBER


@FAST
@given(NUMBERS, st.sampled_from(["", "#", "＃", " ", "\u3000"]))
@example(12, "")
def test_parse_number_reads_every_issue_number(number: int, prefix: str) -> None:
    assert parse_number(f"{prefix}{number}") == number
    wide = str(number).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert parse_number(f"{prefix}{wide}") == number  # typed with a full-width IME


@FAST
@given(st.integers().filter(lambda n: not 0 < n <= MAX_ISSUE_NUMBER))
@example(2**64)
@example(-(2**63))
def test_parse_number_refuses_numbers_beyond_the_sequence(number: int) -> None:
    assert parse_number(str(number)) is None


@FAST
@given(st.sampled_from(sorted(COMMANDS)), ANY_TEXT)
def test_parse_request_never_raises(command: str, args: str) -> None:
    request = parse_request(command, args)
    assert request is None or 0 < request.number <= MAX_ISSUE_NUMBER


@FAST
@given(NUMBERS, NOTES, st.sampled_from([" ", "\n", "\u3000", "  \t"]))
def test_notes_are_kept_as_written(number: int, note: str, gap: str) -> None:
    for command, field in (("progress", "note"), ("done", "note"), ("reject", "note"),
                           ("assign", "assignee"), ("cat", "category")):  # fmt: skip
        request = parse_request(command, f"{number}{gap}{note}")
        assert request is not None, (command, note)
        assert (request.number, getattr(request, field)) == (number, note)


@FAST
@given(NUMBERS, st.dates(min_value=date(1, 1, 1)), ANY_TEXT.map(str.strip))
def test_plan_reads_any_date(number: int, day: date, note: str) -> None:
    request = parse_request("plan", f"{number} {day.isoformat()} {note}")
    assert request is not None
    assert (request.number, request.plan_date, request.note) == (number, day, note)


@FAST
@given(NUMBERS, NUMBERS)
def test_dup_reads_both_numbers(number: int, other: int) -> None:
    request = parse_request("dup", f"#{number} #{other}")
    assert request is not None and (request.number, request.other) == (number, other)


@FAST
@given(NUMBERS, NOTES.filter(lambda s: len(s.split()) == 1), NOTES)
def test_escalate_reads_department_and_note(number: int, department: str, note: str) -> None:
    request = parse_request("escalate", f"{number} {department} {note}")
    assert request is not None
    assert (request.department, request.note) == (department, note)


@pytest.mark.parametrize("args", ["", "1", "1 ", "x 说明", "0 说明", "1" * 40 + " 说明"])
def test_incomplete_commands_get_the_usage_line(args: str) -> None:
    assert parse_request("progress", args) is None


# -- privacy ---------------------------------------------------------------------------------
DIGIT = st.sampled_from("0123456789")
MOBILES = st.tuples(st.sampled_from("3456789"), st.lists(DIGIT, min_size=9, max_size=9)).map(
    lambda t: "1" + t[0] + "".join(t[1])
)
IDS = st.tuples(
    st.sampled_from("123456789"), st.lists(DIGIT, min_size=16, max_size=16),
    st.sampled_from("0123456789Xx"),
).map(lambda t: t[0] + "".join(t[1]) + t[2])  # fmt: skip
# What may stand next to a number: anything but another digit (then it is a longer number).
NEIGHBOURS = ANY_TEXT.filter(lambda s: not s or not s[-1].isdigit())
AFTER = ANY_TEXT.filter(lambda s: not s or not s[0].isdigit())
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


@FAST
@given(NEIGHBOURS, MOBILES | IDS, AFTER, st.booleans())
@example("sfz", "110105194912310021", "ok", False)
@example("电话", "13812345678", "", True)
def test_mask_never_leaves_a_number_whole(
    before: str, number: str, after: str, wide: bool
) -> None:
    number = number.translate(FULL_WIDTH) if wide else number
    masked = mask(before + number + after)
    assert number not in masked
    # The last four stay, so people can still tell which number was meant.
    assert number[-4:] in masked


@FAST
@given(st.lists(NEIGHBOURS | MOBILES | IDS | st.just("-"), max_size=8).map("".join))
def test_mask_is_idempotent(text: str) -> None:
    once = mask(text)
    assert mask(once) == once


@FAST
@given(ANY_TEXT)
def test_mask_keeps_text_without_numbers(text: str) -> None:
    assume(not re.search(r"\d{7}", text.translate(FULL_WIDTH)))
    assert mask(text) == text


# -- splitting long answers ------------------------------------------------------------------
HTMLISH = st.lists(
    st.sampled_from([*"ab中😀\n <>&;", "&amp;", "&lt;", "<b>x</b>"]), max_size=200
).map("".join)


@FAST
@given(
    st.lists(ANY_TEXT | HTMLISH, max_size=40).map("".join),
    st.integers(min_value=8, max_value=4096),
)
@example("x" * 10_000, 4096)
@example("😀" * 5000, 4096)
@example("&lt;" * 3000, 4096)
def test_split_keeps_everything_within_the_limit(text: str, limit: int) -> None:
    parts = split(text, limit)
    assert "".join(parts) == text
    assert all(units(part) <= limit for part in parts)
    assert len(parts) == 1 or all(parts)


@FAST
@given(
    st.lists(st.sampled_from(["a", "中", "😀", "&amp;", "&lt;", "<b>粗</b>", "\n"]), max_size=3000)
)
def test_split_never_cuts_markup_apart(pieces: list[str]) -> None:
    text = "".join(pieces)
    for part in split(text, 64):
        parse_html(part)  # raises on a cut tag or entity, as Telegram answers 400


@FAST
@given(ANY_TEXT | HTMLISH, st.integers(min_value=8, max_value=4000))
def test_split_text_drops_only_blank_parts(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(part.strip() for part in parts) or parts == [text]
    assert all(units(part) <= limit for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


# -- normalisation ---------------------------------------------------------------------------
@FAST
@given(ANY_TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalizer().normalize(text)
    assert normalizer().normalize(once) == once


@cache
def realistic_phrases() -> list[str]:
    """Taxonomy keywords and real messages: Traditional and Simplified must read the same."""
    taxonomy = load_taxonomy(None)
    phrases = [k for c in taxonomy.categories for k in c.keywords]
    with (DATA / "grid_messages.csv").open(encoding="utf-8") as f:
        phrases += [row["text"] for row in csv.DictReader(f)]
    return phrases


@cache
def to_traditional(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


# Around the phrases: anything but rare ideographs, which OpenCC does not map back and forth.
FILLER = st.text(st.characters(codec="ascii") | st.sampled_from("，。！？、😀🚨\u200b\u3000"))


@FAST
@given(st.lists(st.sampled_from(realistic_phrases()) | FILLER, max_size=4).map("".join),
       st.sampled_from(["s2t", "s2tw", "s2hk"]))  # fmt: skip
def test_traditional_and_simplified_normalise_alike(text: str, config: str) -> None:
    simplified = normalizer().simplify(text)
    traditional = to_traditional(config).convert(simplified)
    assert normalizer().normalize(traditional) == normalizer().normalize(simplified)


# -- roster values ---------------------------------------------------------------------------
VALUE = (
    st.text(st.characters(exclude_characters=";；、,，"), min_size=1).map(str.strip).filter(bool)
)


@FAST
@given(st.lists(VALUE, max_size=8), st.sampled_from([";", "；", "、", ",", "，", " ; "]))
def test_roster_values_split_back(values: list[str], separator: str) -> None:
    assert split_values(separator.join(values)) == values


@FAST
@given(ANY_TEXT)
def test_roster_values_are_never_blank(text: str) -> None:
    for value in split_values(text):
        assert value and value == value.strip()
        assert not re.search(r"[;；、,，]", value)


# -- classification --------------------------------------------------------------------------
@FAST
@given(st.lists(st.sampled_from(realistic_phrases()) | ANY_TEXT, max_size=5).map("".join))
@example("")
@example("\x00" * 100)
@example("燃气" * 2000)
def test_classifier_always_answers_with_a_category(text: str) -> None:
    found = classifier().classify(text)
    assert found.category in classifier().taxonomy.names
    assert all(isinstance(k, str) and k for k in found.keywords)
    assert not found.urgent or found.is_problem


# -- input cleaning and filled-in templates --------------------------------------------------
@FAST
@given(ANY_TEXT | st.text(st.characters(categories=["Cs", "Cc"])))
def test_clean_leaves_only_what_can_be_stored_and_sent(text: str) -> None:
    cleaned = clean(text)
    cleaned.encode("utf-8")  # no lone surrogate left
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", cleaned)
    assert clean(cleaned) == cleaned


@FAST
@given(ANY_TEXT, st.integers(min_value=2, max_value=5000))
def test_clip_fits_the_limit_and_keeps_the_start(text: str, limit: int) -> None:
    clipped = clip(text, limit)
    assert units(clipped) <= limit
    assert clipped == text or (clipped.endswith("…") and text.startswith(clipped[:-1]))


TEMPLATES = sorted(ZH_HANS)


@FAST
@given(
    st.sampled_from(TEMPLATES),
    st.sampled_from([SIMPLIFIED, TRADITIONAL]),
    st.text(st.sampled_from("<>&\"'😀中a"), min_size=0, max_size=5000),
)
def test_every_template_filled_with_anything_is_one_valid_message(
    key: str, language: str, value: str
) -> None:
    fields = {name for _, name, _, _ in Formatter().parse(ZH_HANS[key]) if name}
    filled = Texts().get(language, key, **dict.fromkeys(fields, value))
    shown, _ = parse_html(filled)  # Telegram would answer 400 to broken markup
    assert units(shown) <= 4096
