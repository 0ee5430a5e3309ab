"""社情民意 drafts as documents: Word (python-docx), readable as opened, or Markdown.

Both are built from the same blocks (a heading, a paragraph, a list item) so they say the
same; all wording comes from bot/texts.py, in Simplified Chinese (reports go to the county).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from bot import timefmt
from bot.reports.sqmy import Report, Topic
from bot.texts import DEFAULT, Texts, plain

LANG = DEFAULT  # a paper for the county office
FONT = "宋体"  # what a Chinese Word opens documents in; a Latin fallback covers digits


@dataclass(frozen=True)
class Block:
    kind: str  # title, heading, subheading, text, item, blank, page
    text: str = ""


def blocks(report: Report, texts: Texts, zone: Any) -> list[Block]:
    """The whole document, top to bottom."""

    def say(key: str, **values: object) -> str:
        return plain(texts.get(LANG, key, **values))

    scope = say("sqmy_scope", scope=report.scope) if report.scope else ""
    out = [
        Block("title", say("sqmy_doc_title")),
        Block("text", say("sqmy_doc_intro", start=timefmt.day(report.start),
                          end=timefmt.day(report.end), scope=scope, count=len(report.topics),
                          made=timefmt.short(report.made_at, zone))),
    ]  # fmt: skip
    for index, topic in enumerate(report.topics):
        if index:
            out.append(Block("page"))
        out.extend(_topic(say, report, topic, zone))
    return out


def _topic(say: Any, report: Report, topic: Topic, zone: Any) -> list[Block]:
    def day(moment: Any) -> str:
        return timefmt.day(moment.astimezone(zone).date())

    facts = say(
        "sqmy_facts", start=timefmt.day(report.start), end=timefmt.day(report.end),
        community=topic.community, grids="、".join(topic.grids), category=topic.category,
        count=topic.count, numbers=" ".join(f"#{n}" for n in topic.numbers),
        supporters=topic.supporters, first=day(topic.first), last=day(topic.last),
    )  # fmt: skip
    items = "、".join(say("sqmy_status_item", label=k, count=n) for k, n in topic.statuses)
    steps = [
        Block("item", say("sqmy_step", n=s.number, at=day(s.at),
                          action=say(f"action_{s.action}"), note=s.note))
        for s in topic.steps
    ]  # fmt: skip
    return [
        Block("heading", say("sqmy_topic_title", community=topic.community,
                             category=topic.category)),
        Block("subheading", say("sqmy_facts_head")),
        Block("text", facts),
        Block("subheading", say("sqmy_words_head")),
        *(Block("item", say("sqmy_quote", text=quote)) for quote in topic.quotes),
        Block("subheading", say("sqmy_done_head")),
        Block("text", say("sqmy_statuses", items=items)),
        *(steps or [Block("text", say("sqmy_no_steps"))]),
        Block("subheading", say("sqmy_advice_head")),
        Block("blank"),
    ]  # fmt: skip


def to_markdown(report: Report, texts: Texts, zone: Any) -> str:
    marks = {"title": "# ", "heading": "## ", "subheading": "### ", "item": "- "}
    lines: list[str] = []
    for block in blocks(report, texts, zone):
        if block.kind == "page":
            lines.append("---")
        elif block.kind == "blank":
            lines.append("")
        else:
            lines.append(marks.get(block.kind, "") + block.text)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(report: Report, texts: Texts, zone: Any) -> bytes:
    """The Word document, as bytes (written to a file, or sent as a Telegram document)."""
    from docx import Document  # only reports pay for python-docx
    from docx.enum.text import WD_BREAK

    document = Document()
    _chinese_font(document)
    for block in blocks(report, texts, zone):
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "subheading":
            document.add_heading(block.text, level=2)
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            document.add_paragraph(block.text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chinese_font(document: Any) -> None:
    """Body and headings in a Chinese font: Word's default has no CJK glyphs set."""
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), FONT)
        for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the one set


def nothing(report: Report, texts: Texts, settings: Any) -> str:
    """The one line said when no topic recurs (nothing is written)."""
    return texts.get(
        LANG, "sqmy_none", start=timefmt.day(report.start), end=timefmt.day(report.end),
        issues=settings.topic_issues, supporters=settings.topic_supporters,
    )  # fmt: skip


def write(report: Report, texts: Texts, zone: Any, out: Path, fmt: str) -> None:
    if fmt == "md":
        out.write_text(to_markdown(report, texts, zone), encoding="utf-8")
    else:
        out.write_bytes(to_docx(report, texts, zone))
