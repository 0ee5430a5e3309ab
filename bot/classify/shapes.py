"""Message shapes that say "not a report", whatever the topic words in them.

A question for information ("社保卡丢了去哪补办？"), a status update ("水恢复了"), a grid
worker's or the property's reply ("已安排师傅，明天上门"), a sale or a find ("出一个婴儿车",
"捡到一串钥匙") and chat about the past, the news or what might happen ("要是电梯坏了…")
name a lift, a pipe or a benefit as often as complaints do; their shape is what tells them
apart. Each kind of shape ([problem.shapes.KIND] in the taxonomy) is one negative term of
the evidence, counted once however many of its terms match, and named with the term it
matched so the decision reads back. A complaint asked as a question ("请问电梯坏了三天了
什么时候修？") keeps its problem words, which outweigh the shape.

A term is a phrase, or phrases that must come in this order with anything between them
("请问…吗"); "^" in front ties it to the start of the message, "$" at the end to its end.
All the terms' phrases go into one Aho-Corasick automaton, so a message is read once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from bot.classify.textnorm import Normalizer

GAP = "…"


@dataclass(frozen=True)
class Shape:
    """A kind of not-a-report message: its weight against a problem, and its terms."""

    name: str
    weight: float
    terms: tuple[str, ...]
    # Terms that undo the shape: a question "为什么又停水了" or "能派人来修吗" is a complaint.
    unless: tuple[str, ...] = ()
    # A danger named in this shape is not here (the news, "要是哪天"): no urgency counts.
    calms: bool = False


@dataclass(frozen=True)
class Found:
    weight: float = 0.0
    terms: tuple[str, ...] = ()
    calm: bool = False


@dataclass(frozen=True)
class _Term:
    shape: int
    undoes: bool  # one of the shape's `unless` terms
    text: str  # as written in the taxonomy, shown in reasons
    parts: tuple[str, ...]  # normalised phrases, in order
    at_start: bool
    at_end: bool


def parse_shapes(raw: Any) -> tuple[Shape, ...]:
    """[problem.shapes]: KIND = {weight = W, terms = [...]}; ValueError naming the key."""
    if not isinstance(raw, Mapping):
        raise ValueError("[problem.shapes] must be a table of shapes")
    shapes = []
    for name, body in raw.items():
        where = f"[problem.shapes.{name}]"
        if not isinstance(body, Mapping) or set(body) - {"weight", "terms", "unless", "calms"}:
            raise ValueError(f"{where} must be a table of weight, terms, unless and calms")
        weight = body.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise ValueError(f"{where} weight must be a number above 0")
        terms, unless = (_strings(body, key, where) for key in ("terms", "unless"))
        calms = body.get("calms", False)
        if not isinstance(calms, bool):
            raise ValueError(f"{where} calms must be true or false")
        shapes.append(Shape(name, float(weight), terms, unless, calms))
    return tuple(shapes)


def _strings(body: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    found = body.get(key, [])
    if not isinstance(found, list) or not all(isinstance(t, str) and t.strip() for t in found):
        raise ValueError(f"{where} {key} must be a list of non-empty strings")
    return tuple(found)


class ShapeIndex:
    """Finds a taxonomy's shapes in normalised texts; build once, then :meth:`find` freely."""

    def __init__(self, shapes: tuple[Shape, ...], normalizer: Normalizer) -> None:
        self._shapes = shapes
        self._terms: list[_Term] = []
        self._by_part: dict[str, list[int]] = defaultdict(list)
        self._automaton = ahocorasick.Automaton()
        for slot, shape in enumerate(shapes):
            for text in shape.terms:
                self._add(slot, text, False, normalizer)
            for text in shape.unless:
                self._add(slot, text, True, normalizer)
        if self._by_part:
            self._automaton.make_automaton()

    def _add(self, slot: int, text: str, undoes: bool, normalizer: Normalizer) -> None:
        body = text.strip()
        at_start, at_end = body.startswith("^"), body.endswith("$")
        parts = tuple(normalizer.normalize(p) for p in body.strip("^$").split(GAP))
        if not all(parts):
            return  # punctuation only: nothing a normalised message could contain
        index = len(self._terms)
        self._terms.append(_Term(slot, undoes, text, parts, at_start, at_end))
        for part in dict.fromkeys(parts):
            if part not in self._by_part:
                self._automaton.add_word(part, part)
            self._by_part[part].append(index)

    def find(self, normalized: str) -> Found:
        """The shapes in the text: their total weight, the terms that matched, one per shape
        (the first listed) as ``kind:term``, and whether one of them calms urgency."""
        if not self._by_part or not normalized:
            return Found()
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for end, part in self._automaton.iter(normalized):
            spans[part].append((end - len(part) + 1, end + 1))
        candidates = sorted({i for part in spans for i in self._by_part[part]})
        found: dict[int, str] = {}
        undone: set[int] = set()
        for i in candidates:
            term = self._terms[i]
            if term.shape in undone or (term.shape in found and not term.undoes):
                continue
            if _in_order(term, spans, len(normalized)):
                if term.undoes:
                    undone.add(term.shape)
                    found.pop(term.shape, None)
                else:
                    found[term.shape] = term.text
        slots = sorted(found)
        return Found(
            sum(self._shapes[slot].weight for slot in slots),
            tuple(f"{self._shapes[slot].name}:{found[slot]}" for slot in slots),
            any(self._shapes[slot].calms for slot in slots),
        )


def _in_order(term: _Term, spans: Mapping[str, list[tuple[int, int]]], size: int) -> bool:
    """Whether the term's parts occur one after another (earliest fit each), anchored as
    the term says."""
    position = 0
    last = len(term.parts) - 1
    for n, part in enumerate(term.parts):
        fits = [
            (start, end)
            for start, end in spans.get(part, ())
            if start >= position and (not term.at_start or n or start == 0)
        ]
        if term.at_end and n == last:
            fits = [span for span in fits if span[1] == size]
        if not fits:
            return False
        position = fits[0][1]
    return True
