"""The classifier's decision read back, one term a line, each with the words behind it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.classify.scoring import Scorer

# The evidence terms in the order the classifier adds them, with the label each line
# carries; the category line is labelled with the keywords' category.
TERM_LABELS = (
    "category",
    "urgency",
    "problem words",
    "not-a-problem words",
    "posted by a grid member",
    "character n-grams",
    "not-a-report shapes",
)


@dataclass(frozen=True)
class Evidence:
    """What decided one message: its keyword hits, the evidence terms and their sum, and the
    words each kind of match found (danger patterns, not-a-problem patterns, the problem
    opinion's n-grams, named on demand, and not-a-report shapes)."""

    hits: Mapping[int, float]
    terms: tuple[float, ...]
    patterns: tuple[str, ...]
    shapes: tuple[str, ...]
    leaning: Callable[[], tuple[str, ...]]
    shaped: tuple[str, ...]

    @property
    def total(self) -> float:
        return sum(self.terms)


@dataclass(frozen=True)
class Choice:
    """The keywords' category (whose score the category term is), the category given, what
    chose it when the two differ (a deciding danger; else the n-gram opinion) and the
    n-grams that moved it."""

    worded: int
    best: int
    decided_by: str = ""
    opinion: tuple[str, ...] = ()


def reason_lines(
    scorer: Scorer, evidence: Evidence, choice: Choice, borderline: bool
) -> tuple[str, ...]:
    """The decision term by term, then the category's origin, then the verdict."""
    terms = zip(_term_slots(scorer, choice), TERM_LABELS, evidence.terms, strict=True)
    out = [_line(scorer, evidence, slots, label, value) for slots, label, value in terms if value]
    names = scorer.names
    if choice.opinion:
        out.append(
            f"category {names[choice.best]} by character n-grams ({','.join(choice.opinion)})"
        )
    elif choice.best != choice.worded:
        out.append(f"category {names[choice.best]} by {choice.decided_by or 'character n-grams'}")
    return (*out, _verdict(scorer, evidence.total, borderline))


def _term_slots(scorer: Scorer, choice: Choice) -> tuple[tuple[int, ...], ...]:
    slots = scorer.slots
    dangers = tuple(range(slots.dangers, scorer.size))
    return (
        (choice.worded,),
        (slots.urgent, *dangers, slots.hedge),
        (slots.marker,),
        (slots.chitchat,),
        (),
        (-2,),  # no keyword slot: the problem opinion's n-grams
        (-3,),  # no keyword slot: the not-a-report shapes
    )


def _line(
    scorer: Scorer, evidence: Evidence, slots: tuple[int, ...], label: str, value: float
) -> str:
    if label == "category":
        label = f"category {scorer.names[slots[0]]}"
    words = ",".join(scorer.signed(evidence.hits, slots) + _matched(scorer, evidence, slots))
    return f"{label} {value:+.1f}" + (f" ({words})" if words else "")


def _matched(scorer: Scorer, evidence: Evidence, slots: tuple[int, ...]) -> tuple[str, ...]:
    """The words a term's patterns, n-grams or shapes found (the n-grams named only here)."""
    first = slots[0] if slots else None
    if first == scorer.slots.urgent:
        return evidence.patterns
    if first == scorer.slots.chitchat:
        return evidence.shapes
    if first == -2:
        return evidence.leaning()
    return evidence.shaped if first == -3 else ()


def _verdict(scorer: Scorer, evidence: float, borderline: bool) -> str:
    threshold = scorer.taxonomy.problem_threshold
    if evidence >= threshold:
        return f"evidence {evidence:.1f} >= {threshold:g}: a problem"
    if borderline:
        return f"evidence {evidence:.1f} < {threshold:g}: ask the author"
    return f"evidence {evidence:.1f} < {threshold:g}: not a problem"
