"""社情民意 drafts as documents: Word laid out as a 公文 (bot/reports/gongwen.py), Markdown, or
PDF through LibreOffice when it is installed (bot/reports/pdf.py).

Both are built from the same blocks so they say the same; all wording comes from
bot/texts.py, in Simplified Chinese (reports go to the county). The body names places and
communities, never codes; the issue numbers are only in the appendix table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from bot import timefmt
from bot.reports import gongwen
from bot.reports.cells import xml_safe
from bot.reports.sqmy import Report, Step, Topic
from bot.texts import DEFAULT, Texts, plain

LANG = DEFAULT  # a paper for the county office
SELF_TOLD = ("consult",)  # notes that already say what was done: 列入微协商“…”
BLANK = "＿＿＿＿"
TABLE_WIDTHS = [14.0, 56.0, 30.0, 38.0, 18.0]  # mm, of the 156 between the margins
ENDS = "。！？；…”"


@dataclass(frozen=True)
class Masthead:
    """Who sends the paper, and its number (期号); empty ones are left for the office."""

    issue_no: str = ""
    unit: str = ""
    author: str = ""


@dataclass(frozen=True)
class Block:
    kind: str  # masthead, centred, meta, title, heading, subheading, text, page, table
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def issue_number(texts: Texts, masthead: Masthead, end: date) -> str:
    """第12期 as given (a bare number gets 第…期), or the month covered: 2026年第11期."""
    given = masthead.issue_no.strip()
    if not given:
        return texts.get(LANG, "sqmy_issue_auto", year=end.year, month=end.month)
    return given if "期" in given else texts.get(LANG, "sqmy_issue_no", n=given)


def blocks(report: Report, texts: Texts, zone: Any, masthead: Masthead) -> list[Block]:
    """The whole document, top to bottom."""

    def say(key: str, **values: object) -> str:
        return xml_safe(plain(texts.get(LANG, key, **values)))

    scope = say("sqmy_scope", scope=report.scope) if report.scope else ""
    made = timefmt.day(report.made_at.astimezone(zone).date())
    out = [
        Block("masthead", say("sqmy_masthead")),
        Block("centred", issue_number(texts, masthead, report.end)),
        Block("meta", say("sqmy_meta", unit=masthead.unit or BLANK,
                          author=masthead.author or BLANK, date=made)),
        Block("text", say("sqmy_note", start=timefmt.day(report.start),
                          end=timefmt.day(report.end), scope=scope, count=len(report.topics))),
    ]  # fmt: skip
    for index, topic in enumerate(report.topics):
        if index:
            out.append(Block("page"))
        out.extend(_topic(say, report, topic, zone))
    out.extend(_appendix(say, report))
    return out


def _facts(say: Any, report: Report, topic: Topic, zone: Any) -> str:
    first, last = (moment.astimezone(zone).date() for moment in (topic.first, topic.last))
    if first == last:
        when = say("sqmy_when_same", day=timefmt.day(first))
    else:
        when = say("sqmy_when_span", first=timefmt.day(first), last=timefmt.day(last))
    grids = "、".join(g for g in topic.grids if g != topic.community)
    place = say("sqmy_place_grids", community=topic.community, grids=grids) if grids else (
        topic.community)  # fmt: skip
    support = say("sqmy_support", supporters=topic.supporters) if topic.supporters else ""
    return say(
        "sqmy_facts", start=timefmt.day(report.start), end=timefmt.day(report.end), place=place,
        subject=topic.subject, count=topic.count, support=support, when=when,
    )  # fmt: skip


def _step(say: Any, step: Step, zone: Any) -> str:
    local = step.at.astimezone(zone)
    at = say("sqmy_step_day", month=local.month, day=local.day)
    note = step.note if step.note.endswith(tuple(ENDS)) else step.note + "。"
    if step.action in SELF_TOLD:
        return say("sqmy_step_self", at=at, note=note)
    return say("sqmy_step", at=at, action=say(f"action_{step.action}"), note=note)


def _topic(say: Any, report: Report, topic: Topic, zone: Any) -> list[Block]:
    items = "、".join(say("sqmy_status_item", label=k, count=n) for k, n in topic.statuses)
    steps = [Block("text", _step(say, step, zone)) for step in topic.steps]
    return [
        Block("title", say("sqmy_topic_title", community=topic.community,
                           subject=topic.subject)),
        Block("heading", say("sqmy_facts_head")),
        Block("text", _facts(say, report, topic, zone)),
        Block("heading", say("sqmy_words_head")),
        *(Block("text", say("sqmy_quote", text=quote)) for quote in topic.quotes),
        Block("heading", say("sqmy_done_head")),
        Block("subheading", say("sqmy_progress_head")),
        Block("text", say("sqmy_statuses", items=items)),
        Block("subheading", say("sqmy_steps_head")),
        *(steps or [Block("text", say("sqmy_no_steps"))]),
        Block("heading", say("sqmy_advice_head")),  # left for the member to write under
    ]  # fmt: skip


def _appendix(say: Any, report: Report) -> list[Block]:
    """The numbers behind each topic, for the office's own tracing (not for the reader)."""
    header = tuple(say("sqmy_table_header").split("|"))
    rows = tuple(
        (str(index), say("sqmy_topic_short", community=t.community, subject=t.subject),
         "、".join(t.codes), " ".join(f"#{n}" for n in t.numbers), str(t.count))
        for index, t in enumerate(report.topics, start=1)
    )  # fmt: skip
    return [
        Block("page"),
        Block("heading", say("sqmy_appendix_head")),
        Block("title", say("sqmy_appendix_title")),
        Block("table", rows=(header, *rows)),
    ]


def to_markdown(report: Report, texts: Texts, zone: Any, masthead: Masthead) -> str:
    marks = {"masthead": "# ", "title": "## ", "heading": "### ", "subheading": "#### "}
    lines: list[str] = []
    for block in blocks(report, texts, zone, masthead):
        if block.kind == "page":
            lines.append("---")
        elif block.kind == "table":
            header, *rows = block.rows
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + " --- |" * len(header))
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
        else:
            lines.append(marks.get(block.kind, "") + block.text)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


STYLES = {
    "masthead": "GW Masthead", "centred": "GW Centred", "meta": "GW Meta",
    "title": "GW Title", "heading": "GW Heading 1", "subheading": "GW Heading 2",
    "text": "GW Body",
}  # fmt: skip


def to_docx(report: Report, texts: Texts, zone: Any, masthead: Masthead) -> bytes:
    """The Word document, as bytes (written to a file, or sent as a Telegram document)."""
    document = gongwen.new_document()
    new_page = False
    for block in blocks(report, texts, zone, masthead):
        if block.kind == "page":
            new_page = True  # on the next paragraph: a break of its own could leave a blank page
        elif block.kind == "table":
            header, *rows = block.rows
            gongwen.add_table(document, list(header), [list(row) for row in rows], TABLE_WIDTHS)
        else:
            paragraph = gongwen.add(document, STYLES[block.kind], block.text)
            paragraph.paragraph_format.page_break_before = new_page or None
            new_page = False
            if block.kind == "meta":
                gongwen.rule_below(paragraph)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nothing(report: Report, texts: Texts, settings: Any) -> str:
    """The one line said when no topic recurs (nothing is written)."""
    return texts.get(
        LANG, "sqmy_none", start=timefmt.day(report.start), end=timefmt.day(report.end),
        issues=settings.topic_issues, supporters=settings.topic_supporters,
    )  # fmt: skip


def write(
    report: Report, texts: Texts, zone: Any, out: Path, fmt: str, masthead: Masthead
) -> None:
    if fmt == "md":
        out.write_text(to_markdown(report, texts, zone, masthead), encoding="utf-8")
        return
    content = to_docx(report, texts, zone, masthead)
    if fmt == "pdf":
        from bot.reports.pdf import to_pdf

        content = to_pdf(content, "docx")
    out.write_bytes(content)
