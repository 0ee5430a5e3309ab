"""The keyword index: every word of a taxonomy's tables in one Aho-Corasick automaton.

Each table (a category's keywords, the urgent words, the problem markers ...) is a slot of
the classifier's score vector. A word listed in several tables is one entry with a weight
per slot, so a message is scanned once whatever the number of keywords; misspelt forms of
each word (the taxonomy's [confusable] characters) are entries too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import ahocorasick

from bot.classify.textnorm import Normalizer

Table = tuple[int, Mapping[str, float]]


@dataclass
class KeywordIndex:
    automaton: ahocorasick.Automaton
    # per entry: the spelling shown, the normalised form matched, and (slot, weight) pairs
    words: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    entries: list[tuple[tuple[int, float], ...]] = field(default_factory=list)


def build_index(
    tables: Iterable[Table], normalizer: Normalizer, confusable: Mapping[str, str]
) -> tuple[KeywordIndex, dict[str, dict[int, float]]]:
    """The index, and the normalised words with their slots (variants left out)."""
    # normalised keyword -> slot -> weight; the first spelling seen is the one shown.
    merged: dict[str, dict[int, float]] = {}
    shown: dict[str, str] = {}
    for slot, table in tables:
        for word, weight in table.items():
            key = normalizer.normalize(word)
            if not key:
                continue
            shown.setdefault(key, word)
            slots = merged.setdefault(key, {})
            # A word listed twice (e.g. in both scripts) counts once, at its larger weight.
            slots[slot] = max(weight, slots.get(slot, weight))
    listed = dict(merged)
    for variant, key in variants(merged, normalizer, confusable).items():
        merged[variant] = merged[key]
        shown[variant] = variant  # the spelling the resident typed, as in the message
    index = KeywordIndex(ahocorasick.Automaton())
    for key, slots in merged.items():
        index.automaton.add_word(key, len(index.words))
        index.words.append(shown[key])
        index.keys.append(key)
        index.entries.append(tuple(slots.items()))
    if merged:
        index.automaton.make_automaton()
    return index, listed


def variants(
    keys: Mapping[str, object], normalizer: Normalizer, confusable: Mapping[str, str]
) -> dict[str, str]:
    """Misspelt forms of each keyword (one confusable character replaced), never a word
    the taxonomy lists itself. In a two-character keyword only the second character is
    replaced: 道路 -> 到路 would match the everyday 堆到路上."""
    table = {normalizer.normalize(k): v for k, v in confusable.items()}
    out: dict[str, str] = {}
    for key in keys:
        if len(key) < 2:
            continue
        for i, char in enumerate(key):
            if len(key) == 2 and i == 0:
                continue
            for wrong in table.get(char, ""):
                variant = key[:i] + wrong + key[i + 1 :]
                if variant not in keys:
                    out.setdefault(variant, key)
    return out
