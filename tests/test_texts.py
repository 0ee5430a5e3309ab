"""All user-facing text lives in bot/texts.py, in Simplified and Traditional, key for key."""

from __future__ import annotations

import string

from bot.texts import VARIANTS, ZH_HANS, Html, Texts, traditional


def test_every_variant_has_every_key() -> None:
    for name, variant in VARIANTS.items():
        assert variant.keys() == ZH_HANS.keys(), name


def test_traditional_is_the_reviewed_rendering_of_simplified() -> None:
    assert VARIANTS["zh-Hant"] == traditional(ZH_HANS), "run `python -m bot.texts`"


def test_placeholders_match_across_variants() -> None:
    fields = string.Formatter()
    for key, text in ZH_HANS.items():
        names = {f for _, f, _, _ in fields.parse(text) if f}
        assert names == {f for _, f, _, _ in fields.parse(VARIANTS["zh-Hant"][key]) if f}, key


def test_values_are_escaped_unless_marked_html() -> None:
    texts = Texts()
    text = texts.get("zh-Hans", "summary", n=1, label="x", category="<b>", member="&", text="<")
    assert "&lt;b&gt;" in text and "&amp;" in text
    linked = texts.get("zh-Hans", "nobody")
    assert linked == "待分派"
    html = texts.get("zh-Hans", "usage", usage=Html("<b>x</b>"))
    assert "<b>x</b>" in html


def test_traditional_grid_gets_traditional_names() -> None:
    texts = Texts()
    assert texts.name("zh-Hant", "市政设施") == "市政設施"
    assert texts.status("zh-Hant", "taken") == "已認領"
    assert texts.status("zh-Hans", "taken") == "已认领"
