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
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import itemgetter, sub
from typing import TypeVar

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

T = TypeVar("T")


def ngrams(normalized: str) -> list[str]:
    """The 1-3 character n-grams of a normalised text, in order."""
    text = normalized
    out = list(text)
    for n in SIZES[1:]:
        out += [text[i : i + n] for i in range(len(text) - n + 1)]  # faster than a generator
    return out


class GramIndex:
    """One n-gram -> slot index for all the n-gram models of a classifier, and each model's
    map from those slots to its own: the category, problem, urgency and danger-kind models
    know mostly the same n-grams (63,587 between them, 155,056 counted model by model), and
    an index of their own cost each a string, an int and a dictionary entry per n-gram.
    A text's n-grams are looked up once for all of them (the last text's are kept)."""

    def __init__(self) -> None:
        self._slots: dict[str, int] = {}
        self._maps: list[array[int]] = []
        self._lock = threading.Lock()  # models may be trained on two threads at once
        self._last: tuple[str | None, int, list[int]] = (None, 0, [])

    def found(self, normalized: str) -> list[int]:
        """The slots of the known n-grams of the text's first READ_CHARS characters, in
        order, repeats included."""
        last, size = self._last, len(self._slots)  # one read: another thread may replace it
        if last[0] == normalized and last[1] == size:
            return last[2]
        found = [i for i in map(self._slots.get, ngrams(normalized[:READ_CHARS])) if i is not None]
        self._last = (normalized, size, found)
        return found

    @property
    def slot(self) -> Callable[[str], int | None]:
        """An n-gram's slot, or None (the index's own look-up, no method call between)."""
        return self._slots.get

    def learn(
        self, names: Sequence[str], docs: Iterable[tuple[str, str, float]]
    ) -> tuple[list[dict[int, float]], list[int], array[int]]:
        """Each category's weighted counts of the documents' n-grams by slot (n-grams new
        to the index added), the slots counted, sorted, and a map from the index's slots to
        positions among those (-1: not counted). Counted by slot, the training keeps no
        string of its own for an n-gram the index knows (the urgency opinion's were ~6 MB
        of the bot's peak). New slots are published after every map has grown, so a slot
        :meth:`found` returns is inside every map."""
        with self._lock:
            slots, fresh = self._slots, dict[str, int]()
            counts = _count(names, docs, slots, fresh)
            vocab = sorted(set().union(*counts)) if counts else []
            for mapping in self._maps:
                mapping.extend(repeat(-1, len(fresh)))
            local = array("i", repeat(-1, len(slots) + len(fresh)))
            for position, slot in enumerate(vocab):
                local[slot] = position
            slots.update(fresh)
            self._maps.append(local)
        return counts, vocab, local


def _count(
    names: Sequence[str],
    docs: Iterable[tuple[str, str, float]],
    slots: dict[str, int],
    fresh: dict[str, int],
) -> list[dict[int, float]]:
    """Per category, weight x occurrences of each n-gram by slot: ``slots``' own, or one
    after them that ``fresh`` is given."""
    category_slot = {name: i for i, name in enumerate(names)}
    counts: list[dict[int, float]] = [defaultdict(float) for _ in names]
    known, new, base = slots.get, fresh.get, len(slots)
    for text, category, weight in docs:
        if category in category_slot and weight > 0:
            table = counts[category_slot[category]]
            # Grams of digits and Latin letters alone are not learned: they say nothing a
            # person would call a reason, and learned from notices' dates and times, "00"
            # and "10" made a pasted "&#x110000;" look like an announcement. Unknown to the
            # model, they are passed over when a text is read.
            for gram in ngrams(text):
                if not gram.isascii():
                    slot = known(gram)
                    if slot is None:
                        slot = new(gram)
                        if slot is None:
                            slot = fresh[gram] = base + len(fresh)
                    table[slot] += weight
    return counts


def picker(slots: Sequence[int]) -> Callable[[Sequence[T]], tuple[T, ...]]:
    """What picks ``slots`` out of a sequence, as a tuple (itemgetter's, in C)."""
    if len(slots) == 1:
        only = slots[0]
        return lambda values: (values[only],)
    if not slots:
        return lambda values: ()
    return itemgetter(*slots)  # type: ignore[return-value]


class NgramModel:
    """Per-category log-probabilities of n-grams; build once, then :meth:`scores` freely.

    Stored as one C array of doubles per category (a column: one slot per n-gram of the
    model's vocabulary, and a last one of 0.0 that slot -1, an n-gram the model does not
    know, reads) reached through a :class:`GramIndex` shared with the classifier's other
    models: an array per n-gram (a row) cost an object header and an allocation for each of
    ~20,000 n-grams, and its training went through Python lists of floats (bench_intake's
    peak RSS, see the commits that made it columns and shared the index). Adding the
    unknown n-grams' 0.0 leaves every sum as it was, bit for bit."""

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
        :meth:`features` keeps only the first column less the second (half the memory)."""
        self._index = index if index is not None else GramIndex()
        counts, vocab, self._local = self._index.learn(names, docs)
        self._size = len(names)
        self._trained = tuple(sum(c.values()) > 0 for c in counts)
        self._known = len(vocab)
        columns = [self._column(c, vocab) if c else None for c in counts]
        del counts  # the training's floats
        # A category without examples finds every n-gram as unlikely as the least likely
        # trained one does: it never wins, and never looks better than the winner.
        trained = [col for col in columns if col is not None]
        lowest = array("d", map(min, zip(*trained, strict=True)) if trained else [0.0])
        # numpy did the same sums, but its import was 14 MB of the bot's resident memory and
        # ~0.15 s of its first message; a message reads a few hundred slots of each column,
        # which itemgetter() picks and sum() adds in C.
        self._columns = tuple(lowest if col is None else col for col in columns)
        self._leads: array[float] | None = None
        if leads_only:
            self._leads = array("d", map(sub, *self._columns))
            self._columns = ()

    @staticmethod
    def _column(counts: dict[int, float], vocab: list[int]) -> array[float]:
        """log P(gram | category) for every gram of the vocabulary, then the unknown's 0.0."""
        total = sum(counts.values())
        log_total = math.log(total + ALPHA * len(vocab))
        unseen = math.log(ALPHA) - log_total
        seen = {g: math.log(n + ALPHA) - log_total for g, n in counts.items()}
        column = array("d", map(seen.get, vocab, repeat(unseen)))
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
        pick = picker(mine)
        return [sum(pick(column)) / known for column in self._columns], known

    def leads(self, found: Sequence[int]) -> tuple[float, int]:
        """The sum over a text's n-grams of log P(gram | first) - log P(gram | second) (a
        two-category model), and how many n-grams the model knew: their mean is the
        difference of the two :meth:`scores`, found with one subtraction a gram."""
        if self._leads is None:
            self._leads = array("d", map(sub, self._columns[0], self._columns[1]))
        mine = picker(found)(self._local)
        known = len(mine) - mine.count(-1)
        return (sum(picker(mine)(self._leads)) if known else 0.0), known

    def lead(self, scores: Sequence[float], slot: int) -> float:
        """How far ``slot`` is ahead of the best other trained category in ``scores``."""
        others = [v for i, v in enumerate(scores) if i != slot and self._trained[i]]
        return scores[slot] - max(others, default=scores[slot])

    def features(self, normalized: str, winner: int, other: int, limit: int = 4) -> list[str]:
        """The n-grams (of what :meth:`scores` reads) that most favour ``winner`` over
        ``other``, longest grams first among equals, each once."""
        lead = self._lead_of(winner, other)
        found: dict[str, float] = {}
        slot, local = self._index.slot, self._local
        for gram in ngrams(normalized[:READ_CHARS]):
            shared = slot(gram)
            i = -1 if shared is None or len(gram) == 1 else local[shared]
            if i >= 0:
                found[gram] = found.get(gram, 0.0) + lead(i)
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        return [gram for gram, value in ranked[:limit] if value > 0]

    def _lead_of(self, winner: int, other: int) -> Callable[[int], float]:
        """What gives log P(gram | winner) - log P(gram | other) for a slot; from the leads
        of a model that kept only those (b - a is -(a - b) exactly: rounding is symmetric)."""
        if self._columns:
            ahead, behind = self._columns[winner], self._columns[other]
            return lambda i: ahead[i] - behind[i]
        assert self._leads is not None
        leads = self._leads
        return leads.__getitem__ if (winner, other) == (0, 1) else lambda i: -leads[i]
