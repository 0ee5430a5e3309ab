"""Roster files (CSV or XLSX): grids and members, told apart by their headers.

Every message names the file, the sheet and the row, says what was expected, and is in
Chinese with the English after it. A bad row is left out; the good rows are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.grids.codes import normalise_code, normalise_label
from bot.grids.roster_files import RosterError, Table, read_tables
from storage.roster_records import RosterGrid, RosterMember
from storage.store import Store

__all__ = ["ImportReport", "RosterError", "import_roster", "parse_members", "split_values"]

ROLES = {"member": "member", "委员": "member", "网格员": "member", "coordinator": "coordinator",
         "召集人": "coordinator"}  # fmt: skip
LEFT = {"离任", "停用", "离职", "退出", "inactive", "left", "否", "0"}
SERVING = {"", "在任", "在职", "正常", "启用", "active", "是", "1"}
# Telegram user ids fit in 52 bits; anything longer is a typo (or a phone number).
MAX_TELEGRAM_ID = 2**52
_SPLIT = re.compile(r"[;；、,，]")
_CHAT_ID = re.compile(r"-?\d{1,19}")


@dataclass
class ImportReport:
    grids_new: int = 0
    grids_updated: int = 0
    members_new: int = 0
    members_updated: int = 0
    members_left: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_ids: tuple[int, ...] = ()


def split_values(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _get(cells: list[str], table: Table, key: str) -> str:
    index = table.columns.get(key)
    return cells[index].strip() if index is not None and index < len(cells) else ""


async def import_roster(store: Store, paths: list[Path], replace: bool = False) -> ImportReport:
    """Grids first (members refer to them), then members; with `replace` the files are the
    whole roster and members they do not name become inactive."""
    report = ImportReport()
    tables = [table for path in paths for table in read_tables(path)]
    grid_rows = _parse_grids([t for t in tables if t.kind == "grids"], report)
    if grid_rows:
        report.grids_new, report.grids_updated = await store.enrolment.save_grids(grid_rows)
    known = {grid.code for grid in await store.grids.all()}
    entries = parse_members([t for t in tables if t.kind == "members"], known, report)
    if replace and not entries:
        raise RosterError("--replace 需要至少一张委员表 (--replace needs a members table)")
    if entries or replace:
        changes = await store.enrolment.save_members(entries, replace)
        report.members_new, report.members_updated = changes.new, changes.updated
        report.members_left = len(changes.left) + changes.pending_left
        report.left_ids = changes.left
    return report


def _parse_grids(tables: list[Table], report: ImportReport) -> list[RosterGrid]:
    found: dict[str, RosterGrid] = {}
    for table in tables:
        for number, cells in table.rows:
            code = normalise_code(_get(cells, table, "code"))
            name, chat = _get(cells, table, "name"), _get(cells, table, "chat_id")
            problem = _grid_problem(code, name, chat)
            if problem:
                report.errors.append(f"{table.where(number)}：{problem}")
                continue
            if code in found:
                report.warnings.append(
                    f"{table.where(number)}：网格 {code} 重复，以此行为准 "
                    f"(grid {code} repeated; this row counts)"
                )
            found[code] = RosterGrid(
                code, name, _get(cells, table, "community"), _get(cells, table, "street"),
                _get(cells, table, "district"), int(chat) if chat else None,
            )  # fmt: skip
    return list(found.values())


def _grid_problem(code: str, name: str, chat: str) -> str | None:
    if not code:
        return "缺少网格编码 (missing grid code)"
    if not name:
        return f"网格 {code} 缺少网格名称 (grid {code} has no name)"
    if chat and not _CHAT_ID.fullmatch(chat):
        return f"群ID「{chat}」应为数字，如 -1001234567890 (chat_id {chat!r} is not a number)"
    return None


@dataclass
class _Draft:
    """One member as the rows so far say; later rows of the same member add to it."""

    where: str
    entry: RosterMember


def parse_members(
    tables: list[Table], known_grids: set[str], report: ImportReport
) -> list[RosterMember]:
    """Members by Telegram id, else by name; repeated rows merged with a warning line."""
    drafts: dict[tuple[str, str], _Draft] = {}
    ids_by_name: dict[str, set[int]] = {}
    for table in tables:
        for number, cells in table.rows:
            entry = _member(table, number, cells, known_grids, report)
            if entry is None:
                continue
            if entry.telegram_id is not None:
                ids_by_name.setdefault(entry.name, set()).add(entry.telegram_id)
            _merge(drafts, entry, table.where(number), report)
    _fold_unnamed_ids(drafts, ids_by_name, report)
    return [draft.entry for draft in drafts.values()]


def _key(entry: RosterMember) -> tuple[str, str]:
    if entry.telegram_id is not None:
        return ("id", str(entry.telegram_id))
    return ("name", entry.name)


def _merge(
    drafts: dict[tuple[str, str], _Draft], entry: RosterMember, where: str, report: ImportReport
) -> None:
    key = _key(entry)
    first = drafts.get(key)
    if first is None:
        drafts[key] = _Draft(where, entry)
        return
    first.entry = _united(first.entry, entry)
    report.warnings.append(
        f"{where}：与 {first.where} 是同一委员「{entry.name}」，网格和专长已合并 "
        f"(same member as an earlier row: grids and expertise merged)"
    )


def _fold_unnamed_ids(
    drafts: dict[tuple[str, str], _Draft], ids_by_name: dict[str, set[int]], report: ImportReport
) -> None:
    """A row without an id joins the one row of that name that has one."""
    for key in [k for k in drafts if k[0] == "name"]:
        ids = ids_by_name.get(key[1], set())
        if len(ids) == 1:
            draft = drafts.pop(key)
            _merge(drafts, draft.entry, draft.where, report)
            target = drafts[("id", str(next(iter(ids))))]
            target.entry = _with_id(target.entry, next(iter(ids)))


def _with_id(entry: RosterMember, telegram_id: int) -> RosterMember:
    return RosterMember(
        entry.name, telegram_id, entry.role, entry.sector, entry.expertise, entry.grid_codes,
        entry.active,
    )  # fmt: skip


def _united(a: RosterMember, b: RosterMember) -> RosterMember:
    return RosterMember(
        name=a.name, telegram_id=a.telegram_id if a.telegram_id is not None else b.telegram_id,
        role="coordinator" if "coordinator" in (a.role, b.role) else a.role,
        sector=a.sector or b.sector,
        expertise=tuple(dict.fromkeys((*a.expertise, *b.expertise))),
        grid_codes=tuple(dict.fromkeys((*a.grid_codes, *b.grid_codes))),
        active=a.active or b.active,
    )  # fmt: skip


def _member(
    table: Table, number: int, cells: list[str], known: set[str], report: ImportReport
) -> RosterMember | None:
    name = " ".join(_get(cells, table, "name").split())
    raw_role = _get(cells, table, "role")
    role = ROLES.get(normalise_label(raw_role) or "member", ROLES.get(raw_role.strip()))
    grids = [normalise_code(code) for code in split_values(_get(cells, table, "grids"))]
    status = normalise_label(_get(cells, table, "status"))
    telegram_id, problem = parse_telegram_id(_get(cells, table, "telegram_id"))
    problem = problem or _member_problem(name, role, status, [g for g in grids if g not in known])
    if problem:
        who = f"「{name}」" if name else ""
        report.errors.append(f"{table.where(number)}：{who}{problem}")
        return None
    assert role is not None
    return RosterMember(
        name=name, telegram_id=telegram_id, role=role, sector=_get(cells, table, "sector"),
        expertise=tuple(split_values(_get(cells, table, "expertise"))),
        grid_codes=tuple(dict.fromkeys(grids)), active=status not in LEFT,
    )  # fmt: skip


def parse_telegram_id(raw: str) -> tuple[int | None, str | None]:
    """(the id or None when empty, the problem or None); never raises, whatever the cell."""
    text = raw.strip().lstrip("'").replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return None, None
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):
        return None, (
            f"TelegramID「{raw}」被 Excel 显示成了科学计数法，请把该列设为文本后重新填写 "
            "(TelegramID in scientific notation: format the column as text)"
        )
    if not text.isdigit() or not text.isascii():
        return None, (
            f"TelegramID「{raw}」应为纯数字，或留空待邀请加入 "
            f"(telegram_id {raw!r} is not a number; leave it empty to invite)"
        )
    if len(text) > 16 or int(text) >= MAX_TELEGRAM_ID or int(text) == 0:
        return None, (
            f"TelegramID「{raw}」不是有效的 Telegram 用户编号（过长或为 0；"
            f"是否填成了手机号？）(telegram_id {raw!r} is out of range)"
        )
    return int(text), None


def _member_problem(name: str, role: str | None, status: str, unknown: list[str]) -> str | None:
    if not name:
        return "缺少姓名 (missing name)"
    if role is None:
        return "角色应为「委员」或「召集人」(role must be member/委员 or coordinator/召集人)"
    if status not in LEFT and status not in SERVING:
        return (
            f"状态「{status}」应为空、在任，或离任/停用 (status must be empty, 在任, or 离任/停用)"
        )
    if unknown:
        return (
            f"网格 {'、'.join(unknown)} 不在网格表中，请先导入网格 "
            f"(unknown grid {', '.join(unknown)})"
        )
    return None
