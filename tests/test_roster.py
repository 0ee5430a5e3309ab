"""SPEC §5: roster import from CSV and XLSX as offices make them, idempotent; bad rows are
reported in Chinese (and English) with file, sheet, row and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.grids.roster import RosterError, import_roster, parse_telegram_id
from storage.store import open_store
from tests.offices import gbk_csv, messy_workbook

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
    assert [e.split("：", 1)[0].rsplit(" ", 3)[-3:] for e in report.errors] == [
        ["第", str(row), "行"] for row in (3, 4, 5, 6)
    ]
    assert all(str(DATA / "roster_bad.csv") in error for error in report.errors)
    assert "缺少姓名" in report.errors[0] and "missing name" in report.errors[0]
    assert "notanumber" in report.errors[1] and "纯数字" in report.errors[1]
    assert "委员" in report.errors[2] and "召集人" in report.errors[2]
    assert "Z99" in report.errors[3] and "网格表" in report.errors[3]
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


async def test_office_workbook_imports_with_clear_messages_and_nothing_lost(
    database_url: str, tmp_path: Path
) -> None:
    path = messy_workbook(tmp_path / "花名册.xlsx")
    store = await open_store(database_url)
    report = await import_roster(store, [path])
    assert [g.code for g in await store.grids.all()] == ["A01", "A02"]  # Ａ０１ and a02
    wang = await store.members.by_telegram_id(2002)
    assert wang is not None and wang.grid_codes == ("A01", "A02")  # two rows, one member
    assert wang.expertise == ("医疗", "社保", "养老")
    assert [w for w in report.warnings if "王芳" in w and "合并" in w and "第 8 行" in w]
    li = await store.members.by_telegram_id(2001)
    assert li is not None and li.grid_codes == ("A01",)
    [sun] = await store.invitations.waiting()
    assert (sun.name, sun.grid_codes) == ("孙丽", ("A02",))  # no id: waits for an invitation
    [error] = report.errors  # the 19-digit id, refused in one line
    # Excel keeps it as a float (1.23457E+18): never a crash, never a member with a wrong id.
    assert "工作表「委员」 第 11 行" in error and "「周强」TelegramID" in error
    assert (report.members_new, report.grids_new) == (4, 2)
    await store.close()


async def test_gbk_csv_from_chinese_excel_imports(database_url: str, tmp_path: Path) -> None:
    store = await open_store(database_url)
    await import_roster(store, [DEMO / "grids.csv"])
    report = await import_roster(store, [gbk_csv(tmp_path / "委员.csv")])
    assert report.errors == [] and report.members_new == 2
    chen = await store.members.by_telegram_id(2003)
    assert chen is not None and chen.name == "陈刚" and chen.grid_codes == ("A02",)
    [qian] = await store.invitations.waiting()
    assert qian.name == "钱多多" and qian.grid_codes == ("A01",)
    await store.close()


async def test_utf8_with_and_without_bom_read_alike(database_url: str, tmp_path: Path) -> None:
    text = "网格编码,网格名称\nＣ０１,东门网格\n"
    (tmp_path / "bom.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "plain.csv").write_bytes(text.replace("Ｃ０１", "c 02").encode("utf-8"))
    store = await open_store(database_url)
    report = await import_roster(store, [tmp_path / "bom.csv", tmp_path / "plain.csv"])
    assert report.errors == [] and [g.code for g in await store.grids.all()] == ["C01", "C02"]
    await store.close()


@pytest.mark.parametrize(
    "cell", ["12345678901234567890123", "1.23457E+18", "-5", "0", "１２３", "２００１x"]
)
def test_odd_telegram_ids_are_refused_in_one_line(cell: str) -> None:
    telegram_id, problem = parse_telegram_id(cell)
    assert telegram_id is None and problem is not None and "TelegramID" in problem


def test_telegram_ids_as_excel_writes_them_are_read() -> None:
    assert parse_telegram_id("2001.0") == (2001, None)
    assert parse_telegram_id("'2001") == (2001, None)
    assert parse_telegram_id("") == (None, None)


async def test_unknown_headers_and_missing_file_are_refused(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n")
    with pytest.raises(RosterError, match=r"没有找到表头.*网格编码.*姓名"):
        await import_roster(None, [odd])  # type: ignore[arg-type]
    with pytest.raises(RosterError, match="找不到文件"):
        await import_roster(None, [tmp_path / "nope.csv"])  # type: ignore[arg-type]
