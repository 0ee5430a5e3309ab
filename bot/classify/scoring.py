"""The keyword score vector of one message: what the taxonomy's words and patterns say.

One vector a message: a slot per category, then the signal slots (urgent words, hedges,
problem markers, not-a-problem words, settled and contrast words), then one slot per
danger. Every keyword of every table is one entry of an Aho-Corasick automaton over the
normalised text (bot/classify/keywords.py), so the text is scanned once whatever the number
of keywords.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from bot.classify.keywords import build_index
from bot.classify.taxonomy import Danger, Taxonomy
from bot.classify.textnorm import Normalizer


@dataclass(frozen=True)
class Slots:
    """Where each signal sits in the score vector: after the category slots, in this order;
    ``dangers`` is the first danger's slot."""

    urgent: int
    hedge: int
    marker: int
    chitchat: int
    settled: int
    contrast: int
    dangers: int

    @classmethod
    def after(cls, categories: int) -> Slots:
        """The layout for a taxonomy of ``categories`` categories."""
        return cls(*range(categories, categories + 7))

    @property
    def categories(self) -> int:
        return self.urgent


@dataclass(frozen=True)
class Scored:
    """A message's keyword hits (entry -> count) and score vector, and where its main part
    begins (after a settled part: "电梯修好了，可楼道灯还是不亮")."""

    hits: Mapping[int, float]
    totals: list[float]
    main: int


class Scorer:
    """Scores normalised texts with one taxonomy's keywords and patterns."""

    def __init__(self, taxonomy: Taxonomy, normalizer: Normalizer) -> None:
        self.taxonomy = taxonomy
        self.names = taxonomy.names
        self.slots = Slots.after(len(self.names))
        self.size = self.slots.dangers + len(taxonomy.dangers)
        self.fallback = self.names.index(taxonomy.fallback)
        self._danger_category = [
            self.names.index(d.category) if d.category in self.names else None
            for d in taxonomy.dangers
        ]
        index, listed = build_index(self._tables(), normalizer, taxonomy.confusable)
        self._automaton = index.automaton
        self._words = index.words
        self._keys = index.keys  # the normalised form, as matched
        self._entries = index.entries
        self.keyword_docs = [
            (key, self.names[slot], weight)
            for key, slots in listed.items()
            for slot, weight in slots.items()
            if slot < self.slots.categories
        ]
        self._danger_patterns = [
            (self.slots.dangers + i, tuple(p.search for p in d.patterns))
            for i, d in enumerate(taxonomy.dangers)
            if d.patterns
        ]

    def _tables(self) -> list[tuple[int, Mapping[str, float]]]:
        tax, slots = self.taxonomy, self.slots
        tables = [(i, c.keywords) for i, c in enumerate(tax.categories)]
        tables += [
            (slots.urgent, tax.urgent_keywords),
            (slots.hedge, tax.urgent_hedges),
            (slots.marker, tax.problem_markers),
            (slots.chitchat, tax.chitchat_markers),
            (slots.settled, tax.settled_markers),
            (slots.contrast, tax.contrast_markers),
        ]
        tables += [(slots.dangers + i, d.keywords) for i, d in enumerate(tax.dangers)]
        return tables

    def score(self, normalized: str) -> Scored:
        """Keyword hits and the score vector, counting a settled part at its word's weight."""
        hits = self._hits(normalized)
        totals = self._totals(hits)
        if totals[self.slots.settled] and totals[self.slots.contrast]:
            settled, main = self._settled_part(normalized, hits)
            if main:
                return Scored(settled, self._totals(settled), main)
        return Scored(hits, totals, 0)

    def _totals(self, hits: Mapping[int, float]) -> list[float]:
        totals = [0.0] * self.size
        for idx, count in hits.items():
            for slot, weight in self._entries[idx]:
                totals[slot] += weight * count
        return totals

    def _settled_part(
        self, normalized: str, hits: Mapping[int, float]
    ) -> tuple[Mapping[int, float], int]:
        """Hits before the first contrast word that follows a settled word, counted at the
        settled word's weight ("电梯修好了，可楼道灯还是不亮": the lamp is the problem), and
        where the rest begins; unchanged hits and 0 when no contrast follows one."""
        found = sorted(
            (end - len(self._keys[i]) + 1, end, i) for end, i in self._automaton.iter(normalized)
        )
        settled = [(s, end, i) for s, end, i in found if self._weight(i, self.slots.settled)]
        if not settled:
            return hits, 0
        _, end0, first = settled[0]
        contrast = self.slots.contrast
        cut = next((s for s, _, i in found if s > end0 and self._weight(i, contrast)), None)
        if cut is None:
            return hits, 0
        factor = self._weight(first, self.slots.settled)
        out: dict[int, float] = defaultdict(float)
        for start, _, i in found:
            out[i] += factor if start < cut else 1.0
        return out, cut

    def _weight(self, idx: int, slot: int) -> float:
        return next((w for s, w in self._entries[idx] if s == slot), 0.0)

    def _hits(self, normalized: str) -> Counter[int]:
        if not normalized or not self._words:
            return Counter()
        return Counter(idx for _, idx in self._automaton.iter(normalized))

    def patterns(self, normalized: str, totals: list[float]) -> tuple[str, ...]:
        """Danger patterns found, at most one a danger; each adds the urgent threshold to its
        danger's slot. A pattern describes the danger itself, so no hedge undoes it."""
        found = []
        threshold = self.taxonomy.urgent_threshold
        for slot, patterns in self._danger_patterns:
            for search in patterns:
                match = search(normalized)
                if match:
                    totals[slot] += threshold
                    found.append(match.group(0))
                    break
        return tuple(found)

    def shapes(self, normalized: str, totals: list[float]) -> tuple[str, ...]:
        """Not-a-problem shapes found (thanks that open the message, an announcement's date
        and action ...), each adding its weight to the not-a-problem words."""
        found = []
        for pattern, weight in self.taxonomy.chitchat_patterns:
            match = pattern.search(normalized)
            if match:
                totals[self.slots.chitchat] += weight
                found.append(match.group(0))
        return tuple(found)

    def lend_to_categories(self, totals: list[float]) -> None:
        """A danger's evidence counts for its category too: someone trapped in a lift is a
        property matter even when the message names no lift word ("困在里面")."""
        for i, slot in enumerate(self._danger_category):
            if slot is not None:
                totals[slot] += totals[self.slots.dangers + i]

    def danger_named(self, normalized: str) -> str | None:
        """The danger a normalised text's words and patterns name, if any."""
        totals = self._totals(self._hits(normalized))
        self.patterns(normalized, totals)
        danger = self.danger(totals)
        return danger.name if danger else None

    def danger(self, totals: list[float]) -> Danger | None:
        """The danger with the most evidence, if any has some."""
        dangers = self.taxonomy.dangers
        if not dangers:
            return None
        scores = totals[self.slots.dangers :]
        best = max(range(len(scores)), key=scores.__getitem__)
        return dangers[best] if scores[best] > 0 else None

    def winner(self, totals: list[float]) -> tuple[int, float]:
        """The best category slot and its lead over the runner-up; ties go to the earlier."""
        scores = totals[: self.slots.categories]
        best = scores.index(max(scores))  # the first of equals
        min_score = self.taxonomy.min_score
        # min_score = 0 means "never fall back" (learned taxonomies: every text had a
        # category); with nothing matched the first category, the most frequent, wins.
        if min_score > 0 and (scores[best] <= 0 or scores[best] < min_score):
            return self.fallback, 0.0
        runner_up = max(scores[:best] + scores[best + 1 :], default=0.0)
        return best, scores[best] - max(runner_up, 0.0)

    def explain(self, hits: Mapping[int, float], *slots: int) -> tuple[str, ...]:
        """Matched keywords of the given slots, biggest contribution first."""
        found = []
        for idx, count in hits.items():
            for s, weight in self._entries[idx]:
                if s in slots and weight > 0:
                    found.append((-weight * count, self._words[idx]))
        return tuple(dict.fromkeys(word for _, word in sorted(found)))

    def signed(self, hits: Mapping[int, float], slots: tuple[int, ...]) -> tuple[str, ...]:
        """The six biggest contributions to the given slots, as word+weight (hedges minus)."""
        found = []
        for idx, count in hits.items():
            for slot, weight in self._entries[idx]:
                if slot in slots and weight:
                    sign = -1 if slot == self.slots.hedge else 1
                    value = sign * weight * count
                    found.append((-abs(value), f"{self._words[idx]}{value:+g}"))
        return tuple(word for _, word in sorted(found)[:6])
