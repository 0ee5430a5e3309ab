"""Taxonomy files: categories with weighted keywords, urgency and problem/chit-chat markers.

The file format is documented at the top of the shipped default, ``bot/data/taxonomy.toml``.
Loading validates everything a person might get wrong when editing the file by hand and
reports it as one line naming the file, so a typo never turns into a silently ignored key.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.classify.shapes import Shape, parse_shapes
from bot.classify.taxonomy_fields import (
    check_keys,
    confusable_table,
    flag,
    limit,
    number,
    table,
    text,
    urgent_limit,
    weighted_patterns,
    weights,
)
from bot.timelimits import Limit, days, hours

DEFAULT_PATH = Path(__file__).parents[1] / "data" / "taxonomy.toml"
_EMPTY: Mapping[str, float] = MappingProxyType({})
# The label of an example (or of a row of labelled data) that reports no problem.
NOT_A_PROBLEM = "非诉求"


def _no_words() -> Mapping[str, float]:
    return _EMPTY


class TaxonomyError(Exception):
    """A taxonomy file is missing or malformed; the message is one line naming the file."""


@dataclass(frozen=True)
class Category:
    name: str
    keywords: Mapping[str, float]
    expertise: tuple[str, ...] = ()
    department: str | None = None
    respond: Limit | None = None  # None: the taxonomy's default
    solve: Limit | None = None


@dataclass(frozen=True)
class Danger:
    """A kind of emergency: the words and patterns that reveal it and what to do meanwhile."""

    name: str
    keywords: Mapping[str, float]
    # Regular expressions over the matching form (Simplified, no punctuation or spaces);
    # each match counts as the urgent threshold, so a pattern alone marks a message urgent.
    patterns: tuple[re.Pattern[str], ...] = ()
    advice: str = ""
    # The category this danger's evidence also counts for (a trapped lift: 物业管理).
    category: str | None = None
    # The danger's category is the message's whatever else it names (a gas pipe broken open
    # is 治安安全 though it names 管道); not for someone hurt, who may be hurt in traffic.
    decides: bool = False


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    fallback: str = "其他"
    urgent_keywords: Mapping[str, float] = field(default_factory=_no_words)
    # SPEC §8: respond within 24 h, solve or plan within 7 days; urgent: respond within 2 h.
    respond: Limit = field(default_factory=lambda: hours(24))
    solve: Limit = field(default_factory=lambda: days(7))
    urgent_respond: Limit = field(default_factory=lambda: hours(2))
    # A category must score at least this much to win; below it the fallback is chosen.
    min_score: float = 1.0
    # "Is this a problem at all": best category score + markers - chit-chat >= threshold.
    problem_threshold: float = 1.5
    problem_markers: Mapping[str, float] = field(default_factory=_no_words)
    chitchat_markers: Mapping[str, float] = field(default_factory=_no_words)
    # Two things in one message, "X 修好了，可 Y 还坏着": the part before a contrast word that
    # follows a settled word counts this much (the settled word's weight; 0.2: a fifth).
    settled_markers: Mapping[str, float] = field(default_factory=_no_words)
    contrast_markers: Mapping[str, float] = field(default_factory=_no_words)
    # Shapes of a message that is no report, whatever its words: thanks that open it, an
    # announcement's "本周四...开展", lost-and-found's "落在...放在门卫室"; pattern -> weight.
    chitchat_patterns: tuple[tuple[re.Pattern[str], float], ...] = ()
    # Urgent: urgent keywords - hedges ("隐患", "万一": a risk, not an emergency) >= threshold.
    urgent_threshold: float = 1.0
    urgent_hedges: Mapping[str, float] = field(default_factory=_no_words)
    # Kinds of emergency, each with its own words, patterns and safety advice.
    dangers: tuple[Danger, ...] = ()
    # Advice for an urgent message no danger kind explains (救命, 快来人).
    urgent_advice: str = ""
    # Evidence from here up to problem_threshold: probably a problem, so the author is asked.
    borderline_threshold: float | None = None
    # At most this much of the best category's score counts as evidence: a forwarded safety
    # tip is full of topic words yet reports nothing.
    category_cap: float | None = None
    # Subtracted from the evidence when a grid member or coordinator posts (notices).
    staff_penalty: float = 0.0
    # Typing slips and homophones: correct character -> characters typed instead of it;
    # every keyword also matches with one character so replaced (电悌 for 电梯).
    confusable: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # The second opinion on the category (bot/classify/ngrams.py): how much its mean n-gram
    # log-probability counts next to keyword scores (0: not asked), and the labelled
    # messages it learns from besides the keywords, as (text, category).
    opinion_weight: float = 0.0
    examples: tuple[tuple[str, str], ...] = ()
    # The problem decision's second opinion: naive Bayes over the n-grams of the examples
    # labelled NOT_A_PROBLEM against all the others; its lead, at most ``problem_clip`` either
    # way, times this weight is one more term of the evidence (0: not asked).
    problem_weight: float = 0.0
    problem_clip: float = 1.0
    # Message shapes that say "not a report" (bot/classify/shapes.py), each kind one term.
    shapes: tuple[Shape, ...] = ()
    # The urgency opinion (bot/classify/urgency.py): naive Bayes over the n-grams of the
    # example texts listed here (marked urgent) against the other examples; its lead, at most
    # ``urgent_clip`` either way, times ``urgent_lead`` adds to the urgent score (0: not asked).
    urgent_examples: tuple[str, ...] = ()
    urgent_lead: float = 0.0
    urgent_clip: float = 1.0
    _by_name: Mapping[str, Category] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.fallback not in {c.name for c in self.categories}:
            # Routing and intake look the fallback up like any other category.
            fallback = Category(name=self.fallback, keywords=_EMPTY)
            object.__setattr__(self, "categories", (*self.categories, fallback))
        object.__setattr__(
            self, "_by_name", MappingProxyType({c.name: c for c in self.categories})
        )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    def category(self, name: str) -> Category | None:
        return self._by_name.get(name)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Reads a taxonomy TOML file; ``None`` reads the shipped default."""
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{file}: no such taxonomy file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{file}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{file}: not valid TOML: {exc}") from None
    try:
        return parse_taxonomy(_with_examples(data, file.parent))
    except ValueError as exc:
        raise TaxonomyError(f"{file}: {exc}") from None


def _with_examples(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """`examples = "file.csv"` (next to the taxonomy, columns text,category) read in."""
    opinion = data.get("second_opinion")
    if not isinstance(opinion, dict) or not isinstance(opinion.get("examples"), str):
        return data
    file = folder / opinion["examples"]
    if not file.exists():
        # A copy of the shipped taxonomy, edited elsewhere, keeps the shipped examples.
        file = DEFAULT_PATH.parent / opinion["examples"]
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            read = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"[second_opinion] examples {file}: cannot read: {exc}") from None
    rows = [[r.get("text") or "", r.get("category") or ""] for r in read]
    # An older file has no urgent column: then no example is marked urgent.
    urgent = [r.get("text") or "" for r in read if (r.get("urgent") or "").strip() == "1"]
    found = {**opinion, "examples": rows, "urgent_examples": urgent}
    return {**data, "second_opinion": found}


def parse_taxonomy(data: Mapping[str, Any]) -> Taxonomy:
    """Builds a Taxonomy from parsed TOML; raises ValueError naming the offending key."""
    check_keys(data, _TOP_KEYS, "the top level")
    problem = table(data, "problem", _PROBLEM_KEYS)
    urgent = table(data, "urgent", _URGENT_KEYS)
    raw_categories = table(data, "categories", None)
    if not raw_categories:
        raise ValueError("no [categories] defined")
    fallback = data.get("fallback", "其他")
    if not isinstance(fallback, str) or not fallback.strip():
        raise ValueError("'fallback' must be a category name")
    categories = [_category(name, raw) for name, raw in raw_categories.items()]
    known = {c.name for c in categories} | {fallback}
    for name, raw in table(urgent, "dangers", None).items():
        named = raw.get("category") if isinstance(raw, Mapping) else None
        if named is not None and named not in known:
            raise ValueError(f"[urgent.dangers.{name}] category {named!r} is not a category")
    return Taxonomy(
        categories=tuple(categories),
        fallback=fallback,
        urgent_keywords=weights(urgent.get("keywords", {}), "urgent.keywords"),
        urgent_hedges=weights(urgent.get("hedges", {}), "urgent.hedges"),
        urgent_threshold=number(urgent, "threshold", "urgent.threshold", 1.0),
        problem_markers=weights(problem.get("markers", {}), "problem.markers"),
        chitchat_markers=weights(problem.get("chitchat", {}), "problem.chitchat"),
        settled_markers=weights(problem.get("settled", {}), "problem.settled"),
        contrast_markers=weights(problem.get("contrast", {}), "problem.contrast"),
        chitchat_patterns=weighted_patterns(problem.get("chitchat_patterns", {})),
        problem_threshold=number(problem, "threshold", "problem.threshold", 1.5),
        borderline_threshold=number(problem, "borderline", "problem.borderline", None),
        category_cap=number(problem, "category_cap", "problem.category_cap", None),
        staff_penalty=number(
            problem, "staff_penalty", "problem.staff_penalty", 0.0, positive=False
        ),
        dangers=tuple(_danger(name, raw) for name, raw in table(urgent, "dangers", None).items()),
        urgent_advice=text(urgent, "advice", "urgent.advice"),
        confusable=confusable_table(data.get("confusable", {})),
        **_opinion(table(data, "second_opinion", _OPINION_KEYS)),
        min_score=number(data, "min_score", "min_score", 1.0, positive=False),
        respond=limit(data, "respond", "", None) or hours(24),
        solve=limit(data, "solve", "", None) or days(7),
        urgent_respond=urgent_limit(data),
        shapes=parse_shapes(problem.get("shapes", {})),
        urgent_lead=number(urgent, "lead", "urgent.lead", 0.0, positive=False),
        urgent_clip=number(urgent, "lead_clip", "urgent.lead_clip", 1.0),
    )


_TOP_KEYS = {
    "fallback",
    "min_score",
    "respond",
    "solve",
    "urgent_respond",
    # The older spellings, still read: a number of hours or of calendar days.
    "respond_hours",
    "solve_days",
    "urgent_respond_hours",
    "problem",
    "urgent",
    "categories",
    "confusable",
    "second_opinion",
}
_PROBLEM_KEYS = {
    "threshold", "markers", "chitchat", "borderline", "staff_penalty", "category_cap",
    "settled", "contrast", "chitchat_patterns", "shapes",
}  # fmt: skip
_OPINION_KEYS = {"weight", "examples", "problem_weight", "problem_clip", "urgent_examples"}
_URGENT_KEYS = {"threshold", "keywords", "hedges", "advice", "dangers", "lead", "lead_clip"}
_DANGER_KEYS = {"keywords", "patterns", "advice", "category", "decides"}


def _danger(name: str, raw: Any) -> Danger:
    where = f"[urgent.dangers.{name}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table")
    check_keys(raw, _DANGER_KEYS, where)
    patterns = raw.get("patterns", [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ValueError(f"{where} patterns must be a list of strings")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"{where} pattern {pattern!r}: {exc}") from None
    return Danger(
        name=name,
        keywords=weights(raw.get("keywords", {}), f"{where} keywords"),
        patterns=tuple(compiled),
        advice=text(raw, "advice", f"{where} advice"),
        category=text(raw, "category", f"{where} category") or None,
        decides=flag(raw, "decides", where),
    )


def _opinion(raw: Mapping[str, Any]) -> dict[str, Any]:
    weight = number(raw, "weight", "second_opinion.weight", 0.0, positive=False)
    examples = raw.get("examples", [])
    pairs = isinstance(examples, list) and all(
        isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)
        for e in examples
    )
    if not pairs:
        raise ValueError(
            '[second_opinion] examples must be a CSV file name or a list of ["text", "category"]'
        )
    found = tuple((text, category) for text, category in examples if text.strip())
    return {
        "opinion_weight": weight,
        "examples": found,
        "problem_weight": number(
            raw, "problem_weight", "second_opinion.problem_weight", 0.0, positive=False
        ),
        "problem_clip": number(raw, "problem_clip", "second_opinion.problem_clip", 1.0),
        "urgent_examples": _texts(raw.get("urgent_examples", [])),
    }


def _texts(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise ValueError("[second_opinion] urgent_examples must be a list of texts")
    return tuple(t for t in raw if t.strip())


_CATEGORY_KEYS = {
    "keywords", "expertise", "department", "respond", "solve", "respond_hours", "solve_days",
}  # fmt: skip


def _category(name: str, raw: Any) -> Category:
    where = f"[categories.{name}]"
    if not name.strip():
        raise ValueError("a category has an empty name")
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table")
    check_keys(raw, _CATEGORY_KEYS, where)
    expertise = raw.get("expertise", ())
    if isinstance(expertise, str):
        expertise = (expertise,)
    if not isinstance(expertise, list | tuple) or not all(isinstance(e, str) for e in expertise):
        raise ValueError(f"{where} expertise must be a string or a list of strings")
    department = raw.get("department")
    if department is not None and not isinstance(department, str):
        raise ValueError(f"{where} department must be a string")
    return Category(
        name=name,
        keywords=weights(raw.get("keywords", {}), f"{where} keywords"),
        expertise=tuple(expertise),
        department=department or None,
        respond=limit(raw, "respond", f"{where} ", None),
        solve=limit(raw, "solve", f"{where} ", None),
    )


def dump_taxonomy(tax: Taxonomy, comment: str = "") -> str:
    """TOML text that :func:`load_taxonomy` reads back to an equal Taxonomy."""
    # imported here: the writer needs this module's classes, this module only its function
    from bot.classify.taxonomy_dump import dump

    return dump(tax, comment)
