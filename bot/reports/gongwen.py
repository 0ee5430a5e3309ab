"""A Word page laid out as Chinese offices lay out papers (GB/T 9704 公文 conventions).

A4 with the usual margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the title in
方正小标宋简体 二号, level-one headings in 黑体 and level-two in 楷体, the body in 仿宋 三号
(16 pt) at a fixed 28 pt line, first lines indented two characters; page numbers "— 1 —"
at the foot. Only black text and our own styles: none of Word's blue headings, bullets or
theme fonts. The office fonts are not on every Windows, so the font table names for each the
one a Chinese Windows has (w:altName), which Word uses in its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.reports.cells import xml_safe

LATIN = "Times New Roman"
LINE = 28  # pt, fixed: 22 lines on a page of this size, as the standard asks


@dataclass(frozen=True)
class Look:
    font: str  # the East-Asian font named in the document
    size: float  # pt
    centre: bool = False
    indent: bool = False  # two characters on the first line
    bold: bool = False
    before: float = 0  # pt of space above


FALLBACKS = {  # the office font → the font a Chinese Windows has
    "方正小标宋简体": "华文中宋",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
}
LOOKS = {
    "GW Masthead": Look("方正小标宋简体", 26, centre=True, before=12),
    "GW Title": Look("方正小标宋简体", 22, centre=True, before=16),
    "GW Heading 1": Look("黑体", 16, indent=True),
    "GW Heading 2": Look("楷体_GB2312", 16, indent=True),
    "GW Body": Look("仿宋_GB2312", 16, indent=True),
    "GW Centred": Look("仿宋_GB2312", 16, centre=True),
    "GW Meta": Look("仿宋_GB2312", 14, centre=True),
    "GW Table": Look("仿宋_GB2312", 12, centre=True),
}


def new_document() -> Any:
    """An empty A4 document with the 公文 styles defined and page numbers at the foot."""
    from docx import Document  # only reports pay for python-docx
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _no_theme_fonts(document)
    for name, look in LOOKS.items():
        _style(document, name, look)
    _page_numbers(section)
    _font_table(document)
    return document


def fonts(element: Any, east_asian: str) -> None:
    """Name the fonts of a run or style: the Chinese one, and a Latin one for digits."""
    _name(element.get_or_add_rPr().get_or_add_rFonts(), east_asian)


def _name(rfonts: Any, east_asian: str) -> None:
    from docx.oxml.ns import qn

    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the one named
    rfonts.set(qn("w:eastAsia"), east_asian)
    for latin in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(latin), LATIN)


def _style(document: Any, name: str, look: Look) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = None
    style.font.size = Pt(look.size)
    style.font.bold = look.bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts(style.element, look.font)
    layout = style.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.CENTER if look.centre else WD_ALIGN_PARAGRAPH.JUSTIFY
    exact = look.size <= 16
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY if exact else WD_LINE_SPACING.SINGLE
    if exact:
        layout.line_spacing = Pt(LINE if look.size >= 14 else look.size * 1.5)
    layout.first_line_indent = Pt(2 * look.size) if look.indent else None
    layout.space_before, layout.space_after = Pt(look.before), Pt(look.before / 2)


def _no_theme_fonts(document: Any) -> None:
    """The template's defaults point at theme fonts (Calibri, 等线): name ours instead."""
    from docx.oxml.ns import qn

    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        if rfonts.getparent().getparent().tag == qn("w:rPrDefault"):
            _name(rfonts, "仿宋_GB2312")
    fonts(document.styles["Normal"].element, "仿宋_GB2312")


def _page_numbers(section: Any) -> None:
    """— 1 — centred at the foot, in 宋体 四号 (14 pt), as the standard shows them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = "1"
    number.append(shown)
    field.append(number)
    dash = paragraph.add_run("— ")
    paragraph._p.append(field)
    tail = paragraph.add_run(" —")
    for run in (dash, tail):
        run.font.size = Pt(14)
        fonts(run._r, "宋体")


def _font_table(document: Any) -> None:
    """Declare each office font with the Windows font Word should use when it is missing."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternative)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def add(document: Any, style: str, text: str = "") -> Any:
    """A paragraph of one of the styles above; characters XML cannot hold are dropped."""
    return document.add_paragraph(xml_safe(text), style=style)


def rule_below(paragraph: Any) -> None:
    """The line under the masthead that parts it from the text (black, not red: a draft)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"),
                       ("w:color", "000000")):  # fmt: skip
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def add_table(document: Any, header: list[str], rows: list[list[str]], widths: list[float]) -> Any:
    """A bordered table (Word's plain Table Grid) in the table style, header in bold;
    `widths` in millimetres."""
    from docx.shared import Mm

    table = document.add_table(rows=1 + len(rows), cols=len(header), style="Table Grid")
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        for each in column.cells:
            each.width = Mm(width)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            paragraph = table.cell(r, c).paragraphs[0]
            paragraph.style = document.styles["GW Table"]
            run = paragraph.add_run(xml_safe(value))
            run.bold = r == 0
    return table
