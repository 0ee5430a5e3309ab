"""Roster import (issue 17): a county's workbook of 10,000 members into SQLite in <= 10 s.

    python -m bench.bench_roster [--members 10000] [--grids 1500] [--format xlsx|csv]
                                 [--postgres]

Writes a workbook as an office makes it (a merged title row above the header, one row per
member and grid, a tenth without a Telegram id, some codes full-width), then times
`import_roster` into a fresh database: the first import, a re-import of the same file
(everything updated), and a `--replace` import with a tenth of the members gone.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.grids.roster import import_roster
from storage import provision
from storage.store import open_store

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
GRID_HEADER = ["网格编码", "网格名称", "社区", "街道", "区县", "群ID"]
MEMBER_HEADER = ["序号", "姓名", "TelegramID", "角色", "界别", "专长", "网格", "手机"]
SKILLS = ("市政", "物业", "医疗", "社保", "农业", "法律", "交通", "环卫")


def _code(index: int) -> str:
    code = f"G{index:04d}"
    # Every seventh typed full-width, as a hurried office does.
    return code if index % 7 else _wide(code)


def _wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def rows(members: int, grids: int) -> tuple[list[list[object]], list[list[object]]]:
    grid_rows: list[list[object]] = [
        [_code(g), f"第{g}网格", f"社区{g // 10}", f"街道{g // 100}", "东城区", -1005000000000 - g]
        for g in range(grids)
    ]
    member_rows: list[list[object]] = []
    for m in range(members):
        telegram_id = None if m % 10 == 9 else 500_000_000 + m
        codes = f"{_code(m % grids)}；{_code((m + 1) % grids)}"
        member_rows.append([
            m + 1, f"委员{m:05d}", telegram_id, "召集人" if m % 500 == 0 else "委员", "界别",
            f"{SKILLS[m % 8]}、{SKILLS[(m + 3) % 8]}", codes, f"1380000{m:04d}",
        ])  # fmt: skip
    return grid_rows, member_rows


def write(folder: Path, fmt: str, members: int, grids: int, drop_every: int = 0) -> list[Path]:
    grid_rows, member_rows = rows(members, grids)
    if drop_every:
        member_rows = [row for i, row in enumerate(member_rows) if i % drop_every]
    if fmt == "csv":
        import csv

        out = []
        for name, header, body in (("grids", GRID_HEADER, grid_rows),
                                   ("members", MEMBER_HEADER, member_rows)):  # fmt: skip
            path = folder / f"{name}-{drop_every}.csv"
            with path.open("w", encoding="gb18030", newline="") as handle:
                csv.writer(handle).writerows([header, *body])
            out.append(path)
        return out
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "网格"
    sheet.append(["网格花名册"])
    sheet.merge_cells("A1:F1")
    for row in [GRID_HEADER, *grid_rows]:
        sheet.append(row)
    people = book.create_sheet("委员")
    people.append(["委员花名册"])
    people.merge_cells("A1:H1")
    for row in [MEMBER_HEADER, *member_rows]:
        people.append(row)
    path = folder / f"roster-{drop_every}.xlsx"
    book.save(path)
    return [path]


async def measure(url: str, files: list[Path], again: list[Path], fewer: list[Path]) -> None:
    store = await open_store(url)
    first = 0.0
    try:
        for label, paths, replace in (("first import", files, False),
                                      ("re-import (all updated)", again, False),
                                      ("--replace, a tenth gone", fewer, True)):  # fmt: skip
            started = time.perf_counter()
            report = await import_roster(store, paths, replace=replace)
            seconds = time.perf_counter() - started
            print(f"  {label:26s} {seconds:6.2f} s  members new {report.members_new:,}, "
                  f"updated {report.members_updated:,}, left {report.members_left:,}, "
                  f"rejected {len(report.errors)}")  # fmt: skip
            if label == "first import":
                first = seconds
        joined = len(await store.members.all())
        waiting = len(await store.invitations.waiting())
        print(f"  in the database: {joined:,} members active, {waiting:,} waiting to join")
    finally:
        await store.close()
    backend = url.split(":", 1)[0]
    print(f"{backend}: roster import of the workbook: {first:.2f} s (target <= 10)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--grids", type=int, default=1_500)
    parser.add_argument("--format", dest="fmt", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        files = write(work, args.fmt, args.members, args.grids)
        fewer = write(work, args.fmt, args.members, args.grids, drop_every=10)
        print(f"{args.members:,} members ({args.members // 10:,} without a Telegram id), "
              f"{args.grids:,} grids, {args.fmt.upper()}")  # fmt: skip
        if args.postgres:
            name = "gridbot_bench_roster"
            await provision.drop_database(PG_URL, name)
            url = await provision.create_database(PG_URL, name)
            try:
                await measure(url, files, files, fewer)
            finally:
                await provision.drop_database(PG_URL, name)
        else:
            await measure(f"sqlite:///{work / 'bench.db'}", files, files, fewer)


if __name__ == "__main__":
    asyncio.run(main())
