"""The classifier's two second opinions, both naive Bayes over character n-grams
(bot/classify/ngrams.py): which category, and whether it is a problem at all.

Keywords decide what they know; the opinions weigh in where the taxonomy's words run out.
Each is trained on first use (~0.1-0.3 s, which a bot's cold start should
not pay before it polls) and only when its weight is above 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.classify.gram_index import READ_CHARS, SIZES, GramIndex
from bot.classify.ngrams import ALONE_LEAD, NgramModel
from bot.classify.taxonomy import NOT_A_PROBLEM, Taxonomy
from bot.classify.textnorm import Normalizer

# The problem opinion's two sides (the examples' own label for the other side).
PROBLEM = "诉求"
PROBLEM_SIDES = (PROBLEM, NOT_A_PROBLEM)
# Known n-grams (a text of about 15 characters) from which the problem opinion counts fully.
# Each part of tests/data/grid_eval measured with examples from the others: 20 and 40 the
# same there; short reports like "3号楼停电了" missed 7 / 4 of 80.
CONFIDENT_GRAMS = 40
# Below this many characters the category opinion is not asked: "哈哈哈" has too few n-grams
# to lean on, and leaned towards 教育文体 once chat and jokes were examples (issue-18n).
SHORT_CHARS = 8


class Opinions:
    """Both opinions of one taxonomy; ``keyword_docs`` are its category keywords as
    (normalised keyword, category, weight), documents of the category opinion."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        normalizer: Normalizer,
        keyword_docs: Sequence[tuple[str, str, float]],
    ) -> None:
        self.taxonomy = taxonomy
        self._normalizer = normalizer
        self._names = taxonomy.names
        self._fallback = self._names.index(taxonomy.fallback)
        self._keyword_docs = keyword_docs
        self._category: NgramModel | None = None
        self._category_wanted = taxonomy.opinion_weight > 0
        self._problem: NgramModel | None = None
        # One n-gram index for these and the urgency opinion's models (bot/classify/urgency.py)
        self.index = GramIndex()
        self._problem_wanted = taxonomy.problem_weight > 0

    def trainers(self) -> tuple[Callable[[], object], ...]:
        """What trains each model (if wanted and not yet trained), ahead of the first text
        that asks for it: the problem opinion's first, whose n-grams (every example's) are
        most of the shared index's, so the others add few to it."""
        return self._problem_model, self._category_model

    def models(self) -> tuple[GramIndex, NgramModel | None, NgramModel | None]:
        """The shared index and the problem and category models, as trained so far."""
        return self.index, self._problem, self._category

    def adopt(
        self, index: GramIndex, problem: NgramModel | None, category: NgramModel | None
    ) -> None:
        """Take models trained before (bot/classify/trained.py) instead of training them."""
        self.index, self._problem, self._category = index, problem, category
        self._problem_wanted, self._category_wanted = problem is not None, category is not None

    def _train_category(self) -> NgramModel | None:
        """The n-gram model over the keywords (weighted) and the example messages."""
        norm = self._normalizer.normalize
        docs = list(self._keyword_docs)
        docs += [(norm(text), category, 1.0) for text, category in self.taxonomy.examples]
        model = NgramModel(self._names, docs, self.index)
        return None if model.empty else model

    def _train_problem(self) -> NgramModel | None:
        """Problem or not, from the examples: those labelled NOT_A_PROBLEM against the rest;
        None unless both sides have some."""
        norm = self._normalizer.normalize
        docs = [
            (norm(text), NOT_A_PROBLEM if label == NOT_A_PROBLEM else PROBLEM, 1.0)
            for text, label in self.taxonomy.examples
        ]
        if len({label for _, label, _ in docs}) < 2:
            return None
        model = NgramModel(PROBLEM_SIDES, docs, self.index, leads_only=True)
        return None if model.empty else model

    def problem_lean(
        self, normalized: str, support: float, rest: float
    ) -> tuple[float, Callable[[], tuple[str, ...]]]:
        """The problem opinion's evidence term (clipped mean log-probability lead of 'a
        problem' over 'no problem', times its weight) and what names the n-grams behind it;
        ``support`` is the rest of the evidence for a problem, ``rest`` all the rest of it.
        Where the term cannot change the outcome (a plain complaint, or chat without a
        problem word: most of a group's messages) the model is not asked."""
        model = None if self._decided(support, rest, normalized) else self._problem_model()
        if model is None:
            return 0.0, tuple
        total, known = model.leads(self.index.found(normalized))
        if not known:
            return 0.0, tuple
        clip = self.taxonomy.problem_clip
        lean = max(-clip, min(clip, total / known)) * self.taxonomy.problem_weight
        # A short text's mean is a mean of few n-grams: "5栋停水了" leans hard towards notices
        # for their "1-8栋停水"; it counts in proportion until CONFIDENT_GRAMS.
        lean *= min(1.0, known / CONFIDENT_GRAMS)
        if support <= 0:
            # It only confirms: with no problem word at all, a short chat line ("嗯嗯",
            # "最近物价又涨了") leans towards problems for the n-grams it shares with them.
            lean = min(lean, 0.0)
        winner, loser = (0, 1) if lean > 0 else (1, 0)
        return lean, lambda: tuple(model.features(normalized, winner, loser, limit=3))

    def _problem_model(self) -> NgramModel | None:
        if self._problem_wanted and self._problem is None:
            self._problem = self._train_problem()
            self._problem_wanted = self._problem is not None
        return self._problem

    def _decided(self, support: float, rest: float, normalized: str) -> bool:
        """Whether the largest lean the text could have leaves the outcome as it is."""
        tax = self.taxonomy
        size = min(len(normalized), READ_CHARS)
        grams = sum(max(size - n + 1, 0) for n in SIZES)  # known ones are at most these
        most = tax.problem_weight * tax.problem_clip * min(1.0, grams / CONFIDENT_GRAMS)
        highest = rest + (most if support > 0 else 0.0)
        low = tax.problem_threshold
        if tax.borderline_threshold is not None:
            low = min(low, tax.borderline_threshold)
        return rest - most >= tax.problem_threshold or highest < low

    def category(
        self, normalized: str, totals: Sequence[float], best: int
    ) -> tuple[int, tuple[str, ...]]:
        """The category once the n-gram model's opinion is added to the keyword scores, and
        the n-grams that moved it (none when the keywords' choice stands). The catch-all
        fallback is never the model's choice, nor overruled when its own words chose it:
        what it gathers has no common vocabulary (measured on tests/data/grid_messages.csv,
        8 of the 14 categories the model got wrong there were 其他's)."""
        fallback_chosen = best == self._fallback and totals[best] > 0
        if len(normalized) < SHORT_CHARS:
            return best, ()
        model = self._category_model()
        if model is None or fallback_chosen:
            return best, ()
        opinion, known = model.scores(self.index.found(normalized))
        if not known:
            return best, ()
        weight = self.taxonomy.opinion_weight
        top = max(opinion)
        slots = [i for i in range(len(self._names)) if i != self._fallback]
        combined = {i: max(totals[i], 0.0) + weight * (opinion[i] - top) for i in slots}
        combined[best] = max(totals[best], 0.0) + weight * (opinion[best] - top)
        chosen = max(combined, key=combined.__getitem__)
        if totals[best] <= 0 and model.lead(opinion, chosen) < ALONE_LEAD:
            return best, ()  # no keyword at all, and the characters lean nowhere in particular
        if combined[chosen] <= combined[best] or chosen == best:
            return best, ()
        return chosen, tuple(model.features(normalized, chosen, best))

    def _category_model(self) -> NgramModel | None:
        if self._category_wanted and self._category is None:
            self._category = self._train_category()
            self._category_wanted = self._category is not None
        return self._category
