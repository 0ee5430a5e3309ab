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

from dataclasses import dataclass

from bot.classify.gram_index import GramIndex
from bot.classify.heap import release_freed_memory
from bot.classify.ngrams import NgramModel
from bot.classify.opinions import Opinions
from bot.classify.reasons import Choice, Evidence, reason_lines
from bot.classify.result import Classification
from bot.classify.scoring import Scored, Scorer
from bot.classify.shapes import ShapeIndex
from bot.classify.taxonomy import Danger, Taxonomy
from bot.classify.textnorm import Normalizer
from bot.classify.urgency import Urgency

__all__ = ["Classification", "Classifier"]

# The shared n-gram index, then the problem, category, urgency and danger-kind models.
Models = tuple[
    GramIndex, NgramModel | None, NgramModel | None, NgramModel | None, NgramModel | None
]


@dataclass(frozen=True)
class _Urgency:
    """A message's urgent score and what the urgency opinion added to it."""

    score: float
    urged: float


class Classifier:
    """Classifies texts with one taxonomy; build once, then call :meth:`classify` freely."""

    def __init__(self, taxonomy: Taxonomy, normalizer: Normalizer | None = None) -> None:
        self.taxonomy = taxonomy
        self._normalizer = normalizer or Normalizer()
        self._scorer = Scorer(taxonomy, self._normalizer)
        self._opinions = Opinions(taxonomy, self._normalizer, self._scorer.keyword_docs)
        # (the opinions' n-gram index: a text's n-grams looked up once for all of them)
        grams = self._opinions.index
        self._urgency = Urgency(taxonomy, self._normalizer, self._scorer.danger_named, grams)
        self._shape_index = ShapeIndex(taxonomy.shapes, self._normalizer)

    def prepare(self) -> None:
        """Train the n-gram opinions now, not on the first message that needs them, each
        one's freed counting memory handed back before the next one counts."""
        with self._normalizer.remembering():
            for train in (*self._opinions.trainers(), self._urgency.prepare):
                train()
                release_freed_memory()

    def models(self) -> Models:
        """Every trained n-gram model with the index they share, for bot/classify/trained.py."""
        return (*self._opinions.models(), *self._urgency.models())

    def adopt(self, models: Models) -> None:
        """Take the models :meth:`models` gave (of a classifier of the same taxonomy)."""
        index, problem, category, urgent, kinds = models
        self._opinions.adopt(index, problem, category)
        self._urgency.adopt(index, urgent, kinds)

    @property
    def normalizer(self) -> Normalizer:
        """The text normaliser keywords are matched with (duplicate detection shares it)."""
        return self._normalizer

    def classify(self, text: str, staff: bool = False) -> Classification:
        """The category and problem/urgency decision; ``staff``: a grid member posted it."""
        normalized = self._normalizer.normalize(text)
        scored = self._scorer.score(normalized)
        main = normalized[scored.main :]
        evidence, urgency, (worded, margin) = self._weigh(normalized, scored, staff)
        tax = self.taxonomy
        is_problem = evidence.total >= tax.problem_threshold
        low = tax.borderline_threshold
        borderline = not is_problem and low is not None and evidence.total >= low
        urgent = is_problem and urgency.score >= tax.urgent_threshold
        danger = self._scorer.danger(scored.totals) if urgent else None
        choice, margin = self._category(main, scored.totals, (worded, margin), danger)
        if urgent and danger is None:
            danger = self._urgency.kind(main)  # for its advice, not the category
        urgent_words = self._urgent_words(evidence, urgency.urged if urgent else 0.0, main)
        return Classification(
            category=self._scorer.names[choice.best],
            score=round(scored.totals[choice.best], 4),
            margin=round(margin, 4),
            keywords=self._keywords(scored, choice) or urgent_words,
            opinion=choice.opinion,
            is_problem=is_problem,
            urgent=urgent,
            urgent_keywords=urgent_words if urgent else (),
            borderline=borderline,
            explain=lambda: self._urgency.reasons(
                reason_lines(self._scorer, evidence, choice, borderline), urgency.urged, main
            ),
            danger=danger.name if danger else None,
            advice=(danger.advice if danger else "") or (tax.urgent_advice if urgent else ""),
        )

    def _weigh(
        self, normalized: str, scored: Scored, staff: bool
    ) -> tuple[Evidence, _Urgency, tuple[int, float]]:
        """The evidence terms for a problem, the urgent score, and the keywords' category
        with its lead (the score vector takes in patterns, shapes and lent dangers here)."""
        scorer, totals, slots = self._scorer, scored.totals, self._scorer.slots
        main = normalized[scored.main :]
        worded = sum(totals[slots.dangers :])
        patterns = scorer.patterns(normalized, totals)
        shapes = scorer.shapes(main, totals)
        scorer.lend_to_categories(totals)
        best, margin = scorer.winner(totals)
        topic = max(totals[best], 0.0)
        if self.taxonomy.category_cap is not None:
            topic = min(topic, self.taxonomy.category_cap)
        shaped = self._shape_index.find(main)
        urgency = self._urgent_score(main, totals, worded, calm=shaped.calm)
        penalty = self.taxonomy.staff_penalty if staff else 0.0
        support = topic + max(urgency.score, 0.0) + totals[slots.marker]
        rest = support - totals[slots.chitchat] - penalty - shaped.weight
        lean, leaning = self._opinions.problem_lean(main, support, rest)
        terms = (
            topic,
            max(urgency.score, 0.0),
            totals[slots.marker],
            -totals[slots.chitchat],
            -penalty,
            lean,
            -shaped.weight,
        )
        evidence = Evidence(scored.hits, terms, patterns, shapes, leaning, shaped.terms)
        return evidence, urgency, (best, margin)

    def _urgent_score(self, main: str, totals: list[float], worded: float, calm: bool) -> _Urgency:
        """Urgent words and dangers less hedges, then the urgency opinion's term; nothing
        when ``calm``: a danger in the news or in "要是哪天" is no danger here, whatever the
        n-grams say."""
        if calm:
            return _Urgency(0.0, 0.0)
        slots = self._scorer.slots
        described = sum(totals[slots.dangers :]) - worded
        score = max(totals[slots.urgent] + worded - totals[slots.hedge], 0.0) + described
        hedged = totals[slots.hedge] > 0
        urged = self._urgency.term(main, score, described, hedged)
        return _Urgency(score + urged, urged)

    def _category(
        self, main: str, totals: list[float], worded: tuple[int, float], danger: Danger | None
    ) -> tuple[Choice, float]:
        """A deciding danger's category, else the keywords' choice as the n-gram opinion may
        move it; with the lead (none once the opinion moved it)."""
        best, margin = worded
        names = self._scorer.names
        if danger is not None and danger.decides and danger.category in names:
            decided = names.index(danger.category)
            return Choice(best, decided, f"the danger ({danger.name})"), margin
        chosen, opinion = self._opinions.category(main, totals, best)
        if chosen != best:
            return Choice(best, chosen, opinion=opinion), 0.0
        return Choice(best, best, opinion=opinion), margin

    def _keywords(self, scored: Scored, choice: Choice) -> tuple[str, ...]:
        """The words behind the category: its keywords, else the n-grams that chose it (a
        deciding danger may be all there is: "燃气管破了" names no category word)."""
        scorer = self._scorer
        best = choice.best
        shown = best if best != scorer.fallback or scored.totals[best] > 0 else scorer.slots.marker
        return scorer.explain(scored.hits, shown) or choice.opinion

    def _urgent_words(self, evidence: Evidence, urged: float, main: str) -> tuple[str, ...]:
        """The urgent words, danger patterns and, when the opinion made it urgent (``urged``
        counted), its n-grams; the words shown for a message no category word names."""
        slots = self._scorer.slots
        words = self._scorer.explain(
            evidence.hits, slots.urgent, *range(slots.dangers, self._scorer.size)
        )
        words += tuple(p for p in evidence.patterns if p not in words)
        if urged > 0:
            words += tuple(g for g in self._urgency.grams(main) if g not in words)
        return words
