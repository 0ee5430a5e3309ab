"""The urgency opinion: naive Bayes over character n-grams (bot/classify/ngrams.py), the
taxonomy's example messages marked urgent against all the other examples.

Danger words and patterns know the dangers they were written for; residents describe the
rest in their own words ("电线耷拉到地上还一闪一闪的", "电梯卡在7楼和8楼中间", "阿婆晕低咗").
Their characters still lean towards the dangers of the examples: the opinion's clipped mean
log-probability lead of "urgent" over "not urgent", times the taxonomy's ``urgent_lead``,
adds to the urgent score, and the n-grams behind it are named like urgent words.

An urgent message no danger's words name still gets its kind's safety advice where its
characters lean clearly towards one kind: naive Bayes again, over the urgent examples each
labelled with the danger its words and patterns name (and the dangers' own keywords).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.classify.gram_index import GramIndex
from bot.classify.ngrams import NgramModel
from bot.classify.taxonomy import Danger, Taxonomy
from bot.classify.textnorm import Normalizer

URGENT, CALM = "紧急", "不紧急"
# How far (mean log-probability per n-gram) the best danger kind must lead the next for its
# advice to be given. Urgent messages of fresh5, urgent6 and sealed4 no danger word named,
# kinds from opinions trained without them: lead 0.3 named 42, some wrongly (a cracked
# bridge 'fire', someone in a river 'fire', a greenhouse fallen in 'water'); 0.5 named 24,
# all rightly; 0.7 only 9.
KIND_LEAD = 0.5
# Known n-grams from which the opinion counts fully; below, in proportion: the mean of a
# few n-grams is no evidence ("[捂脸]" leaned hard towards 捂住口鼻 and was a danger).
CONFIDENT_GRAMS = 15


class Urgency:
    """The urgency opinion of one taxonomy, trained on first use (only when asked for);
    ``named`` is the danger a normalised text's words and patterns name (the classifier's),
    ``index`` the n-gram index of its models (the other opinions', shared)."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        normalizer: Normalizer,
        named: Callable[[str], str | None],
        index: GramIndex | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self._normalizer = normalizer
        self._named = named
        self._index = index if index is not None else GramIndex()
        self._wanted = taxonomy.urgent_lead > 0 and bool(taxonomy.urgent_examples)
        self._model: NgramModel | None = None
        self._kinds: NgramModel | None = None
        self._kinds_wanted = self._wanted and bool(taxonomy.dangers)

    def prepare(self) -> None:
        """Both models trained (if wanted), ahead of the first text that asks for them."""
        self._trained()
        self._kinds_model()

    def models(self) -> tuple[NgramModel | None, NgramModel | None]:
        """The urgency model and the danger kinds' model, as trained so far."""
        return self._model, self._kinds

    def adopt(
        self, index: GramIndex, model: NgramModel | None, kinds: NgramModel | None
    ) -> None:
        """Take models trained before (bot/classify/trained.py), over ``index``."""
        self._index, self._model, self._kinds = index, model, kinds
        self._wanted, self._kinds_wanted = model is not None, kinds is not None

    def reach(self) -> float:
        """The most the opinion can add to (or take from) an urgent score."""
        return self.taxonomy.urgent_lead * self.taxonomy.urgent_clip if self._wanted else 0.0

    def lean(self, normalized: str) -> float:
        """The opinion's term of the urgent score for a normalised text (0 with no model)."""
        model = self._trained()
        if model is None:
            return 0.0
        total, known = model.leads(self._index.found(normalized))
        if not known:
            return 0.0
        mean = total / known
        clip = self.taxonomy.urgent_clip
        confidence = min(1.0, known / CONFIDENT_GRAMS)
        return max(-clip, min(clip, mean)) * self.taxonomy.urgent_lead * confidence

    def grams(self, normalized: str, limit: int = 3) -> tuple[str, ...]:
        """The n-grams that most lean the text towards urgent, to name them as its reason."""
        model = self._trained()
        return tuple(model.features(normalized, 0, 1, limit)) if model else ()

    def _trained(self) -> NgramModel | None:
        if self._wanted and self._model is None:
            self._model = self._train()
            self._wanted = self._model is not None
        return self._model

    def _train(self) -> NgramModel | None:
        norm = self._normalizer.normalize
        marked = dict.fromkeys(self.taxonomy.urgent_examples)  # in order, each once
        docs = [(norm(text), URGENT, 1.0) for text in marked]
        docs += [(norm(t), CALM, 1.0) for t, _ in self.taxonomy.examples if t not in marked]
        if not any(label == CALM for _, label, _ in docs):
            return None
        model = NgramModel((URGENT, CALM), docs, self._index, leads_only=True)
        return None if model.empty else model

    def term(self, normalized: str, score: float, floor: float, hedged: bool) -> float:
        """What the opinion adds to a text's urgent score ``score``: never more when a hedge
        matched (a risk, a drill, a past event: "担心会漏气" shares the n-grams of a leak), and
        never taking it below ``floor``, what the danger patterns found. Not asked (0) where
        it cannot change the urgent decision."""
        reach, threshold = self.reach(), self.taxonomy.urgent_threshold
        if not threshold - reach <= score < threshold + reach or (hedged and score <= floor):
            return 0.0
        lean = self.lean(normalized)
        return max(score + (min(lean, 0.0) if hedged else lean), floor) - score

    def reasons(self, reasons: tuple[str, ...], term: float, normalized: str) -> tuple[str, ...]:
        """``reasons`` with the opinion's line, naming its n-grams, before the verdict (the
        last line)."""
        if not term:
            return reasons
        grams = self.grams(normalized) if term > 0 else ()
        named = f" ({','.join(grams)})" if grams else ""
        return (*reasons[:-1], f"urgency by character n-grams {term:+.1f}{named}", reasons[-1])

    def kind(self, normalized: str) -> Danger | None:
        """The danger an urgent text's n-grams lean clearly towards, if any."""
        model = self._kinds_model()
        if model is None:
            return None
        scores, known = model.scores(self._index.found(normalized))
        best = max(range(len(scores)), key=scores.__getitem__)
        if not known or model.lead(scores, best) < KIND_LEAD:
            return None
        return self.taxonomy.dangers[best]

    def _kinds_model(self) -> NgramModel | None:
        if self._kinds_wanted and self._kinds is None:
            norm = self._normalizer.normalize
            docs = [(norm(w), d.name, 1.0) for d in self.taxonomy.dangers for w in d.keywords]
            for text in dict.fromkeys(norm(t) for t in self.taxonomy.urgent_examples):
                name = self._named(text)
                if name is not None:
                    docs.append((text, name, 1.0))
            model = NgramModel([d.name for d in self.taxonomy.dangers], docs, self._index)
            self._kinds = None if model.empty else model
            self._kinds_wanted = self._kinds is not None
        return self._kinds
