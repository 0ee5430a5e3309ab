"""The issue ledger (台账) for coordinators' reports: CSV with the SPEC header, or XLSX."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.lifecycle import label
from bot.texts import SIMPLIFIED, ZH_HANS, Texts
from bot.timefmt import start_of_day
from storage.records import IssueEvent, LedgerRow
from storage.store import Store

HEADER = [
    "id", "grid", "category", "status", "reporter", "assignee", "text", "created_at",
    "resolved_at", "rating", "supporters",
]  # fmt: skip
CHINESE_HEADER = [
    "编号", "网格", "类别", "状态", "反映人", "承办人", "内容", "反映时间", "解决时间",
    "评价", "附议人数",
]  # fmt: skip
WIDTHS = [8, 10, 12, 10, 12, 12, 60, 20, 20, 10, 10]
EVENT_HEADER = ["编号", "时间", "操作人", "操作", "原状态", "新状态", "说明"]
EVENT_WIDTHS = [8, 20, 12, 12, 12, 12, 60]


def _iso(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""


def ledger_rows(rows: Sequence[LedgerRow], zone: ZoneInfo) -> list[list[str | int]]:
    return [
        [
            row.issue.id,
            row.grid_code,
            row.issue.category,
            label(row.issue.status),
            row.issue.reporter_name,
            row.assignee_name,
            row.issue.text,
            _iso(row.issue.created_at, zone),
            _iso(row.issue.resolved_at, zone),
            row.issue.rating or "",
            row.supporters,
        ]
        for row in rows
    ]


async def export_ledger(
    store: Store, fmt: str, out: Path, zone: ZoneInfo, start: date | None, end: date | None
) -> int:
    """Write the ledger of issues created from `start` to `end` (inclusive); returns the count."""
    since = start_of_day(start, zone) if start else None
    until = start_of_day(end + timedelta(days=1), zone) if end else None
    rows = ledger_rows(await store.issues.ledger(since, until), zone)
    if fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
    else:
        events = await store.issues.events_between(since, until)
        write_xlsx(out, rows, event_rows(events, zone))
    return len(rows)


def event_rows(events: Sequence[IssueEvent], zone: ZoneInfo) -> list[list[str | int]]:
    texts = Texts()

    def shown(status: str | None) -> str:
        return label(status) if status else ""

    def action(name: str) -> str:
        key = f"action_{name}"
        return texts.get(SIMPLIFIED, key) if key in ZH_HANS else name

    return [
        [e.issue_id, _iso(e.at, zone), e.actor_name, action(e.action), shown(e.from_status),
         shown(e.to_status), e.note]
        for e in events
    ]  # fmt: skip


def write_xlsx(out: Any, rows: list[list[str | int]], events: list[list[str | int]]) -> None:
    """The 台账 and 办理过程 sheets, to a path or a binary file (the web app's download)."""
    from openpyxl import Workbook  # only exports pay for openpyxl

    book = Workbook()
    ledger = book.active
    assert ledger is not None
    _fill(ledger, "台账", CHINESE_HEADER, WIDTHS, rows)
    _fill(book.create_sheet(), "办理过程", EVENT_HEADER, EVENT_WIDTHS, events)
    book.save(out)


def _fill(sheet: Any, title: str, header: list[str], widths: list[int], rows: list[Any]) -> None:
    """A readable sheet: bold frozen header, set column widths, wrapped long text."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    wide = get_column_letter(widths.index(max(widths)) + 1)
    for cell in sheet[wide][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
