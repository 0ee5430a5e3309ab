"""Invitation sheets to print and hand out: one page per member, with a QR code of their
personal link, their name and grids, and how to join (python-docx; QR codes by segno)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from bot.grids.invitations import Invitation
from bot.texts import DEFAULT, Texts, plain

LANG = DEFAULT  # a paper handed out by the street office
FONT = "宋体"
QR_CM = 9.0  # large enough to scan from a sheet on a table


def qr_png(link: str) -> bytes:
    import segno  # only invitation sheets pay for segno

    buffer = BytesIO()
    # Error correction Q: a folded or slightly soiled sheet still scans.
    segno.make(link, error="q", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def to_docx(invitations: list[Invitation], texts: Texts, expires: str) -> bytes:
    from docx import Document  # only invitation sheets pay for python-docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    def say(key: str, **values: object) -> str:
        return plain(texts.get(LANG, key, **values))

    document = Document()
    _chinese_font(document)
    for index, invitation in enumerate(invitations):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        member = invitation.member
        document.add_heading(say("sheet_title"), level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
        grids = "、".join(member.grid_codes) or say("all_grids")
        who = document.add_paragraph()
        who.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = who.add_run(say("sheet_member", name=member.name, grids=grids,
                              role=say(f"role_{member.role}")))  # fmt: skip
        run.font.size, run.bold = Pt(16), True
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(BytesIO(qr_png(invitation.link)), width=Cm(QR_CM))
        link = document.add_paragraph(invitation.link)
        link.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in say("sheet_steps", expires=expires).splitlines():
            document.add_paragraph(line).runs[0].font.size = Pt(13)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chinese_font(document: Any) -> None:
    """Body and title in a Chinese font: Word's default has no CJK glyphs set."""
    from docx.oxml.ns import qn

    for name in ("Normal", "Title"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), FONT)
        for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
