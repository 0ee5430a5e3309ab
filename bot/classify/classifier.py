"""Explainable keyword classification of resident messages.

Every keyword of the taxonomy (category keywords, urgent words, hedges, problem and
chit-chat markers) goes into one Aho-Corasick automaton over the normalised text
(bot/classify/keywords.py), so a message is scanned once whatever the number of keywords.
Matching is by substring, not by jieba tokens: jieba splits the same keyword differently
depending on its neighbours ("电梯困人" can come out as 电梯/困人 or 电梯困/人), and a token
matcher then misses it. Measured with the same keywords (bench/bench_classify.py):
messages_dev.csv 5-fold CV macro-F1 0.878 substring vs 0.826 jieba tokens (keywords in
jieba's user dictionary); grid-set accuracy 0.990 vs 0.952; and substring matching is 5-9x
faster (41k vs 8k short messages/s, 5.1k vs 0.55k letters/s).

Scoring: a category's score is the sum over its matched keywords of weight x occurrences.
The best category wins when it reaches ``min_score``; otherwise the taxonomy's fallback.
Ties go to the category listed first.

"Is it a problem" is a sum of evidence (category words, problem-state words, urgency) minus
not-a-problem words (notices, thanks, forwards, lost-and-found) and, for a grid member's
post, the taxonomy's staff penalty, plus the problem opinion (character n-grams of reports
against notices, thanks and chat, bot/classify/opinions.py); every term is kept in
``reasons`` so the decision can be read back. Between [problem].borderline and the
threshold the author is asked. Urgency is found per kind of danger (gas, fire, trapped
...), each with its safety advice, and the urgency opinion (bot/classify/urgency.py) weighs
in where no danger's words describe it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from bot.classify.heap import release_freed_memory
from bot.classify.keywords import build_index
from bot.classify.opinions import Opinions
from bot.classify.result import Classification
from bot.classify.shapes import ShapeIndex
from bot.classify.taxonomy import Danger, Taxonomy
from bot.classify.textnorm import Normalizer
from bot.classify.urgency import Urgency

__all__ = ["Classification", "Classifier"]


class Classifier:
    """Classifies texts with one taxonomy; build once, then call :meth:`classify` freely."""

    def __init__(self, taxonomy: Taxonomy, normalizer: Normalizer | None = None) -> None:
        self.taxonomy = taxonomy
        self._normalizer = normalizer or Normalizer()
        self._names = taxonomy.names
        n = len(self._names)
        # Signal slots follow the category slots in one score vector, then one per danger.
        self._urgent, self._hedge, self._marker, self._chitchat = n, n + 1, n + 2, n + 3
        self._settled, self._contrast = n + 4, n + 5
        self._dangers = n + 6
        self._size = n + 6 + len(taxonomy.dangers)
        self._fallback = self._names.index(taxonomy.fallback)
        self._danger_category = [
            self._names.index(d.category) if d.category in self._names else None
            for d in taxonomy.dangers
        ]
        index, listed = build_index(self._tables(), self._normalizer, taxonomy.confusable)
        self._automaton = index.automaton
        self._words = index.words
        self._words_key = index.keys  # the normalised form, as matched
        self._entries = index.entries
        keyword_docs = [
            (key, self._names[slot], weight)
            for key, slots in listed.items()
            for slot, weight in slots.items()
            if slot < n
        ]
        self._opinions = Opinions(taxonomy, self._normalizer, keyword_docs)
        # (the opinions' n-gram index: a text's n-grams looked up once for all of them)
        grams = self._opinions.index
        self._urgency = Urgency(taxonomy, self._normalizer, self._danger_named, grams)
        self._danger_patterns = [
            (self._dangers + i, tuple(p.search for p in d.patterns))
            for i, d in enumerate(taxonomy.dangers)
            if d.patterns
        ]
        self._shape_index = ShapeIndex(taxonomy.shapes, self._normalizer)

    def prepare(self) -> None:
        """Train the n-gram opinions now, not on the first message that needs them, each
        one's freed counting memory handed back before the next one counts."""
        with self._normalizer.remembering():
            for train in (*self._opinions.trainers(), self._urgency.prepare):
                train()
                release_freed_memory()

    @property
    def normalizer(self) -> Normalizer:
        """The text normaliser keywords are matched with (duplicate detection shares it)."""
        return self._normalizer

    def _tables(self) -> list[tuple[int, Mapping[str, float]]]:
        tax = self.taxonomy
        tables = [(i, c.keywords) for i, c in enumerate(tax.categories)]
        tables += [
            (self._urgent, tax.urgent_keywords),
            (self._hedge, tax.urgent_hedges),
            (self._marker, tax.problem_markers),
            (self._chitchat, tax.chitchat_markers),
            (self._settled, tax.settled_markers),
            (self._contrast, tax.contrast_markers),
        ]
        tables += [(self._dangers + i, d.keywords) for i, d in enumerate(tax.dangers)]
        return tables

    def classify(self, text: str, staff: bool = False) -> Classification:
        """The category and problem/urgency decision; ``staff``: a grid member posted it."""
        normalized = self._normalizer.normalize(text)
        hits, totals, main = self._scored(normalized)
        worded = sum(totals[self._dangers :])
        patterns = self._patterns(normalized, totals)
        shapes = self._shapes(normalized[main:], totals)
        self._lend_to_categories(totals)
        best, margin = self._winner(totals)
        worded_best = best  # the keywords' choice, which the category term is the score of
        topic = max(totals[best], 0.0)
        tax = self.taxonomy
        described = sum(totals[self._dangers :]) - worded
        urgent_score = max(totals[self._urgent] + worded - totals[self._hedge], 0.0) + described
        shaped = self._shape_index.find(normalized[main:])
        hedged = totals[self._hedge] > 0
        if shaped.calm:
            # a danger in the news or in "要是哪天" is no danger here, whatever the n-grams say
            urgent_score = urged = 0.0
        else:
            urged = self._urgency.term(normalized[main:], urgent_score, described, hedged)
            urgent_score += urged
        penalty = tax.staff_penalty if staff else 0.0
        if tax.category_cap is not None:
            topic = min(topic, tax.category_cap)
        support = topic + max(urgent_score, 0.0) + totals[self._marker]
        rest = support - totals[self._chitchat] - penalty - shaped.weight
        lean, leaning = self._opinions.problem_lean(normalized[main:], support, rest)
        terms = (
            topic,
            max(urgent_score, 0.0),
            totals[self._marker],
            -totals[self._chitchat],
            -penalty,
            lean,
            -shaped.weight,
        )
        evidence = sum(terms)
        is_problem = evidence >= tax.problem_threshold
        low = tax.borderline_threshold
        borderline = not is_problem and low is not None and evidence >= low
        urgent = is_problem and urgent_score >= tax.urgent_threshold
        danger = self._danger(totals) if urgent else None
        opinion: tuple[str, ...] = ()
        decided_by = ""
        if danger is not None and danger.decides and danger.category in self._names:
            best = self._names.index(danger.category)
            decided_by = f"the danger ({danger.name})"
        else:
            chosen, opinion = self._opinions.category(normalized[main:], totals, best)
            best, margin = (chosen, 0.0) if chosen != best else (best, margin)
        if urgent and danger is None:
            danger = self._urgency.kind(normalized[main:])  # for its advice, not the category
        explained = best if best != self._fallback or totals[best] > 0 else self._marker
        urgent_words = self._explain(hits, self._urgent, *range(self._dangers, self._size))
        urgent_words += tuple(p for p in patterns if p not in urgent_words)
        if urgent and urged > 0:
            grams = self._urgency.grams(normalized[main:])
            urgent_words += tuple(g for g in grams if g not in urgent_words)
        return Classification(
            category=self._names[best],
            score=round(totals[best], 4),
            margin=round(margin, 4),
            # A deciding danger may be all there is: "燃气管破了" names no category word.
            keywords=self._explain(hits, explained) or opinion or urgent_words,
            opinion=opinion,
            is_problem=is_problem,
            urgent=urgent,
            urgent_keywords=urgent_words if urgent else (),
            borderline=borderline,
            explain=lambda: self._urgency.reasons(
                self._reasons(
                    hits,
                    (worded_best, best, decided_by),
                    terms,
                    evidence,
                    borderline,
                    (patterns, shapes, leaning(), shaped.terms),
                    opinion,
                ),
                urged,
                normalized[main:],
            ),
            danger=danger.name if danger else None,
            advice=(danger.advice if danger else "") or (tax.urgent_advice if urgent else ""),
        )

    def _scored(self, normalized: str) -> tuple[Mapping[int, float], list[float], int]:
        """Keyword hits, the score vector, and where the main part of the text begins (after
        a settled part, see :meth:`_settled_part`)."""
        hits = self._hits(normalized)
        totals = self._totals(hits)
        if totals[self._settled] and totals[self._contrast]:
            settled, main = self._settled_part(normalized, hits)
            if main:
                return settled, self._totals(settled), main
        return hits, totals, 0

    def _totals(self, hits: Mapping[int, float]) -> list[float]:
        totals = [0.0] * self._size
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
            (end - len(self._words_key[i]) + 1, end, i)
            for end, i in self._automaton.iter(normalized)
        )
        settled = [(start, end, i) for start, end, i in found if self._weight(i, self._settled)]
        if not settled:
            return hits, 0
        _, end0, first = settled[0]
        cut = next((s for s, _, i in found if s > end0 and self._weight(i, self._contrast)), None)
        if cut is None:
            return hits, 0
        factor = self._weight(first, self._settled)
        out: dict[int, float] = defaultdict(float)
        for start, _, i in found:
            out[i] += factor if start < cut else 1.0
        return out, cut

    def _weight(self, idx: int, slot: int) -> float:
        return next((w for s, w in self._entries[idx] if s == slot), 0.0)

    def _patterns(self, normalized: str, totals: list[float]) -> tuple[str, ...]:
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

    def _shapes(self, normalized: str, totals: list[float]) -> tuple[str, ...]:
        """Not-a-problem shapes found (thanks that open the message, an announcement's date
        and action ...), each adding its weight to the not-a-problem words."""
        found = []
        for pattern, weight in self.taxonomy.chitchat_patterns:
            match = pattern.search(normalized)
            if match:
                totals[self._chitchat] += weight
                found.append(match.group(0))
        return tuple(found)

    def _lend_to_categories(self, totals: list[float]) -> None:
        """A danger's evidence counts for its category too: someone trapped in a lift is a
        property matter even when the message names no lift word ("困在里面")."""
        for i, slot in enumerate(self._danger_category):
            if slot is not None:
                totals[slot] += totals[self._dangers + i]

    def _danger_named(self, normalized: str) -> str | None:
        """The danger a normalised text's words and patterns name, if any."""
        totals = self._totals(self._hits(normalized))
        self._patterns(normalized, totals)
        danger = self._danger(totals)
        return danger.name if danger else None

    def _danger(self, totals: list[float]) -> Danger | None:
        dangers = self.taxonomy.dangers
        if not dangers:
            return None
        scores = totals[self._dangers :]
        best = max(range(len(scores)), key=scores.__getitem__)
        return dangers[best] if scores[best] > 0 else None

    def _reasons(
        self,
        hits: Mapping[int, float],
        chosen: tuple[int, int, str],
        terms: tuple[float, ...],
        evidence: float,
        borderline: bool,
        matched: tuple[tuple[str, ...], ...],
        opinion: tuple[str, ...],
    ) -> tuple[str, ...]:
        """The decision term by term, each with the words behind it. ``chosen``: the keywords'
        category (whose score the category term is), the category given, and what chose it
        when the two differ (a deciding danger; else the n-gram opinion)."""
        worded, best, decided_by = chosen
        labels = (
            (f"category {self._names[worded]}", (worded,)),
            ("urgency", (self._urgent, *range(self._dangers, self._size), self._hedge)),
            ("problem words", (self._marker,)),
            ("not-a-problem words", (self._chitchat,)),
            ("posted by a grid member", ()),
            ("character n-grams", (-2,)),
            ("not-a-report shapes", (-3,)),
        )
        out = []
        for (label, slots), value in zip(labels, terms, strict=True):
            if value:
                extra = {
                    self._urgent: matched[0],
                    self._chitchat: matched[1],
                    -2: matched[2],
                    -3: matched[3],
                }.get(slots[0] if slots else -1, ())
                words = ",".join(self._signed(hits, slots) + extra)
                out.append(f"{label} {value:+.1f}" + (f" ({words})" if words else ""))
        if opinion:
            out.append(f"category {self._names[best]} by character n-grams ({','.join(opinion)})")
        elif best != worded:
            out.append(f"category {self._names[best]} by {decided_by or 'character n-grams'}")
        tax = self.taxonomy
        if evidence >= tax.problem_threshold:
            verdict = f"evidence {evidence:.1f} >= {tax.problem_threshold:g}: a problem"
        elif borderline:
            verdict = f"evidence {evidence:.1f} < {tax.problem_threshold:g}: ask the author"
        else:
            verdict = f"evidence {evidence:.1f} < {tax.problem_threshold:g}: not a problem"
        return (*out, verdict)

    def _signed(self, hits: Mapping[int, float], slots: tuple[int, ...]) -> tuple[str, ...]:
        found = []
        for idx, count in hits.items():
            for slot, weight in self._entries[idx]:
                if slot in slots and weight:
                    sign = -1 if slot == self._hedge else 1
                    value = sign * weight * count
                    found.append((-abs(value), f"{self._words[idx]}{value:+g}"))
        return tuple(word for _, word in sorted(found)[:6])

    def _hits(self, normalized: str) -> Counter[int]:
        if not normalized or not self._words:
            return Counter()
        return Counter(idx for _, idx in self._automaton.iter(normalized))

    def _winner(self, totals: list[float]) -> tuple[int, float]:
        """The best category slot and its lead over the runner-up; ties go to the earlier."""
        scores = totals[: len(self._names)]
        best = scores.index(max(scores))  # the first of equals
        min_score = self.taxonomy.min_score
        # min_score = 0 means "never fall back" (learned taxonomies: every text had a
        # category); with nothing matched the first category, the most frequent, wins.
        if min_score > 0 and (scores[best] <= 0 or scores[best] < min_score):
            return self._fallback, 0.0
        runner_up = max(scores[:best] + scores[best + 1 :], default=0.0)
        return best, scores[best] - max(runner_up, 0.0)

    def _explain(self, hits: Mapping[int, float], *slots: int) -> tuple[str, ...]:
        """Matched keywords of the given slots, biggest contribution first."""
        found = []
        for idx, count in hits.items():
            for s, weight in self._entries[idx]:
                if s in slots and weight > 0:
                    found.append((-weight * count, self._words[idx]))
        return tuple(dict.fromkeys(word for _, word in sorted(found)))
