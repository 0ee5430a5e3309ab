"""The second opinion on a category: naive Bayes over character n-grams.

Keywords decide what they know; where a message's words are not in the taxonomy (水龙头,
篮板, 抽搐) the characters around them still lean towards a category: 水 towards 市政设施,
球 towards 教育文体. The model is trained on the taxonomy's own keywords (each a short
document weighted by its weight) and on its labelled example messages, so nothing is
downloaded and a taxonomy without examples still has one.

Measured with bench/grid_eval.py --train (each part scored by a model that never saw it,
weight 3 of [second_opinion]): category accuracy on the fresh part 0.800 -> 0.943 (with the
two-thing and danger rules of the same change), holdout 0.823 -> 0.899, tune 0.953 -> 0.959.
Weight 2: 0.914 / 0.848 / 0.959; 5: 0.924 / 0.848 / 0.953 (before the place-word change).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, groupby, repeat
from operator import itemgetter, sub
from typing import Any, TypeVar

from bot.classify.gram_index import READ_CHARS, GramIndex, learned_codes, ngrams

# With no keyword at all, the model names a category only when it leads the next by this much
# mean log-probability per n-gram: "反映好几次了，一直没人管" leans 0.17 towards 市政设施
# (it is about nothing in particular), "篮板碎了，孩子们没法打球了" 1.2 towards 教育文体.
ALONE_LEAD = 0.3
# Additive smoothing: an n-gram never seen in a category is not impossible there.
ALPHA = 0.5

T = TypeVar("T")
Pick = Callable[[Sequence[Any]], tuple[Any, ...]]  # what picker() gives


def _count(names: Sequence[str], docs: Iterable[tuple[str, str, float]]) -> list[Counter[int]]:
    """Per category, weight x occurrences of each n-gram by code, in the order first met.

    A document of weight 1 (every example message) is counted by Counter.update, in C, as
    ints: they add up exactly as the floats did, and the small ones are shared objects, not a
    float each. Adding an int to a float rounds as adding the float of it would, so the
    sums, and the totals in the order first met, are the same bits as floats all through."""
    category_slot = {name: i for i, name in enumerate(names)}
    counts: list[Counter[int]] = [Counter() for _ in names]
    for text, category, weight in docs:
        if category in category_slot and weight > 0:
            table = counts[category_slot[category]]
            if weight == 1:
                table.update(learned_codes(text))
            else:
                for coded in learned_codes(text):
                    table[coded] += weight  # type: ignore[assignment]  # a float count
    return counts


def _vocabulary(counts: Sequence[Counter[int]]) -> array[int]:
    """The codes counted in any category, sorted, each once (no set of them all)."""
    every = sorted(chain.from_iterable(counts))
    return array("q", map(itemgetter(0), groupby(every)))


def picker(slots: Sequence[int]) -> Callable[[Sequence[T]], tuple[T, ...]]:
    """What picks ``slots`` out of a sequence, as a tuple (itemgetter's, in C)."""
    if len(slots) == 1:
        only = slots[0]
        return lambda values: (values[only],)
    if not slots:
        return lambda values: ()
    return itemgetter(*slots)  # type: ignore[return-value]


class _Coded:
    """A column of floats as a C array of small codes into its distinct values (each float
    once, in a tuple): a two-sided model's leads take 803-866 values in the shipped
    taxonomy (a log-probability depends only on the n-gram's count in the category), so 2
    bytes an n-gram instead of 8, and the very floats come back. Equal floats share a code
    (0.0 and -0.0 too: every value read is added to a sum that starts at 0.0, where they add
    alike)."""

    __slots__ = ("codes", "values")

    def __init__(self, floats: array[float]) -> None:
        place = dict.fromkeys(floats, 0)
        for code_, value in enumerate(place):
            place[value] = code_
        self.codes: array[int] = array(_typecode(len(place)), map(place.__getitem__, floats))
        self.values: tuple[float, ...] = tuple(place)

    def __getitem__(self, i: int) -> float:
        return self.values[self.codes[i]]

    def total(self, pick: Pick) -> float:
        """The sum of the values at the positions ``pick`` picks, in its order."""
        return sum(map(self.values.__getitem__, pick(self.codes)))


class _Rows:
    """A model's columns as rows (one tuple of the categories' floats an n-gram), each
    distinct row once, and a C array of each n-gram's row: the category model's 21,716
    n-grams have 1,897 distinct rows, the danger kinds' 10,208 have 1,057. Its 11 columns
    took 1.9 MB as doubles, 0.33 MB so (the floats are shared too); and summing picked rows
    column by column (zip, in C) is quicker than picking each column: 9 us a grid message
    where 12."""

    __slots__ = ("codes", "rows")

    def __init__(self, columns: Sequence[array[float]]) -> None:
        place = dict.fromkeys(zip(*columns, strict=True), 0)
        same: dict[float, float] = {}  # one float object for equal values
        rows = [tuple(same.setdefault(v, v) for v in row) for row in place]
        for code_, row in enumerate(place):
            place[row] = code_
        self.codes: array[int] = array(
            _typecode(len(place)), map(place.__getitem__, zip(*columns, strict=True))
        )
        self.rows: tuple[tuple[float, ...], ...] = tuple(rows)

    def means(self, pick: Pick, known: int) -> list[float]:
        """Each column's sum of the values at the positions ``pick`` picks (in its order),
        over ``known``."""
        picked = map(self.rows.__getitem__, pick(self.codes))
        return [sum(column) / known for column in zip(*picked, strict=True)]

    def column(self, k: int) -> array[float]:
        return array("d", map(itemgetter(k), map(self.rows.__getitem__, self.codes)))

    def lead(self, winner: int, other: int) -> Callable[[int], float]:
        rows, codes = self.rows, self.codes
        return lambda i: (row := rows[codes[i]])[winner] - row[other]


def _typecode(size: int) -> str:
    """The smallest unsigned C type for codes below ``size``."""
    return "B" if size <= 1 << 8 else "H" if size <= 1 << 16 else "I"


class NgramModel:
    """Per-category log-probabilities of n-grams; build once, then :meth:`scores` freely.

    Stored as rows of the categories' log-probabilities (one per n-gram of the model's
    vocabulary, and a last one of 0.0s that position -1, an n-gram the model does not know,
    reads; each distinct row once, see :class:`_Rows`) reached through a :class:`GramIndex`
    shared with the classifier's other models: an array per n-gram cost an object header
    and an allocation for each of ~20,000 n-grams, and its training went through Python
    lists of floats (bench_intake's peak RSS, see the commits that made it columns, shared
    the index and coded them). Adding the unknown n-grams' 0.0 leaves every sum as it was,
    bit for bit."""

    def __init__(
        self,
        names: Sequence[str],
        docs: Iterable[tuple[str, str, float]],
        index: GramIndex | None = None,
        *,
        leads_only: bool = False,
    ) -> None:
        """``docs``: (normalised text, category, weight); unknown categories are ignored.
        ``leads_only``: a two-category model read only by :meth:`leads` and
        :meth:`features` keeps only the first column less the second (coded, see
        :class:`_Coded`)."""
        self._index = index if index is not None else GramIndex()
        counts = _count(names, docs)
        vocab = _vocabulary(counts)
        self._size = len(names)
        self._trained = tuple(sum(c.values()) > 0 for c in counts)
        self._known = len(vocab)
        columns = [self._column(c, vocab) if c else None for c in counts]
        del counts  # the training's counts, before the index grows
        # A category without examples finds every n-gram as unlikely as the least likely
        # trained one does: it never wins, and never looks better than the winner.
        trained = [col for col in columns if col is not None]
        lowest = array("d", map(min, zip(*trained, strict=True)) if trained else [0.0])
        # numpy did the same sums, but its import was 14 MB of the bot's resident memory and
        # ~0.15 s of its first message; a message reads a few hundred n-grams, whose rows
        # itemgetter() picks and zip() and sum() add up in C.
        full = [lowest if col is None else col for col in columns]
        del columns, trained, lowest
        self._leads: _Coded | None = None
        self._rows: _Rows | None = None
        if leads_only:
            self._leads = _Coded(array("d", map(sub, *full)))
        else:
            self._rows = _Rows(full)
        del full
        self._local = self._index.add(vocab)

    @staticmethod
    def _column(counts: Counter[int], vocab: array[int]) -> array[float]:
        """log P(gram | category) for every gram of the vocabulary, then the unknown's 0.0.
        The logarithm depends on the count alone, and a category's counts take a few
        hundred values at most: each is worked out once (0 for an n-gram the category never
        saw: log(0 + ALPHA) is log(ALPHA), the same bits), then looked up, in C."""
        total = sum(counts.values())
        log_total = math.log(total + ALPHA * len(vocab))
        # An int and a float of one value are one key: n + ALPHA is the same float for both.
        logs = {n: math.log(n + ALPHA) - log_total for n in {0, *counts.values()}}
        column = array("d", map(logs.__getitem__, map(counts.get, vocab, repeat(0))))
        column.append(0.0)
        return column

    @property
    def empty(self) -> bool:
        return not self._known

    def scores(self, found: Sequence[int]) -> tuple[list[float], int]:
        """Mean log-probability per n-gram of a text for each category, and how many
        n-grams the model knew; ``found``: the text's :meth:`GramIndex.found`."""
        mine = picker(found)(self._local)
        known = len(mine) - mine.count(-1)
        if not known:
            return [0.0] * self._size, 0
        assert self._rows is not None, "a model of leads only has no scores"
        return self._rows.means(picker(mine), known), known

    def leads(self, found: Sequence[int]) -> tuple[float, int]:
        """The sum over a text's n-grams of log P(gram | first) - log P(gram | second) (a
        two-category model), and how many n-grams the model knew: their mean is the
        difference of the two :meth:`scores`, found with one subtraction a gram."""
        if self._leads is None:
            assert self._rows is not None
            self._leads = _Coded(array("d", map(sub, self._rows.column(0), self._rows.column(1))))
        mine = picker(found)(self._local)
        known = len(mine) - mine.count(-1)
        return (self._leads.total(picker(mine)) if known else 0.0), known

    def lead(self, scores: Sequence[float], slot: int) -> float:
        """How far ``slot`` is ahead of the best other trained category in ``scores``."""
        others = [v for i, v in enumerate(scores) if i != slot and self._trained[i]]
        return scores[slot] - max(others, default=scores[slot])

    def features(self, normalized: str, winner: int, other: int, limit: int = 4) -> list[str]:
        """The n-grams (of what :meth:`scores` reads) that most favour ``winner`` over
        ``other``, longest grams first among equals, each once."""
        lead = self._lead_of(winner, other)
        found: dict[str, float] = {}
        local = self._local
        grams = ngrams(normalized[:READ_CHARS])
        for gram, shared in zip(grams, self._index.each(normalized), strict=True):
            i = -1 if shared < 0 or len(gram) == 1 else local[shared]
            if i >= 0:
                found[gram] = found.get(gram, 0.0) + lead(i)
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        return [gram for gram, value in ranked[:limit] if value > 0]

    def _lead_of(self, winner: int, other: int) -> Callable[[int], float]:
        """What gives log P(gram | winner) - log P(gram | other) for a slot; from the leads
        of a model that kept only those (b - a is -(a - b) exactly: rounding is symmetric)."""
        if self._rows is not None:
            return self._rows.lead(winner, other)
        assert self._leads is not None
        leads = self._leads
        return leads.__getitem__ if (winner, other) == (0, 1) else lambda i: -leads[i]
