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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import itemgetter

SIZES = (1, 2, 3)  # ngrams() lists the single characters first, then the longer grams
# Only the start of a text is read: a letter's title (repeated, evaluation.TITLE_REPEAT) and
# first lines say what it is about, the rest is the story. Ten seeded 60/40 splits of
# messages_dev.csv: all of it 0.884 mean (min 0.852), 400 chars 0.885, 300 and 200 chars
# 0.887 (min 0.865); grid messages are shorter than this anyway.
READ_CHARS = 300
# With no keyword at all, the model names a category only when it leads the next by this much
# mean log-probability per n-gram: "反映好几次了，一直没人管" leans 0.17 towards 市政设施
# (it is about nothing in particular), "篮板碎了，孩子们没法打球了" 1.2 towards 教育文体.
ALONE_LEAD = 0.3
# Additive smoothing: an n-gram never seen in a category is not impossible there.
ALPHA = 0.5


def ngrams(normalized: str) -> list[str]:
    """The 1-3 character n-grams of a normalised text, in order."""
    text = normalized
    out = list(text)
    for n in SIZES[1:]:
        out += [text[i : i + n] for i in range(len(text) - n + 1)]  # faster than a generator
    return out


class NgramModel:
    """Per-category log-probabilities of n-grams; build once, then :meth:`scores` freely.

    Stored as one C array of doubles per category (a column: one slot per n-gram of the
    vocabulary) and one index of n-gram -> slot: an array per n-gram (a row) cost an object
    header and an allocation for each of ~20,000 n-grams, and its training went through
    Python lists of floats (bench_intake's peak RSS, see the commit that made it columns)."""

    def __init__(self, names: Sequence[str], docs: Iterable[tuple[str, str, float]]) -> None:
        """``docs``: (normalised text, category, weight); unknown categories are ignored."""
        slot = {name: i for i, name in enumerate(names)}
        counts: list[dict[str, float]] = [defaultdict(float) for _ in names]
        for text, category, weight in docs:
            if category in slot and weight > 0:
                table = counts[slot[category]]
                # Grams of digits and Latin letters alone are not learned: they say nothing
                # a person would call a reason, and learned from notices' dates and times,
                # "00" and "10" made a pasted "&#x110000;" look like an announcement. Unknown
                # to the model, they are passed over when a text is read.
                for gram in ngrams(text):
                    if not gram.isascii():
                        table[gram] += weight
        vocab = sorted(set().union(*counts)) if counts else []
        self._size = len(names)
        self._trained = tuple(sum(c.values()) > 0 for c in counts)
        self._index: dict[str, int] = {gram: i for i, gram in enumerate(vocab)}
        columns = [self._column(c, vocab) if c else None for c in counts]
        # A category without examples finds every n-gram as unlikely as the least likely
        # trained one does: it never wins, and never looks better than the winner.
        trained = [col for col in columns if col is not None]
        lowest = array("d", map(min, zip(*trained, strict=True))) if trained else array("d")
        # numpy did the same sums, but its import was 14 MB of the bot's resident memory and
        # ~0.15 s of its first message; a message reads a few hundred slots of each column,
        # which itemgetter() picks and sum() adds in C.
        self._columns = tuple(lowest if col is None else col for col in columns)

    @staticmethod
    def _column(counts: dict[str, float], vocab: list[str]) -> array[float]:
        """log P(gram | category) for every gram of the vocabulary."""
        total = sum(counts.values())
        log_total = math.log(total + ALPHA * len(vocab))
        unseen = math.log(ALPHA) - log_total
        seen = {g: math.log(n + ALPHA) - log_total for g, n in counts.items()}
        return array("d", map(seen.get, vocab, repeat(unseen)))

    @property
    def empty(self) -> bool:
        return not self._index

    def scores(self, normalized: str, grams: list[str] | None = None) -> tuple[list[float], int]:
        """Mean log-probability per n-gram of the text's first READ_CHARS characters for each
        category, and how many known n-grams there were; ``grams``: those n-grams, if the
        caller has them already."""
        if grams is None:
            grams = ngrams(normalized[:READ_CHARS])
        found = [i for i in map(self._index.get, grams) if i is not None]
        known = len(found)
        if not known:
            return [0.0] * self._size, 0
        if known == 1:
            return [column[found[0]] for column in self._columns], 1
        pick = itemgetter(*found)
        return [sum(pick(column)) / known for column in self._columns], known

    def differences(self, first: int, second: int) -> dict[str, float]:
        """log P(gram | first) - log P(gram | second) for every known gram: with two
        categories, a text's mean of these is the difference of its two :meth:`scores`,
        found with one dictionary look-up a gram."""
        one, other = self._columns[first], self._columns[second]
        return {gram: one[i] - other[i] for gram, i in self._index.items()}

    def lead(self, scores: Sequence[float], slot: int) -> float:
        """How far ``slot`` is ahead of the best other trained category in ``scores``."""
        others = [v for i, v in enumerate(scores) if i != slot and self._trained[i]]
        return scores[slot] - max(others, default=scores[slot])

    def features(self, normalized: str, winner: int, other: int, limit: int = 4) -> list[str]:
        """The n-grams (of what :meth:`scores` reads) that most favour ``winner`` over
        ``other``, longest grams first among equals, each once."""
        ahead, behind = self._columns[winner], self._columns[other]
        found: dict[str, float] = {}
        for gram in ngrams(normalized[:READ_CHARS]):
            i = self._index.get(gram)
            if i is not None and len(gram) > 1:
                found[gram] = found.get(gram, 0.0) + ahead[i] - behind[i]
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        return [gram for gram, lead in ranked[:limit] if lead > 0]
