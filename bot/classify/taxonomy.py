"""Taxonomy files: categories with weighted keywords, urgency and problem/chit-chat markers.

The file format is documented at the top of the shipped default, ``bot/data/taxonomy.toml``.
Loading validates everything a person might get wrong when editing the file by hand and
reports it as one line naming the file, so a typo never turns into a silently ignored key.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomli_w

from bot.timelimits import Limit, Unit, days, hours, parse_limit

DEFAULT_PATH = Path(__file__).parents[1] / "data" / "taxonomy.toml"
_HAS_WORD = re.compile(r"[^\W_]")
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
            rows = [[r.get("text") or "", r.get("category") or ""] for r in csv.DictReader(fh)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"[second_opinion] examples {file}: cannot read: {exc}") from None
    return {**data, "second_opinion": {**opinion, "examples": rows}}


def parse_taxonomy(data: Mapping[str, Any]) -> Taxonomy:
    """Builds a Taxonomy from parsed TOML; raises ValueError naming the offending key."""
    _check_keys(data, _TOP_KEYS, "the top level")
    problem = _table(data, "problem", _PROBLEM_KEYS)
    urgent = _table(data, "urgent", {"threshold", "keywords", "hedges", "advice", "dangers"})
    raw_categories = _table(data, "categories", None)
    if not raw_categories:
        raise ValueError("no [categories] defined")
    fallback = data.get("fallback", "其他")
    if not isinstance(fallback, str) or not fallback.strip():
        raise ValueError("'fallback' must be a category name")
    categories = [_category(name, raw) for name, raw in raw_categories.items()]
    known = {c.name for c in categories} | {fallback}
    for name, raw in _table(urgent, "dangers", None).items():
        named = raw.get("category") if isinstance(raw, Mapping) else None
        if named is not None and named not in known:
            raise ValueError(f"[urgent.dangers.{name}] category {named!r} is not a category")
    return Taxonomy(
        categories=tuple(categories),
        fallback=fallback,
        urgent_keywords=_weights(urgent.get("keywords", {}), "urgent.keywords"),
        urgent_hedges=_weights(urgent.get("hedges", {}), "urgent.hedges"),
        urgent_threshold=_number(urgent, "threshold", "urgent.threshold", 1.0),
        problem_markers=_weights(problem.get("markers", {}), "problem.markers"),
        chitchat_markers=_weights(problem.get("chitchat", {}), "problem.chitchat"),
        settled_markers=_weights(problem.get("settled", {}), "problem.settled"),
        contrast_markers=_weights(problem.get("contrast", {}), "problem.contrast"),
        chitchat_patterns=_patterns(problem.get("chitchat_patterns", {})),
        problem_threshold=_number(problem, "threshold", "problem.threshold", 1.5),
        borderline_threshold=_number(problem, "borderline", "problem.borderline", None),
        category_cap=_number(problem, "category_cap", "problem.category_cap", None),
        staff_penalty=_number(
            problem, "staff_penalty", "problem.staff_penalty", 0.0, positive=False
        ),
        dangers=tuple(_danger(name, raw) for name, raw in _table(urgent, "dangers", None).items()),
        urgent_advice=_text(urgent, "advice", "urgent.advice"),
        confusable=_confusable(data.get("confusable", {})),
        **_opinion(_table(data, "second_opinion", _OPINION_KEYS)),
        min_score=_number(data, "min_score", "min_score", 1.0, positive=False),
        respond=_limit(data, "respond", "", None) or hours(24),
        solve=_limit(data, "solve", "", None) or days(7),
        urgent_respond=_urgent_limit(data),
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
    "settled", "contrast", "chitchat_patterns",
}  # fmt: skip
_OPINION_KEYS = {"weight", "examples", "problem_weight", "problem_clip"}
_DANGER_KEYS = {"keywords", "patterns", "advice", "category", "decides"}


def _danger(name: str, raw: Any) -> Danger:
    where = f"[urgent.dangers.{name}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table")
    _check_keys(raw, _DANGER_KEYS, where)
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
        keywords=_weights(raw.get("keywords", {}), f"{where} keywords"),
        patterns=tuple(compiled),
        advice=_text(raw, "advice", f"{where} advice"),
        category=_text(raw, "category", f"{where} category") or None,
        decides=_flag(raw, "decides", where),
    )


def _patterns(raw: Any) -> tuple[tuple[re.Pattern[str], float], ...]:
    where = "problem.chitchat_patterns"
    out = []
    for pattern, weight in _weights_of(raw, where).items():
        try:
            out.append((re.compile(pattern), weight))
        except re.error as exc:
            raise ValueError(f"[{where}] pattern {pattern!r}: {exc}") from None
    return tuple(out)


def _flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where} {key} must be true or false")
    return value


def _opinion(raw: Mapping[str, Any]) -> dict[str, Any]:
    weight = _number(raw, "weight", "second_opinion.weight", 0.0, positive=False)
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
        "problem_weight": _number(
            raw, "problem_weight", "second_opinion.problem_weight", 0.0, positive=False
        ),
        "problem_clip": _number(raw, "problem_clip", "second_opinion.problem_clip", 1.0),
    }


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a string")
    return value.strip()


def _confusable(raw: Any) -> Mapping[str, str]:
    if not isinstance(raw, Mapping):
        raise ValueError('[confusable] must be a table of character = "characters"')
    for right, wrong in raw.items():
        if len(right) != 1 or not isinstance(wrong, str) or not wrong:
            raise ValueError(f"[confusable]: {right!r} must be one character = a string")
    return MappingProxyType(dict(raw))


_CATEGORY_KEYS = {
    "keywords", "expertise", "department", "respond", "solve", "respond_hours", "solve_days",
}  # fmt: skip
# Each limit and its older spelling, with the unit a bare number there is in.
_OLD_KEYS = {
    "respond": ("respond_hours", Unit.HOURS),
    "solve": ("solve_days", Unit.DAYS),
    "urgent_respond": ("urgent_respond_hours", Unit.HOURS),
}


def _category(name: str, raw: Any) -> Category:
    where = f"[categories.{name}]"
    if not name.strip():
        raise ValueError("a category has an empty name")
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table")
    _check_keys(raw, _CATEGORY_KEYS, where)
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
        keywords=_weights(raw.get("keywords", {}), f"{where} keywords"),
        expertise=tuple(expertise),
        department=department or None,
        respond=_limit(raw, "respond", f"{where} ", None),
        solve=_limit(raw, "solve", f"{where} ", None),
    )


def _limit(data: Mapping[str, Any], key: str, where: str, default: Limit | None) -> Limit | None:
    """`respond = "24h"` / `solve = "5 工作日"`, or the older `respond_hours = 24` form."""
    old, unit = _OLD_KEYS[key]
    if key in data and old in data:
        raise ValueError(f"{where}{key} and {old} both given: keep one")
    if old in data:
        amount = _number(data, old, f"{where}{old}", None)
        return Limit(amount, unit)
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'{where}{key} must be a limit like "24h", "7d" or "5 工作日"')
    text = value if isinstance(value, str) else f"{value}{'h' if unit is Unit.HOURS else 'd'}"
    try:
        return parse_limit(text)
    except ValueError as exc:
        raise ValueError(f"{where}{key}: {exc}") from None


def _urgent_limit(data: Mapping[str, Any]) -> Limit:
    found = _limit(data, "urgent_respond", "", None) or hours(2)
    if found.unit is not Unit.HOURS:
        raise ValueError(
            'urgent_respond must be in hours, like "2h": emergencies keep no office hours'
        )
    return found


def _table(data: Mapping[str, Any], key: str, allowed: set[str] | None) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be a table")
    if allowed is not None:
        _check_keys(value, allowed, f"[{key}]")
    return value


def _check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in {where}")


def _weights(raw: Any, where: str) -> Mapping[str, float]:
    weights = _weights_of(raw, where)
    for word in weights:
        if not _HAS_WORD.search(word):
            raise ValueError(f"{where}: keyword {word!r} has no letters or digits")
    return weights


def _weights_of(raw: Any, where: str) -> Mapping[str, float]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table of keyword = weight")
    out: dict[str, float] = {}
    for word, weight in raw.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ValueError(f"{where}: weight of {word!r} must be a number")
        if not math.isfinite(weight):
            raise ValueError(f"{where}: weight of {word!r} must be finite")
        out[word] = float(weight)
    return MappingProxyType(out)


def _number(
    data: Mapping[str, Any], key: str, where: str, default: float | None, positive: bool = True
) -> Any:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where} must be a number")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{where} must be {'positive' if positive else 'non-negative'}")
    return float(value)


def dump_taxonomy(tax: Taxonomy, comment: str = "") -> str:
    """TOML text that :func:`load_taxonomy` reads back to an equal Taxonomy."""
    header = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return header + ("\n" if header else "") + tomli_w.dumps(_to_plain(tax))


def _to_plain(tax: Taxonomy) -> dict[str, Any]:
    out: dict[str, Any] = {
        "fallback": tax.fallback,
        "min_score": tax.min_score,
        "respond": str(tax.respond),
        "solve": str(tax.solve),
        "urgent_respond": str(tax.urgent_respond),
        "problem": {
            "threshold": tax.problem_threshold,
            **(
                {"borderline": tax.borderline_threshold}
                if tax.borderline_threshold is not None
                else {}
            ),
            **({"category_cap": tax.category_cap} if tax.category_cap is not None else {}),
            "staff_penalty": tax.staff_penalty,
            "markers": dict(tax.problem_markers),
            "chitchat": dict(tax.chitchat_markers),
            "settled": dict(tax.settled_markers),
            "contrast": dict(tax.contrast_markers),
            "chitchat_patterns": {p.pattern: w for p, w in tax.chitchat_patterns},
        },
        "urgent": {
            "threshold": tax.urgent_threshold,
            "keywords": dict(tax.urgent_keywords),
            "hedges": dict(tax.urgent_hedges),
            "advice": tax.urgent_advice,
            "dangers": {d.name: _danger_plain(d) for d in tax.dangers},
        },
        "confusable": dict(tax.confusable),
    }
    if tax.opinion_weight or tax.examples or tax.problem_weight:
        out["second_opinion"] = {
            "weight": tax.opinion_weight,
            "problem_weight": tax.problem_weight,
            "problem_clip": tax.problem_clip,
            "examples": [list(pair) for pair in tax.examples],
        }
    out["categories"] = {c.name: _category_plain(c) for c in tax.categories}
    return out


def _category_plain(cat: Category) -> dict[str, Any]:
    out: dict[str, Any] = {"expertise": list(cat.expertise)}
    if cat.department:
        out["department"] = cat.department
    if cat.respond is not None:
        out["respond"] = str(cat.respond)
    if cat.solve is not None:
        out["solve"] = str(cat.solve)
    out["keywords"] = dict(cat.keywords)
    return out


def _danger_plain(danger: Danger) -> dict[str, Any]:
    return {
        **({"category": danger.category} if danger.category else {}),
        **({"decides": True} if danger.decides else {}),
        "advice": danger.advice,
        "patterns": [p.pattern for p in danger.patterns],
        "keywords": dict(danger.keywords),
    }
