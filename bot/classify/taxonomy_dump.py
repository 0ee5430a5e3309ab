"""Writing a taxonomy back as TOML (``gridbot learn --out``): what load_taxonomy reads back
to an equal Taxonomy."""

from __future__ import annotations

from typing import Any

import tomli_w

from bot.classify.taxonomy import Category, Danger, Taxonomy


def dump(tax: Taxonomy, comment: str = "") -> str:
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
            "shapes": {
                s.name: {
                    "weight": s.weight,
                    "terms": list(s.terms),
                    "unless": list(s.unless),
                    "calms": s.calms,
                }
                for s in tax.shapes
            },
        },
        "urgent": {
            "threshold": tax.urgent_threshold,
            "keywords": dict(tax.urgent_keywords),
            "hedges": dict(tax.urgent_hedges),
            "advice": tax.urgent_advice,
            "dangers": {d.name: _danger_plain(d) for d in tax.dangers},
            "lead": tax.urgent_lead,
            "lead_clip": tax.urgent_clip,
        },
        "confusable": dict(tax.confusable),
    }
    if tax.opinion_weight or tax.examples or tax.problem_weight or tax.urgent_examples:
        out["second_opinion"] = {
            "weight": tax.opinion_weight,
            "problem_weight": tax.problem_weight,
            "problem_clip": tax.problem_clip,
            "examples": [list(pair) for pair in tax.examples],
            "urgent_examples": list(tax.urgent_examples),
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
