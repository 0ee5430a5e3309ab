"""N-gram models sharing one index read texts as they would with an index of their own."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from bot.classify.gram_index import READ_CHARS, GramIndex, code, codes, ngrams
from bot.classify.ngrams import ALPHA, NgramModel

FIRST = [("电梯坏了", "物业", 1.0), ("路灯不亮", "市政", 1.0), ("水管爆了", "市政", 2.0)]
SECOND = [("楼上漏水", "邻里", 1.0), ("狗叫扰民", "邻里", 1.0), ("垃圾没人清", "环卫", 0.5)]
TEXTS = ("电梯又坏了", "楼上漏水到我家", "狗叫了一晚上", "abc", "")


def test_models_on_one_index_score_as_models_on_their_own() -> None:
    shared = GramIndex()
    first = NgramModel(("物业", "市政"), FIRST, shared)
    second = NgramModel(("邻里", "环卫", "未学"), SECOND, shared)  # grows the index
    alone_first = NgramModel(("物业", "市政"), FIRST)
    alone_second = NgramModel(("邻里", "环卫", "未学"), SECOND)
    for text in TEXTS:
        for model, alone in ((first, alone_first), (second, alone_second)):
            assert model.scores(shared.found(text)) == alone.scores(alone._index.found(text))
        assert first.leads(shared.found(text)) == alone_first.leads(alone_first._index.found(text))


def test_an_ngram_only_another_model_knows_is_not_counted() -> None:
    shared = GramIndex()
    first = NgramModel(("物业", "市政"), FIRST, shared)
    NgramModel(("邻里", "环卫"), SECOND, shared)
    assert first.scores(shared.found("狗叫扰民")) == ([0.0, 0.0], 0)
    assert first.leads(shared.found("狗叫扰民")) == (0.0, 0)


# Grams of every kind the codes must keep apart: NUL and U+10FFFF at either end, a lone
# surrogate, ASCII pairs beside a Chinese character ("10号" is learned, "10" is not).
ODD = "\x00水\U0010ffff\ud800a电10号楼\x00"
MIXED = [
    ("电梯坏了电梯", "物业", 1),
    ("电梯困人10号楼", "物业", 0.7),
    ("路灯不亮\x00", "市政", 0.3),
    ("水管爆了" + ODD, "市政", 1.0),
    ("水管又爆了", "市政", 2.5),
    ("ab12", "市政", 1.0),  # ASCII alone: nothing learned
    ("甲乙", "物业", 0.1),  # one n-gram counted as 1, 1.0 and weights in between
    ("甲乙", "物业", 1),
    ("甲乙", "物业", 0.4),
]
# Texts of REPEATS_FROM characters or more look each n-gram up once, then repeat its slot.
READS = ("甲乙", "电梯又坏了", "10号楼水管爆了", ODD, "路灯\x00不亮", "ab12", "", "x" * 400 + "电",
         "电梯坏了水管爆了" * 20 + ODD)  # fmt: skip


Docs = Sequence[tuple[str, str, float]]


def _reference(names: list[str], docs: Docs) -> tuple[set[str], list[dict[str, float]]]:
    """The model as it was computed with strings and floats (before the packed index): its
    n-grams, and each category's column as {n-gram: log-probability}."""
    counts: list[dict[str, float]] = [defaultdict(float) for _ in names]
    for text, category, weight in docs:
        if category in names and weight > 0:
            for gram in ngrams(text):
                if not gram.isascii():
                    counts[names.index(category)][gram] += weight
    vocab = set().union(*counts)
    columns: list[dict[str, float] | None] = []
    for table in counts:
        if not table:
            columns.append(None)
            continue
        log_total = math.log(sum(table.values()) + ALPHA * len(vocab))
        unseen = math.log(ALPHA) - log_total
        columns.append({g: math.log(table[g] + ALPHA) - log_total if g in table else unseen
                        for g in vocab})  # fmt: skip
    trained = [c for c in columns if c is not None]
    lowest = {g: min(c[g] for c in trained) for g in vocab}
    return vocab, [lowest if c is None else c for c in columns]


def _reference_scores(names: list[str], docs: Docs, text: str) -> tuple[list[float], int]:
    vocab, columns = _reference(names, docs)
    read = [g for g in ngrams(text[:READ_CHARS]) if g in vocab]
    if not read:
        return [0.0] * len(names), 0
    return [sum(column[g] for g in read) / len(read) for column in columns], len(read)


def test_the_packed_model_scores_as_strings_and_floats_did_bit_for_bit() -> None:
    """Counts of weight-1 documents are ints, the rest floats, the n-grams codes in C
    arrays: every score is the same float as the string-and-float model's."""
    names = ("物业", "市政", "未学")
    shared = GramIndex()
    NgramModel(("邻里", "环卫"), SECOND, shared)  # the index holds another model's n-grams too
    model = NgramModel(names, MIXED, shared)
    alone = NgramModel(names, MIXED)
    for text in READS:
        expected = _reference_scores(list(names), MIXED, text)
        assert model.scores(shared.found(text)) == expected, text
        assert alone.scores(alone._index.found(text)) == expected, text


def test_the_leads_are_the_difference_of_the_columns_summed_in_reading_order() -> None:
    names = ("物业", "市政")
    model = NgramModel(names, MIXED, leads_only=True)
    vocab, (first, second) = _reference(list(names), MIXED)
    for text in READS:
        read = [g for g in ngrams(text[:READ_CHARS]) if g in vocab]
        expected = (sum(first[g] - second[g] for g in read) if read else 0.0), len(read)
        assert model.leads(model._index.found(text)) == expected, text


def test_each_ngram_has_its_own_code_and_the_index_finds_the_learned_ones() -> None:
    grams = ngrams(ODD + "电梯")
    assert codes(ODD + "电梯") == [code(g) for g in grams]
    assert len({code(g) for g in grams}) == len(set(grams))
    index = GramIndex()
    NgramModel(("物业", "市政"), MIXED, index)
    learned = {g for text, _, _ in MIXED for g in ngrams(text) if not g.isascii()}
    for text in READS:
        grams = ngrams(text[:READ_CHARS])
        each = index.each(text)
        assert [slot >= 0 for slot in each] == [g in learned for g in grams], text
        assert index.found(text) == [slot for slot in each if slot >= 0]
    assert "10号" in learned and "10" not in learned


def test_rows_and_coded_leads_read_the_floats_the_columns_were() -> None:
    """The model keeps each distinct row once, and two-sided leads as codes: every score,
    lead and explanation as the string-and-float computation's."""
    names = ("物业", "市政")
    model, leads = NgramModel(names, MIXED), NgramModel(names, MIXED, leads_only=True)
    vocab, _ = _reference(list(names), MIXED)
    for text in READS:
        found = model._index.found(text)
        assert model.scores(found) == _reference_scores(list(names), MIXED, text), text
        assert model.leads(found) == leads.leads(leads._index.found(text)), text
        for winner, other in ((0, 1), (1, 0)):
            assert model.features(text, winner, other) == leads.features(text, winner, other)
    assert model._rows is not None and len(model._rows.rows) < len(vocab)


def test_models_of_the_same_ngrams_share_one_map_as_the_index_grows() -> None:
    shared = GramIndex()
    first = NgramModel(("物业", "市政"), FIRST, shared)
    sides = [(text, "a" if cat == "物业" else "b", weight) for text, cat, weight in FIRST]
    both = NgramModel(("a", "b"), sides, shared, leads_only=True)
    assert both._local is first._local
    NgramModel(("邻里", "环卫"), SECOND, shared)  # grows the index, and the shared map once
    alone, alone_both = NgramModel(("物业", "市政"), FIRST), NgramModel(("a", "b"), sides)
    for text in (*TEXTS, *READS):
        assert first.scores(shared.found(text)) == alone.scores(alone._index.found(text))
        assert both.leads(shared.found(text)) == alone_both.leads(alone_both._index.found(text))


def test_an_index_grown_by_many_or_by_a_few_ngrams_finds_each_models_own() -> None:
    """A model adding most of its n-grams (merged by sorting) or a few (copied in between)."""
    shared = GramIndex()
    big = NgramModel(("物业", "市政"), MIXED, shared)
    few = [("电梯坏了水管", "甲", 1.0), ("新词", "乙", 1.0)]  # two n-grams new to the index
    small = NgramModel(("甲", "乙"), few, shared)
    many = NgramModel(("邻里", "环卫"), SECOND, shared)
    for model, docs, names in ((big, MIXED, ("物业", "市政")), (small, few, ("甲", "乙")),
                               (many, SECOND, ("邻里", "环卫"))):  # fmt: skip
        alone = NgramModel(names, docs)
        for text in (*READS, *TEXTS, "新词电梯"):
            assert model.scores(shared.found(text)) == alone.scores(alone._index.found(text))
    texts = [text for docs in (MIXED, few, SECOND) for text, _, _ in docs]
    learned = {g for text in texts for g in ngrams(text) if not g.isascii()}
    for text in (*READS, "新词电梯"):
        each = shared.each(text)
        assert [s >= 0 for s in each] == [g in learned for g in ngrams(text[:READ_CHARS])]
        assert shared.found(text) == [s for s in each if s >= 0]
