"""The issue ledger (台账) for coordinators' reports: CSV with the SPEC header, or XLSX."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.lifecycle import label
from bot.timefmt import start_of_day
from storage.records import LedgerRow
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
        _write_xlsx(out, rows)
    return len(rows)


def _write_xlsx(out: Path, rows: list[list[str | int]]) -> None:
    from openpyxl import Workbook  # only exports pay for openpyxl
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    sheet.append(CHINESE_HEADER)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    book.save(out)
