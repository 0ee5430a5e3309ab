"""What the classifier says about one message (bot/classify/classifier.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Classification:
    category: str
    score: float
    margin: float
    keywords: tuple[str, ...]
    is_problem: bool
    urgent: bool
    urgent_keywords: tuple[str, ...]
    # Probably a problem but not certainly: the bot asks the author instead of registering.
    borderline: bool = False
    # The kind of danger an urgent message names, and the advice to give meanwhile.
    danger: str | None = None
    advice: str = ""
    # The n-grams by which the second opinion (bot/classify/ngrams.py) moved the category
    # away from the keywords' choice; empty when the keywords decided alone.
    opinion: tuple[str, ...] = ()
    # Builds the explanation on demand: intake never reads it, and building it for every
    # message cost a third of the classifier's time.
    explain: Callable[[], tuple[str, ...]] = field(default=tuple, compare=False, repr=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why it is or is not a problem, one term of the decision a line."""
        return self.explain()
