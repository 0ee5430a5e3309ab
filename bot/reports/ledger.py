"""The issue ledger (台账) for coordinators' reports: CSV with the SPEC header, or an XLSX
workbook laid out to be printed and filed (bot/reports/sheets.py), one sheet per grid on
request, with the timeline of every issue on a second sheet."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import timefmt
from bot.deadlines import solve_deadline
from bot.lifecycle import label
from bot.reports.cells import row as cell_row
from bot.reports.sheets import Column, Heading, fill, local
from bot.texts import DEFAULT, ZH_HANS, Texts, plain
from bot.timefmt import start_of_day
from storage.records import Issue, IssueEvent
from storage.report_records import LedgerRow
from storage.statuses import Status
from storage.store import Store

LANG = DEFAULT  # a paper for the office
HEADER = [
    "id", "grid", "category", "status", "reporter", "assignee", "text", "created_at",
    "resolved_at", "rating", "supporters",
]  # fmt: skip
# Widths in Excel's character units, tight enough that A4 landscape prints at about 80%.
COLUMNS = [
    Column("编号", 6, centre=True), Column("网格", 12, wrap=True), Column("类别", 9, wrap=True),
    Column("状态", 8, wrap=True, centre=True), Column("反映人", 8, wrap=True),
    Column("承办人", 8, wrap=True), Column("内容", 30, wrap=True), Column("反映时间", 18),
    Column("响应时限", 18), Column("办结时限", 18), Column("解决时间", 18),
    Column("是否超期", 5, wrap=True, centre=True), Column("办结说明", 22, wrap=True),
    Column("评价", 7, wrap=True, centre=True), Column("附议人数", 5, wrap=True, centre=True),
]  # fmt: skip
EVENT_COLUMNS = [
    Column("编号", 6, centre=True), Column("网格", 14, wrap=True), Column("时间", 18),
    Column("操作人", 10, wrap=True), Column("操作", 10, wrap=True),
    Column("原状态", 10, centre=True), Column("新状态", 10, centre=True),
    Column("说明", 50, wrap=True),
]  # fmt: skip
CLOSING_ACTIONS = ("done", "reject")


@dataclass(frozen=True)
class Paper:
    """What the XLSX heading says: who made it, for which days, when."""

    unit: str = ""
    start: date | None = None
    end: date | None = None
    made_at: datetime | None = None
    by_grid: bool = False


def _iso(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""


def ledger_rows(rows: Sequence[LedgerRow], zone: ZoneInfo) -> list[list[str | int]]:
    """The CSV rows of SPEC §4, in its column order."""
    return [
        [
            row.issue.id, row.grid_code, row.issue.category, label(row.issue.status),
            row.issue.reporter_name, row.assignee_name, row.issue.text,
            _iso(row.issue.created_at, zone), _iso(row.issue.resolved_at, zone),
            row.issue.rating or "", row.supporters,
        ]
        for row in rows
    ]  # fmt: skip


async def export_ledger(
    store: Store, fmt: str, out: Path, zone: ZoneInfo, start: date | None, end: date | None,
    paper: Paper | None = None,
) -> int:  # fmt: skip
    """Write the ledger of issues created from `start` to `end` (inclusive); returns the count."""
    since = start_of_day(start, zone) if start else None
    until = start_of_day(end + timedelta(days=1), zone) if end else None
    found = await store.issues.ledger(since, until)
    if fmt == "csv":
        # With a BOM: Excel on a Chinese Windows reads a CSV without one as GBK.
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(cell_row(values) for values in ledger_rows(found, zone))
    else:
        events = await store.issues.events_between(since, until)
        paper = paper or Paper()
        paper = Paper(paper.unit, start, end, paper.made_at, paper.by_grid)
        out.write_bytes(workbook(found, events, zone, paper))
    return len(found)


def overdue(issue: Issue, now: datetime | None, zone: ZoneInfo) -> bool:
    """Past its limit: finished late, or still open past it when the ledger is made."""
    finished = issue.resolved_at or (issue.closed_at if issue.status == Status.CLOSED else None)
    if finished is not None:
        return bool(finished > issue.solve_by)
    if now is None or issue.status in (Status.REJECTED, Status.MERGED):
        return False
    if issue.status == Status.NEW and issue.respond_by < now:
        return True
    deadline = solve_deadline(issue, zone)
    return deadline is not None and deadline < now


def closing_notes(events: Sequence[IssueEvent]) -> dict[int, str]:
    """The last 办结 (or 不予受理) note of each issue: its 办结说明."""
    notes: dict[int, str] = {}
    for event in events:
        if event.action in CLOSING_ACTIONS and event.note.strip():
            notes[event.issue_id] = " ".join(event.note.split())
    return notes


def sheet_rows(
    rows: Sequence[LedgerRow], notes: dict[int, str], zone: ZoneInfo, now: datetime | None
) -> list[list[Any]]:
    return [
        [
            row.issue.id, _grid(row), row.issue.category, label(row.issue.status),
            row.issue.reporter_name, row.assignee_name, row.issue.text,
            local(row.issue.created_at, zone), local(row.issue.respond_by, zone),
            local(row.issue.solve_by, zone), local(row.issue.resolved_at, zone),
            "是" if overdue(row.issue, now, zone) else "否", notes.get(row.issue.id, ""),
            row.issue.rating or "", row.supporters,
        ]
        for row in rows
    ]  # fmt: skip


def _grid(row: LedgerRow) -> str:
    return row.grid_name or row.grid_code


def event_rows(
    events: Sequence[IssueEvent], grids: dict[int, str], zone: ZoneInfo
) -> list[list[Any]]:
    texts = Texts()

    def shown(status: str | None) -> str:
        return label(status) if status else ""

    def action(name: str) -> str:
        key = f"action_{name}"
        return texts.get(LANG, key) if key in ZH_HANS else name

    return [
        [e.issue_id, grids.get(e.issue_id, ""), local(e.at, zone), e.actor_name,
         action(e.action), shown(e.from_status), shown(e.to_status), e.note]
        for e in events
    ]  # fmt: skip


def heading(texts: Texts, paper: Paper, rows: Sequence[LedgerRow], key: str, zone: ZoneInfo,
            grid: str = "") -> Heading:  # fmt: skip
    """The title and the period line above a sheet."""
    days = sorted(row.issue.created_at.astimezone(zone).date() for row in rows)
    first = paper.start or (days[0] if days else None)
    last = paper.end or (days[-1] if days else None)
    if first and last:
        period = texts.get(LANG, "ledger_period", start=timefmt.day(first), end=timefmt.day(last))
    else:
        period = texts.get(LANG, "ledger_period_all")
    title = texts.get(LANG, key, unit=paper.unit, grid=grid)
    line = texts.get(LANG, "ledger_heading_line", period=period, count=len(rows))
    if paper.made_at:
        made = timefmt.day(paper.made_at.astimezone(zone).date())
        line += texts.get(LANG, "ledger_heading_made", made=made)
    return Heading(plain(title), plain(line))


def workbook(
    rows: Sequence[LedgerRow], events: Sequence[IssueEvent], zone: ZoneInfo, paper: Paper
) -> bytes:
    """The XLSX ledger: one 台账 sheet (or one per grid), then the 办理过程 sheet."""
    from io import BytesIO

    from openpyxl import Workbook  # only exports pay for openpyxl

    texts, notes = Texts(), closing_notes(events)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    parts: dict[str, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        parts[_grid(row) if paper.by_grid else ""].append(row)
    for name, part in sorted(parts.items()) or [("", [])]:
        sheet = book.create_sheet(_sheet_name(name or "台账"))
        key = "ledger_grid_title" if name else "ledger_title"
        fill(sheet, heading(texts, paper, part, key, zone, name), COLUMNS,
             sheet_rows(part, notes, zone, paper.made_at))  # fmt: skip
    grids = {row.issue.id: _grid(row) for row in rows}
    timeline = book.create_sheet("办理过程")
    fill(timeline, heading(texts, paper, rows, "ledger_timeline_title", zone), EVENT_COLUMNS,
         event_rows(events, grids, zone))  # fmt: skip
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in name).strip("'")
    return cleaned[:31] or "台账"
