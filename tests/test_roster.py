"""SPEC §5: roster import from CSV and XLSX, idempotent, bad rows reported with file and row."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.grids.roster import RosterError, import_roster
from storage.store import open_store

DEMO = Path(__file__).parents[1] / "bot" / "data" / "demo"
DATA = Path(__file__).parent / "data"


async def test_grids_and_members_import_from_csv(database_url: str) -> None:
    store = await open_store(database_url)
    report = await import_roster(store, [DEMO / "grids.csv", DEMO / "members.csv"])
    assert (report.grids_new, report.members_new, report.errors) == (3, 4, [])
    grid = await store.grids.by_code("A01")
    assert grid is not None and grid.chat_id == -1001000000001
    wang = await store.members.by_telegram_id(2002)
    assert wang is not None and wang.role == "member"
    assert wang.expertise == ("医疗", "社保") and wang.grid_codes == ("A01", "A02")
    coordinator = await store.members.by_telegram_id(2100)
    assert coordinator is not None and coordinator.is_coordinator and not coordinator.grid_codes
    await store.close()


async def test_reimport_updates_and_never_duplicates(database_url: str, tmp_path: Path) -> None:
    store = await open_store(database_url)
    await import_roster(store, [DEMO / "grids.csv", DEMO / "members.csv"])
    changed = tmp_path / "members.csv"
    changed.write_text(
        "name,telegram_id,role,sector,expertise,grids\n李明,2001,member,,法律,A02\n"
    )
    report = await import_roster(store, [DEMO / "grids.csv", changed])
    assert (report.grids_new, report.grids_updated) == (0, 3)
    assert (report.members_new, report.members_updated) == (0, 1)
    assert len(await store.members.all()) == 4
    li = await store.members.by_telegram_id(2001)
    assert li is not None and li.expertise == ("法律",) and li.grid_codes == ("A02",)
    await store.close()


async def test_bad_rows_are_reported_and_good_rows_kept(database_url: str) -> None:
    store = await open_store(database_url)
    report = await import_roster(store, [DEMO / "grids.csv", DATA / "roster_bad.csv"])
    assert report.members_new == 1
    assert [e.split(": ", 1)[0].rsplit(" ", 2)[-2:] for e in report.errors] == [
        ["row", "3"],
        ["row", "4"],
        ["row", "5"],
        ["row", "6"],
    ]
    assert all(str(DATA / "roster_bad.csv") in error for error in report.errors)
    assert "missing name" in report.errors[0]
    assert "Z99" in report.errors[3]
    await store.close()


async def test_xlsx_with_both_sheets_and_chinese_headers(
    database_url: str, tmp_path: Path
) -> None:
    book = Workbook()
    members = book.active
    assert members is not None
    members.append(["姓名", "TelegramID", "角色", "界别", "专长", "网格"])
    members.append(["周八", 4001, "召集人", "联络站", "法律", "C01"])
    grids = book.create_sheet("网格")
    grids.append(["网格编码", "网格名称", "社区", "街道", "区县", "群ID"])
    grids.append(["C01", "东门网格", "东门社区", "东门街道", "西城区", -100200300])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    store = await open_store(database_url)
    report = await import_roster(store, [path])
    assert (report.grids_new, report.members_new, report.errors) == (1, 1, [])
    zhou = await store.members.by_telegram_id(4001)
    assert zhou is not None and zhou.is_coordinator and zhou.grid_codes == ("C01",)
    await store.close()


async def test_unknown_headers_and_missing_file_are_refused(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n")
    with pytest.raises(RosterError, match="headers match neither"):
        await import_roster(None, [odd])  # type: ignore[arg-type]
    with pytest.raises(RosterError, match="file not found"):
        await import_roster(None, [tmp_path / "nope.csv"])  # type: ignore[arg-type]
