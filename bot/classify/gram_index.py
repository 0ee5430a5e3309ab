"""The n-gram index shared by the classifier's n-gram models (bot/classify/ngrams.py).

A text's character n-grams (single characters, pairs, triples of its first READ_CHARS
characters) are looked up once for every model: each model keeps, per n-gram of the index,
the row of its own vocabulary. N-grams are known by int64 codes kept in C arrays, so no
string per n-gram outlives the text it was read in.
"""

from __future__ import annotations

import hashlib
import threading
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import and_, eq, gt, is_not, lshift, not_, or_, rshift, truth
from typing import TYPE_CHECKING, Any

SIZES = (1, 2, 3)  # ngrams() lists the single characters first, then the longer grams
# Only the start of a text is read: a letter's title (repeated, evaluation.TITLE_REPEAT) and
# first lines say what it is about, the rest is the story. Ten seeded 60/40 splits of
# messages_dev.csv: all of it 0.884 mean (min 0.852), 400 chars 0.885, 300 and 200 chars
# 0.887 (min 0.865); grid messages are shorter than this anyway.
READ_CHARS = 300
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
# From this many characters a text's n-grams are looked up once each: a letter's title is
# repeated (evaluation.TITLE_REPEAT), and its words are; a grid message seldom repeats any.
REPEATS_FROM = 100
_ASCII_CODE = 128  # a character's code above this: it is not ASCII

if TYPE_CHECKING:  # GramIndex._table (array is subscripted in annotations alone)
    Table = tuple["_Singles", array[int], array[int], array[int], array[int] | None, int]


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


def learned_codes(text: str) -> Iterator[int]:
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


def _places(keys: array[int], starts: array[int], coded: list[int]) -> list[int]:
    """Where each code (a pair or a triple) is or would go in ``keys``: bisect (in C) among
    the codes of its first character's group."""
    group = list(map(min, map(rshift, coded, repeat(FIRST)), repeat(GROUPS)))
    ends = memoryview(starts)[1:]
    return list(map(bisect_left, repeat(keys), coded, map(starts.__getitem__, group),
                    map(ends.__getitem__, group)))  # fmt: skip


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
    dict, the shipped taxonomy's n-grams took 9.3 MB of the bot's memory; so, 1.35 MB. A
    dict look-up was quicker: a grid message's n-grams take ~23 us of CPU to find where they
    took ~6 (of ~110 us to classify it), a letter's ~240 where ~80. Slots are given in the
    order models are trained and never change, so a model's map stays valid when a later
    model adds n-grams."""

    def __init__(self) -> None:
        ascii_chars = _Singles(dict.fromkeys(range(_ASCII_CODE)))
        # (singles, their slots by place, longer grams' codes sorted then END, their slots
        # then -1, where each first character's group starts (None until a text is read),
        # a version): replaced whole when a model adds n-grams, read in one go.
        self._table: Table = (ascii_chars, array("i"), array("q", [END]), array("i", [-1]),
                              None, 0)  # fmt: skip
        self._size = 0  # slots given
        self._maps: list[array[int]] = []
        self._vocabularies: list[bytes] = []  # a digest of each map's model's n-grams
        self._lock = threading.Lock()  # models may be trained on two threads at once
        self._last: tuple[str | None, int, list[int]] = (None, 0, [])

    def __getstate__(self) -> dict[str, Any]:
        """What a pickle keeps (bot/classify/trained.py): all but the lock and the cache
        of the last text read."""
        state = dict(self.__dict__)
        del state["_lock"], state["_last"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._last = (None, 0, [])

    def found(self, normalized: str) -> list[int]:
        """The slots of the known n-grams of the text's first READ_CHARS characters, in
        order (single characters, then pairs, then triples), repeats included."""
        last, table = self._last, self._table  # one read each: another thread may replace them
        singles, single_slots, keys, slots, starts, version = table
        if last[0] == normalized and last[1] == version:
            return last[2]
        if starts is None:
            starts = self._grouped(table)
        text = normalized[:READ_CHARS]
        found = list(map(single_slots.__getitem__, map(ord, text.translate(singles))))
        coded = _longer(list(map(_ONE_MORE, map(ord, text))))
        if len(text) < REPEATS_FROM:
            at = _places(keys, starts, coded)
            hit = map(eq, map(keys.__getitem__, at), coded)
            found += compress(map(slots.__getitem__, at), hit)
        else:  # each n-gram looked up once, its slot then repeated where it is
            unique = list(dict.fromkeys(coded))
            at = _places(keys, starts, unique)
            hit = map(eq, map(keys.__getitem__, at), unique)
            pairs = zip(unique, map(slots.__getitem__, at), strict=True)
            slot_of = dict(compress(pairs, hit))
            picked = list(map(slot_of.get, coded))
            found += compress(picked, map(is_not, picked, repeat(None)))  # type: ignore[arg-type]
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

    def _grouped(self, table: Table) -> array[int]:
        """The group starts of ``table``'s codes, published with it: worked out when a text
        is first read rather than each time a model adds n-grams (as training all four
        models did, three times over)."""
        starts = _starts(table[2])
        with self._lock:
            if self._table is table:
                self._table = (*table[:4], starts, table[5])
        return starts

    def add(self, vocab: array[int]) -> array[int]:
        """A model's map from the index's slots to positions in ``vocab`` (its n-grams'
        codes, sorted; -1: not the model's), n-grams new to the index given slots. New
        slots are published after every map has grown, so a slot :meth:`found` returns is
        inside every map. Its working lists are C arrays and bytes (a list of ints was 40
        bytes an n-gram: ~3 MB each, at the training's peak)."""
        digest = hashlib.blake2b(vocab, digest_size=16).digest()
        with self._lock:
            if digest in self._vocabularies:  # no n-gram is new, and the map is the same
                return self._maps[self._vocabularies.index(digest)]
            singles, single_slots, keys, slots, starts, version = self._table
            if not self._size:
                return self._first(vocab, singles, version)
            at = array("i", map(bisect_left, repeat(keys), vocab))
            known = bytearray(map(eq, map(keys.__getitem__, at), vocab))  # no single is in keys
            single = bytes(map(not_, map(and_, vocab, repeat(LATER))))
            places = {i: singles.get((vocab[i] >> FIRST) - 1) for i in compress(count(), single)}
            for i, place in places.items():
                known[i] = place is not None
            fresh = len(known) - sum(known)
            for mapping in self._maps:
                mapping.extend(array("i", [-1]) * fresh)
            slot = self._size  # the next one given
            local = array("i", [-1]) * (slot + fresh)
            for i, place in places.items():
                if place is not None:
                    local[single_slots[ord(place)]] = i
            longer_known = bytes(map(gt, known, single))  # known, and a pair or a triple
            pairs = zip(compress(at, longer_known), compress(count(), longer_known), strict=True)
            for where, i in pairs:
                local[slots[where]] = i
            if fresh:
                # New slots in the order of vocab: the map's are one slice.
                new = array("i", compress(count(), map(not_, known)))
                local[slot:] = new
                longer = bytes(map(truth, map(and_, map(vocab.__getitem__, new), repeat(LATER))))
                singles, single_slots = _Singles(singles), array("i", single_slots)
                for i, given in compress(zip(new, count(slot)), map(not_, longer)):
                    singles[(vocab[i] >> FIRST) - 1] = chr(len(single_slots))
                    single_slots.append(given)
                if any(longer):
                    keys, slots = _merged(keys, slots, vocab, new, longer, slot, at)
                    starts = None
                slot += fresh
            # Models of the same n-grams share one map (above): the problem and urgency
            # opinions both count every example message.
            self._maps.append(local)
            self._vocabularies.append(digest)
            self._size = slot
            self._table = (singles, single_slots, keys, slots, starts, version + 1)
        return local

    def _first(self, vocab: array[int], singles: _Singles, version: int) -> array[int]:
        """:meth:`add` to an empty index: every n-gram new, its slot its position."""
        single = bytes(map(not_, map(and_, vocab, repeat(LATER))))
        singles, single_slots = _Singles(singles), array("i")
        for i in compress(count(), single):
            singles[(vocab[i] >> FIRST) - 1] = chr(len(single_slots))
            single_slots.append(i)
        longer = bytes(map(not_, single))
        keys, slots = array("q", compress(vocab, longer)), array("i", compress(count(), longer))
        keys.append(END)
        slots.append(-1)
        local = array("i", range(len(vocab)))
        self._maps.append(local)
        self._vocabularies.append(hashlib.blake2b(vocab, digest_size=16).digest())
        self._size = len(vocab)
        self._table = (singles, single_slots, keys, slots, None, version + 1)
        return local


def _merged(
    keys: array[int],
    slots: array[int],
    vocab: array[int],
    new: array[int],
    longer: bytes,
    first: int,
    at: array[int],
) -> tuple[array[int], array[int]]:
    """``keys`` and ``slots`` with the new pairs and triples among ``vocab`` (at positions
    ``new``, those flagged ``longer``; their slots from ``first`` on in that order; ``at``
    where each vocab code goes in keys) put in their places, copied in between the old ones
    (the classifier trains the opinion of the most n-grams first: the others add few)."""
    places = compress(new, longer)
    given = compress(count(first), longer)
    merged_keys, merged_slots = array("q"), array("i")
    done = 0  # old entries copied
    for i, slot in zip(places, given, strict=True):
        merged_keys += keys[done : at[i]]
        merged_slots += slots[done : at[i]]
        done = at[i]
        merged_keys.append(vocab[i])
        merged_slots.append(slot)
    merged_keys += keys[done:]  # the rest, and END
    merged_slots += slots[done:]
    return merged_keys, merged_slots


def _starts(keys: array[int]) -> array[int]:
    """Where the codes of each first character's group start in ``keys`` (sorted, END
    last), and after the last group the number of codes."""
    groups = map(min, map(rshift, islice(keys, len(keys) - 1), repeat(FIRST)), repeat(GROUPS))
    sizes = Counter(groups)
    return array("i", accumulate(map(sizes.get, range(GROUPS + 1), repeat(0)), initial=0))
