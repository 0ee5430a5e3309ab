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
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, groupby, islice, repeat
from operator import add, eq, gt, itemgetter, lshift, or_, rshift, sub
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
# An n-gram is known by its code, an int64: each character's code point plus one, BITS bits
# apiece, the first character highest (bits 42-62), then the second and the third, 0 where
# the gram has none. Plus one, no character codes as 0, so a gram's code is no other gram's
# (U+10FFFF's too), and the pairs and triples that begin with one character sort together
# (GramIndex looks a code up among those alone). The index keeps codes in C arrays and the
# training counts by them: no string per n-gram outlives the text it was read in.
BITS = 21
FIRST = 2 * BITS  # the first character's shift
LATER = (1 << FIRST) - 1  # the bits of the second and third characters: 0 in a single's code
END = 2**63 - 1  # after the last code of a sorted array: looking past the end finds this
# Pairs and triples are looked up among those of their first character (up to U+FFFF; those
# of any later character share the last group): 65,539 ints of where each group starts.
GROUPS = 0x10001
_ONE_MORE = (1).__add__
_ASCII_CODE = 128  # a character's code above this: it is not ASCII

T = TypeVar("T")


def ngrams(normalized: str) -> list[str]:
    """The 1-3 character n-grams of a normalised text, in order."""
    text = normalized
    out = list(text)
    for n in SIZES[1:]:
        out += [text[i : i + n] for i in range(len(text) - n + 1)]  # faster than a generator
    return out


def codes(normalized: str) -> list[int]:
    """The codes of :func:`ngrams`, in the same order (each a C loop, no string per gram)."""
    one = list(map(_ONE_MORE, map(ord, normalized)))
    return [*map(lshift, one, repeat(FIRST)), *_longer(one)]


def _longer(one: list[int]) -> list[int]:
    """The codes of a text's pairs, then of its triples, in order; ``one``: its characters'
    code points plus one."""
    high = map(lshift, one, repeat(FIRST))
    pairs = list(map(or_, high, map(lshift, islice(one, 1, None), repeat(BITS))))
    return pairs + list(map(or_, pairs, islice(one, 2, None)))


def code(gram: str) -> int:
    """One n-gram's code (as :func:`codes` gives it)."""
    return sum((ord(char) + 1) << (FIRST - BITS * i) for i, char in enumerate(gram))


def _learned(text: str) -> Iterator[int]:
    """The codes of the text's n-grams but those of digits and Latin letters alone, in order.

    Grams of digits and Latin letters alone are not learned: they say nothing a person would
    call a reason, and learned from notices' dates and times, "00" and "10" made a pasted
    "&#x110000;" look like an announcement. Unknown to the model, they are passed over when
    a text is read."""
    one = list(map(_ONE_MORE, map(ord, text)))
    wide = list(map(gt, one, repeat(_ASCII_CODE)))  # a character beyond ASCII
    wide_two = list(map(or_, wide, islice(wide, 1, None)))
    wide_longer = wide_two + list(map(or_, wide_two, islice(wide, 2, None)))
    singles = map(lshift, one, repeat(FIRST))
    return chain(compress(singles, wide), compress(_longer(one), wide_longer))


class _Singles(dict[int, "str | None"]):
    """str.translate's table of the single characters known: each to the character whose
    code point is its place among them; any other deleted (ASCII ones are listed, as None,
    so the commonest unknown characters never reach :meth:`__missing__`)."""

    def __missing__(self, key: int) -> None:
        return None


class GramIndex:
    """One n-gram -> slot index for all the n-gram models of a classifier, and each model's
    map from those slots to its own: the category, problem, urgency and danger-kind models
    know mostly the same n-grams (69,636 between them, 169,266 counted model by model), and
    a text's n-grams are looked up once for all of them (the last text's are kept).

    Single characters are looked up by str.translate (one C loop for the text); pairs and
    triples by their codes (see BITS), sorted in a C array with each one's slot beside it,
    by bisect among those of their first character. As strings with an int slot each in a
    dict, the shipped taxonomy's n-grams took 9.3 MB of the bot's memory; so, 1.4 MB. A dict
    look-up was quicker: a grid message's n-grams take ~17 us to find where they took ~5
    (of ~100 us to classify it). Slots are given in the order models are trained and never
    change, so a model's map stays valid when a later model adds n-grams."""

    def __init__(self) -> None:
        ascii_chars = _Singles(dict.fromkeys(range(_ASCII_CODE)))
        # (singles, their slots by place, longer grams' codes sorted then END, their slots
        # then -1, where each first character's start, a version): replaced whole when a
        # model adds n-grams, read in one go.
        self._table: tuple[_Singles, array[int], array[int], array[int], array[int], int] = (
            ascii_chars, array("i"), array("q", [END]), array("i", [-1]),
            array("i", bytes(4 * (GROUPS + 2))), 0)  # fmt: skip
        self._size = 0  # slots given
        self._maps: list[array[int]] = []
        self._lock = threading.Lock()  # models may be trained on two threads at once
        self._last: tuple[str | None, int, list[int]] = (None, 0, [])

    def found(self, normalized: str) -> list[int]:
        """The slots of the known n-grams of the text's first READ_CHARS characters, in
        order (single characters, then pairs, then triples), repeats included."""
        last, table = self._last, self._table  # one read each: another thread may replace them
        singles, single_slots, keys, slots, starts, version = table
        if last[0] == normalized and last[1] == version:
            return last[2]
        text = normalized[:READ_CHARS]
        found = list(map(single_slots.__getitem__, map(ord, text.translate(singles))))
        one = list(map(_ONE_MORE, map(ord, text)))
        coded = _longer(one)
        group = list(map(min, one, repeat(GROUPS)))  # each character's, as a first one
        group = group[: len(one) - 1] + group[: len(one) - 2]
        ends = memoryview(starts)[1:]
        at = list(map(bisect_left, repeat(keys), coded, map(starts.__getitem__, group),
                      map(ends.__getitem__, group)))  # fmt: skip
        found += compress(map(slots.__getitem__, at), map(eq, map(keys.__getitem__, at), coded))
        self._last = (normalized, version, found)
        return found

    def each(self, normalized: str) -> list[int]:
        """The slot of each of :func:`ngrams` of the text's first READ_CHARS characters, or
        -1 (for the few texts an explanation is asked of)."""
        singles, single_slots, keys, slots, _, _ = self._table
        text = normalized[:READ_CHARS]
        out = [-1 if (c := singles.get(ord(ch))) is None else single_slots[ord(c)] for ch in text]
        for coded in _longer(list(map(_ONE_MORE, map(ord, text)))):
            at = bisect_left(keys, coded)
            out.append(slots[at] if keys[at] == coded else -1)
        return out

    def add(self, vocab: array[int]) -> array[int]:
        """A model's map from the index's slots to positions in ``vocab`` (its n-grams'
        codes, sorted; -1: not the model's), n-grams new to the index given slots. New
        slots are published after every map has grown, so a slot :meth:`found` returns is
        inside every map."""
        with self._lock:
            singles, single_slots, keys, slots, _, version = self._table
            # A single's place among the singles (None: new); a longer one's place in keys
            places = [None if c & LATER else singles.get((c >> FIRST) - 1) for c in vocab]
            at = list(map(bisect_left, repeat(keys), vocab))
            old = [(place is not None) if not c & LATER else keys[i] == c
                   for c, place, i in zip(vocab, places, at, strict=True)]  # fmt: skip
            fresh = len(old) - sum(old)
            for mapping in self._maps:
                mapping.extend(array("i", [-1]) * fresh)
            slot = self._size  # the next one given
            local = array("i", [-1]) * (slot + fresh)
            singles, single_slots = _Singles(singles), array("i", single_slots)
            merged_keys, merged_slots = array("q"), array("i")
            done = 0  # the old longer entries copied
            entries = zip(vocab, places, at, old, strict=True)
            for position, (coded, place, where, known) in enumerate(entries):
                single = not coded & LATER
                if known:
                    local[single_slots[ord(place)] if single else slots[where]] = position  # type: ignore[arg-type]
                    continue
                local[slot] = position
                if single:
                    singles[(coded >> FIRST) - 1] = chr(len(single_slots))
                    single_slots.append(slot)
                else:
                    if where > done:  # the old codes below this one, in one piece
                        merged_keys += keys[done:where]
                        merged_slots += slots[done:where]
                        done = where
                    merged_keys.append(coded)
                    merged_slots.append(slot)
                slot += 1
            merged_keys += keys[done:]  # the rest, and END
            merged_slots += slots[done:]
            self._maps.append(local)
            self._size = slot
            self._table = (singles, single_slots, merged_keys, merged_slots,
                           _starts(merged_keys), version + 1)  # fmt: skip
        return local


def _starts(keys: array[int]) -> array[int]:
    """Where the codes of each first character's group start in ``keys`` (sorted, END
    last), and after the last group the number of codes."""
    groups = map(min, map(rshift, islice(keys, len(keys) - 1), repeat(FIRST)), repeat(GROUPS))
    sizes = Counter(groups)
    return array("i", accumulate(map(sizes.get, range(GROUPS + 1), repeat(0)), initial=0))


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
                table.update(_learned(text))
            else:
                for coded in _learned(text):
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
        # ~0.15 s of its first message; a message reads a few hundred slots of each column,
        # which itemgetter() picks and sum() adds in C.
        self._columns = tuple(lowest if col is None else col for col in columns)
        del columns, trained, lowest
        self._leads: array[float] | None = None
        if leads_only:
            self._leads = array("d", map(sub, *self._columns))
            self._columns = ()
        self._local = self._index.add(vocab)

    @staticmethod
    def _column(counts: Counter[int], vocab: array[int]) -> array[float]:
        """log P(gram | category) for every gram of the vocabulary, then the unknown's 0.0.
        An n-gram the category never saw counts 0: log(0 + ALPHA) is log(ALPHA), the same
        bits, with no dictionary of the seen ones' logarithms in between."""
        total = sum(counts.values())
        log_total = math.log(total + ALPHA * len(vocab))
        smoothed = map(add, map(counts.get, vocab, repeat(0)), repeat(ALPHA))
        column = array("d", map(sub, map(math.log, smoothed), repeat(log_total)))
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
        if self._columns:
            ahead, behind = self._columns[winner], self._columns[other]
            return lambda i: ahead[i] - behind[i]
        assert self._leads is not None
        leads = self._leads
        return leads.__getitem__ if (winner, other) == (0, 1) else lambda i: -leads[i]
