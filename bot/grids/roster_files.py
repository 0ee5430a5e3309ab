"""Reading roster files as offices make them: CSV in any common encoding, workbooks with
titles, merged cells and blank rows above the header."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.grids.codes import normalise_label

# How far down a sheet the header row may sit (titles, notes, blank rows above it).
HEADER_SEARCH = 20
# Tried in order: Excel on Chinese Windows saves GBK, which GB18030 extends.
ENCODINGS = ("utf-8-sig", "gb18030")

GRID_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "网格编码", "网格编号", "网格代码", "编码", "编号"),
    "name": ("name", "网格名称", "网格名", "名称"),
    "community": ("community", "社区", "社区村", "村社区"),
    "street": ("street", "街道", "街道乡镇", "乡镇街道", "乡镇"),
    "district": ("district", "区县", "区", "县区", "区县市"),
    "chat_id": ("chat_id", "chatid", "群id", "群号", "群组id"),
}
MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名", "名字", "委员姓名"),
    "telegram_id": ("telegram_id", "telegramid", "tgid", "telegram", "电报id", "tg"),
    "role": ("role", "角色", "身份", "职务"),
    "sector": ("sector", "界别"),
    "expertise": ("expertise", "专长", "特长", "擅长领域"),
    "grids": ("grids", "grid", "网格", "网格编码", "网格编号", "所属网格", "负责网格"),
    "phone": ("phone", "手机", "手机号", "手机号码", "电话", "联系电话"),
    "status": ("status", "状态", "在职状态"),
}
PERSON_NAMES = {"姓名", "名字", "委员姓名"}
# What makes a row the header of each table: the columns that must be there.
REQUIRED = {"grids": ("code", "name"), "members": ("name",)}
# A members table must also have one of these, or a grids table with 名称 would pass.
MEMBER_MARKERS = ("telegram_id", "role", "grids", "expertise", "sector", "phone")


class RosterError(Exception):
    """The file cannot be read at all (missing, unknown format, no header row found)."""


@dataclass(frozen=True)
class Table:
    file: str
    sheet: str | None
    kind: str  # "grids" or "members"
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]  # (row number in the file or sheet, cells)

    def where(self, row: int) -> str:
        """文件 X[ 工作表 Y] 第 N 行: where a message points."""
        sheet = f" 工作表「{self.sheet}」" if self.sheet else ""
        return f"{self.file}{sheet} 第 {row} 行"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_tables(path: Path) -> Iterator[Table]:
    """Each table in the file: one for a CSV, one per sheet with a header row for an XLSX."""
    if not path.is_file():
        raise RosterError(f"{path}：找不到文件 (file not found)")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_tables(path)
    elif suffix in (".csv", ".txt"):
        yield _found(str(path), None, _csv_lines(path))
    else:
        raise RosterError(f"{path}：不是 .csv 或 .xlsx 文件 (not a .csv or .xlsx file)")


def _csv_lines(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    raise RosterError(
        f"{path}：无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV (unknown text encoding)"
    )


def _xlsx_tables(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook  # only roster imports pay for openpyxl

    try:
        # Not read-only: merged ranges are known only to a fully loaded sheet.
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise RosterError(f"{path}：无法读取该 XLSX 文件 (not a readable XLSX: {exc})") from None
    found = False
    for sheet in book.worksheets:
        lines = [[cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        if not any(any(line) for line in lines):
            continue
        _fill_merged(sheet, lines)
        yield _found(str(path), sheet.title, lines)
        found = True
    if not found:
        raise RosterError(f"{path}：工作簿里没有内容 (the workbook is empty)")


def _fill_merged(sheet: Any, lines: list[list[str]]) -> None:
    """A merged range's value belongs to every cell it covers (a grid code merged downwards
    over several members' rows). Ranges above the header only repeat the title: harmless."""
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(lines) or left >= len(lines[top]):
            continue
        value = lines[top][left]
        for row in range(top, min(merged.max_row, len(lines))):
            for col in range(left, min(merged.max_col, len(lines[row]))):
                lines[row][col] = value


def _found(file: str, sheet: str | None, lines: list[list[str]]) -> Table:
    """The table whose header row is the first, among the top rows, that names our columns."""
    for index, line in enumerate(lines[:HEADER_SEARCH]):
        for kind in ("grids", "members"):
            columns = header_columns(line, kind)
            if columns is not None:
                rows = [
                    (number, cells)
                    for number, cells in enumerate(lines[index + 1 :], start=index + 2)
                    if any(cells)
                ]
                return Table(file, sheet, kind, columns, rows)
    where = f"{file}" + (f" 工作表「{sheet}」" if sheet else "")
    raise RosterError(
        f"{where}：前 {HEADER_SEARCH} 行里没有找到表头。网格表需要「网格编码、网格名称」列，"
        "委员表需要「姓名」和「TelegramID/角色/网格」等列 "
        "(no header row: grids need code,name; members need name,telegram_id,role,grids)"
    )


def header_columns(header: list[str], kind: str) -> dict[str, int] | None:
    """Our column names → positions in this row, or None when it is not that table's header."""
    names = GRID_COLUMNS if kind == "grids" else MEMBER_COLUMNS
    labels = [normalise_label(h) for h in header]
    found: dict[str, int] = {}
    for key, variants in names.items():
        for position, label in enumerate(labels):
            if label and label in variants and key not in found and position not in found.values():
                found[key] = position
    if not all(key in found for key in REQUIRED[kind]):
        return None
    if kind == "grids" and set(labels) & PERSON_NAMES:
        return None  # 网格编码 beside 姓名: a members table whose grid column is named so
    if kind == "members" and not any(key in found for key in MEMBER_MARKERS):
        return None
    return found
