"""The second opinion on a category: naive Bayes over character n-grams.

Keywords decide what they know; where a message's words are not in the taxonomy (水龙头,
篮板, 抽搐) the characters around them still lean towards a category: 水 towards 市政设施,
球 towards 教育文体. The model is trained on the taxonomy's own keywords (each a short
document weighted by its weight) and on its labelled example messages, so nothing is
downloaded and a taxonomy without examples still has one.

Measured (bench/grid_eval.py --train): trained on the grid set's tune and holdout parts, on
the fresh part it had never seen category accuracy went from 0.800 (keywords alone) to the
figure in docs/classification.md; see there for the weight chosen.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

SIZES = (1, 2, 3)
# Additive smoothing: an n-gram never seen in a category is not impossible there.
ALPHA = 0.5


def ngrams(normalized: str) -> list[str]:
    """The 1-3 character n-grams of a normalised text, in order."""
    return [normalized[i : i + n] for n in SIZES for i in range(len(normalized) - n + 1)]


class NgramModel:
    """Per-category log-probabilities of n-grams; build once, then :meth:`scores` freely."""

    def __init__(self, names: Sequence[str], docs: Iterable[tuple[str, str, float]]) -> None:
        """``docs``: (normalised text, category, weight); unknown categories are ignored."""
        slot = {name: i for i, name in enumerate(names)}
        counts = [Counter[str]() for _ in names]
        for text, category, weight in docs:
            if category in slot and weight > 0:
                table = counts[slot[category]]
                for gram in ngrams(text):
                    table[gram] += weight
        vocab = set().union(*counts) if counts else set()
        self._size = len(names)
        self._log: dict[str, tuple[float, ...]] = {}
        totals = [sum(c.values()) + ALPHA * len(vocab) for c in counts]
        trained = [sum(c.values()) > 0 for c in counts]
        self._trained = tuple(trained)
        for gram in vocab:
            self._log[gram] = tuple(
                math.log((c[gram] + ALPHA) / t) if ok else 0.0
                for c, t, ok in zip(counts, totals, trained, strict=True)
            )

    @property
    def empty(self) -> bool:
        return not self._log

    def scores(self, normalized: str) -> tuple[list[float], int]:
        """Mean log-probability per n-gram for each category (0 for untrained ones, which
        never win), and how many known n-grams the text had."""
        sums = [0.0] * self._size
        known = 0
        for gram in ngrams(normalized):
            row = self._log.get(gram)
            if row is not None:
                known += 1
                for i, value in enumerate(row):
                    sums[i] += value
        if not known:
            return sums, 0
        pairs = list(zip(sums, self._trained, strict=True))
        floor = min(s for s, ok in pairs if ok)
        return [(s if ok else floor) / known for s, ok in pairs], known

    def features(self, normalized: str, winner: int, other: int, limit: int = 4) -> list[str]:
        """The n-grams that most favour ``winner`` over ``other``, longest grams first among
        equals, each once."""
        found: dict[str, float] = {}
        for gram in ngrams(normalized):
            row = self._log.get(gram)
            if row is not None and len(gram) > 1:
                found[gram] = found.get(gram, 0.0) + row[winner] - row[other]
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        return [gram for gram, lead in ranked[:limit] if lead > 0]
