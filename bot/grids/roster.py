"""Roster files (CSV or XLSX): grids and members, told apart by their headers."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storage.store import Store

GRID_COLUMNS = {
    "code": "网格编码", "name": "网格名称", "community": "社区", "street": "街道",
    "district": "区县", "chat_id": "群ID",
}  # fmt: skip
MEMBER_COLUMNS = {
    "name": "姓名", "telegram_id": "TelegramID", "role": "角色", "sector": "界别",
    "expertise": "专长", "grids": "网格",
}  # fmt: skip
ROLES = {"member": "member", "委员": "member", "网格员": "member", "coordinator": "coordinator",
         "召集人": "coordinator"}  # fmt: skip
_SPLIT = re.compile(r"[;；、,，]")


class RosterError(Exception):
    """The file cannot be read at all (missing, unknown format, unknown headers)."""


@dataclass
class ImportReport:
    grids_new: int = 0
    grids_updated: int = 0
    members_new: int = 0
    members_updated: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_tables(path: Path) -> Iterator[Table]:
    """Each table in the file: one for a CSV, one per non-empty sheet for an XLSX."""
    if not path.is_file():
        raise RosterError(f"{path}: file not found")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_tables(path)
    elif path.suffix.lower() == ".csv":
        yield _csv_table(path)
    else:
        raise RosterError(f"{path}: not a .csv or .xlsx file")


def _csv_table(path: Path) -> Table:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    if not lines:
        raise RosterError(f"{path}: empty file")
    rows = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(cells)]
    return Table(str(path), [_cell(c) for c in lines[0]], rows)


def _xlsx_tables(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook  # only roster imports pay for openpyxl

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise RosterError(f"{path}: not a readable XLSX file ({exc})") from None
    for sheet in book.worksheets:
        lines = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        if lines and any(lines[0]):
            rows = [(n, cells) for n, cells in enumerate(lines[1:], start=2) if any(cells)]
            yield Table(f"{path} [{sheet.title}]", lines[0], rows)


def _columns(header: list[str], names: dict[str, str]) -> dict[str, int] | None:
    """Map our column names to positions, accepting English or Chinese headers."""
    lowered = [h.strip().lower() for h in header]
    found = {}
    for key, chinese in names.items():
        for label in (key, chinese.lower()):
            if label in lowered:
                found[key] = lowered.index(label)
    return (
        found
        if {"code", "name"} <= found.keys() or {"name", "telegram_id"} <= found.keys()
        else None
    )


def split_values(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


async def import_roster(store: Store, paths: list[Path]) -> ImportReport:
    """Import grids first (members refer to them), then members; bad rows are reported."""
    report = ImportReport()
    tables = [table for path in paths for table in read_tables(path)]
    kinds = [(table, _kind(table)) for table in tables]
    for table, kind in kinds:
        if kind is None:
            raise RosterError(f"{table.source}: headers match neither grids nor members")
    for table, kind in kinds:
        if kind == "grids":
            await _import_grids(store, table, report)
    for table, kind in kinds:
        if kind == "members":
            await _import_members(store, table, report)
    return report


def _kind(table: Table) -> str | None:
    grid_cols = _columns(table.header, GRID_COLUMNS)
    if grid_cols and "code" in grid_cols:
        return "grids"
    member_cols = _columns(table.header, MEMBER_COLUMNS)
    if member_cols and "telegram_id" in member_cols:
        return "members"
    return None


def _get(cells: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return cells[index].strip() if index is not None and index < len(cells) else ""


async def _import_grids(store: Store, table: Table, report: ImportReport) -> None:
    columns = _columns(table.header, GRID_COLUMNS) or {}
    for number, cells in table.rows:
        code, name = _get(cells, columns, "code"), _get(cells, columns, "name")
        chat = _get(cells, columns, "chat_id")
        problem = _grid_problem(code, name, chat)
        if problem:
            report.errors.append(f"{table.source} row {number}: {problem}")
            continue
        new = await store.grids.save(
            code, name, _get(cells, columns, "community"), _get(cells, columns, "street"),
            _get(cells, columns, "district"), int(chat) if chat else None,
        )  # fmt: skip
        report.grids_new += new
        report.grids_updated += not new


def _grid_problem(code: str, name: str, chat: str) -> str | None:
    if not code:
        return "missing grid code"
    if not name:
        return f"grid {code} has no name"
    if chat and not re.fullmatch(r"-?\d{1,19}", chat):
        return f"chat_id {chat!r} is not a number"
    return None


async def _import_members(store: Store, table: Table, report: ImportReport) -> None:
    columns = _columns(table.header, MEMBER_COLUMNS) or {}
    known = {grid.code for grid in await store.grids.all()}
    for number, cells in table.rows:
        name, raw_id = _get(cells, columns, "name"), _get(cells, columns, "telegram_id")
        role = ROLES.get(_get(cells, columns, "role").lower() or "member")
        grids = split_values(_get(cells, columns, "grids"))
        problem = _member_problem(name, raw_id, role, [g for g in grids if g not in known])
        if problem:
            report.errors.append(f"{table.source} row {number}: {problem}")
            continue
        assert role is not None
        new = await store.members.save(
            int(raw_id), name, role, _get(cells, columns, "sector"),
            split_values(_get(cells, columns, "expertise")), grids,
        )  # fmt: skip
        report.members_new += new
        report.members_updated += not new


def _member_problem(name: str, raw_id: str, role: str | None, unknown: list[str]) -> str | None:
    if not name:
        return "missing name"
    if not re.fullmatch(r"\d{1,19}", raw_id):
        return f"telegram_id {raw_id!r} is not a number"
    if role is None:
        return "role must be member/委员 or coordinator/召集人"
    if unknown:
        return f"unknown grid {', '.join(unknown)}"
    return None
