"""Worksheets laid out to be printed and filed: a title and a period above a bordered table with
a frozen, filtered header, real date cells, wrapped text, and a page setup (A4 landscape, all
columns on one page wide, the header repeated on every page, page numbers in the footer).

openpyxl does the layout; every value goes through bot/reports/cells.py first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.reports.cells import cell, put

DATE_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
FOOTER = "第 &P 页，共 &N 页"
HEADER_ROW = 3  # under the title and the period line
FONT = "宋体"
LINE_HEIGHT = 13.5  # pt, one line of the 10 pt table text


@dataclass(frozen=True)
class Column:
    name: str
    width: float
    wrap: bool = False  # long text: wrapped, the row grows
    centre: bool = False


@dataclass(frozen=True)
class Heading:
    title: str  # 幸福里社区诉求台账
    period: str  # 统计时段：…　制表日期：…


def local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A time as a spreadsheet holds it: local wall time without an offset."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def fill(
    sheet: Any, heading: Heading, columns: Sequence[Column], rows: Sequence[list[Any]]
) -> None:
    """Write the title, the header and the rows, then lay the sheet out for printing."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(columns))
    sheet.append([cell(heading.title)])
    sheet.append([cell(heading.period)])
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet["A2"].font = Font(name=FONT, size=10)
    sheet.row_dimensions[1].height = 28
    sheet.append([column.name for column in columns])
    for values in rows:
        put(sheet, values)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, rows, index - 1)
        for (written,) in sheet.iter_rows(min_row=HEADER_ROW, min_col=index, max_col=index):
            written.border = border
            written.font = Font(name=FONT, size=10, bold=written.row == HEADER_ROW)
            written.alignment = Alignment(
                wrap_text=column.wrap or written.row == HEADER_ROW, vertical="center",
                horizontal="center" if column.centre or written.row == HEADER_ROW else None,
            )  # fmt: skip
            if written.row == HEADER_ROW:
                written.fill = header_fill
            elif isinstance(written.value, datetime):
                written.number_format = DATE_FORMAT
    _heights(sheet, columns)
    _print_setup(sheet, last)


def _heights(sheet: Any, columns: Sequence[Column]) -> None:
    """Rows as tall as their wrapped text: neither Excel nor LibreOffice grows them on open."""
    for cells in sheet.iter_rows(min_row=HEADER_ROW):
        lines = max(
            math.ceil(shown_width(written.value) / column.width)
            if column.wrap or written.row == HEADER_ROW else 1
            for written, column in zip(cells, columns, strict=False)
        )  # fmt: skip
        sheet.row_dimensions[cells[0].row].height = LINE_HEIGHT * max(lines, 1) + 4


def shown_width(value: Any) -> int:
    """Roughly how many character widths a value takes: a Chinese character two."""
    if isinstance(value, datetime):
        return 18
    text = str(value if value is not None else "")
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _width(column: Column, rows: Sequence[list[Any]], index: int) -> float:
    """Wide enough for the header and the longest value, up to the column's width."""
    if column.wrap:
        return column.width
    widest = max([shown_width(column.name), *(shown_width(row[index]) for row in rows)])
    return min(column.width, widest + 2)


def _print_setup(sheet: Any, last: str) -> None:
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(sheet.max_row, HEADER_ROW)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # Inches; the footer needs its own band below the table or LibreOffice clips it.
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.8
    sheet.page_margins.header, sheet.page_margins.footer = 0.3, 0.3
    sheet.oddFooter.center.text = FOOTER
    sheet.evenFooter.center.text = FOOTER
