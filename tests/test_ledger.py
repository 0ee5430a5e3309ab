"""The 台账: `gridbot export` writes the CSV of SPEC §4 (UTF-8 with a BOM, for Excel) and an
XLSX workbook made to be printed and filed, read back here as an official's Excel would."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.reports.cells import cell, inert, xml_safe
from bot.reports.ledger import HEADER
from bot.reports.spotcheck import Quarter, workbook
from tests.cli import gridbot
from tests.world import A01, A02, LI, LIU, ZHANG, ZHAO, ZHOU, Person, World

ZONE = ZoneInfo("Asia/Shanghai")

COLUMNS = [
    "编号", "网格", "类别", "状态", "反映人", "承办人", "内容", "反映时间", "响应时限",
    "办结时限", "解决时间", "是否超期", "办结说明", "评价", "附议人数",
]  # fmt: skip


async def three_issues(world: World) -> None:
    """#1 路灯 solved and rated, #2 井盖 open, #3 in A02 (bound first)."""
    world.say(ZHAO, "/bind A02", chat=A02)
    await world.in_group(A02, "已将本群绑定")
    first = world.say(ZHANG, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的")
    await world.reply_to(first)
    await world.reply_to(world.say(LIU, "东门口的井盖不见了，太危险了"))
    await world.reply_to(world.say(ZHOU, "小区东门的垃圾好几天没人清了", chat=A02))
    world.say(LI, "/done 1 路灯已更换，晚上已经亮了")
    await world.in_group(A01, "#1 已解决")
    await world.settle()


async def export(world: World, out: Path, *args: str) -> None:
    env = {"GRIDBOT_DATABASE_URL": world.services.settings.database_url,
           "GRIDBOT_REPORT_UNIT": "幸福里社区"}  # fmt: skip
    ran = await gridbot("export", "--out", str(out), *args, env=env)
    assert ran.code == 0, ran.err
    assert "written to" in ran.out


async def test_xlsx_ledger_prints_on_a4_landscape_one_page_wide_with_a_title(
    world: World, tmp_path: Path
) -> None:
    await three_issues(world)
    out = tmp_path / "ledger.xlsx"
    await export(world, out, "--format", "xlsx", "--from", "2026-11-01", "--to", "2026-11-30")
    book = load_workbook(out)
    assert book.sheetnames == ["台账", "办理过程"]
    sheet = book["台账"]
    assert sheet["A1"].value == "幸福里社区群众诉求台账"
    assert "统计时段：2026年11月1日至2026年11月30日" in sheet["A2"].value
    assert "共 3 件" in sheet["A2"].value and "制表日期：" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == COLUMNS
    setup = sheet.page_setup
    assert setup.paperSize == 9 and setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:O6"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    assert sorted(rows) == [1, 2, 3]
    made = rows[1][7]
    assert made.is_date and isinstance(made.value, datetime) and "年" in made.number_format
    assert rows[1][10].is_date and rows[2][10].value is None  # 解决时间, only #1's
    assert all(row[8].is_date and row[9].is_date for row in rows.values())
    assert rows[1][1].value == "幸福里第一网格" and rows[3][1].value == "幸福里第二网格"
    assert rows[1][12].value == "路灯已更换，晚上已经亮了" and rows[2][12].value is None
    # Made after the world's November: #1 was solved in time, #2 and #3 are open past 7 days.
    assert [rows[n][11].value for n in (1, 2, 3)] == ["否", "是", "是"]
    assert rows[1][6].alignment.wrap_text and rows[1][6].border.left.style == "thin"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMNO"]
    assert all(width >= 5 for width in widths) and widths[6] == max(widths)
    timeline = book["办理过程"]
    assert timeline.print_title_rows == "$3:$3" and timeline.page_setup.orientation == "landscape"
    assert [c.value for c in timeline[3]][:3] == ["编号", "网格", "时间"]
    assert all(row[2].is_date for row in timeline.iter_rows(min_row=4))


async def test_xlsx_ledger_by_grid_gives_each_grid_its_sheet(world: World, tmp_path: Path) -> None:
    await three_issues(world)
    out = tmp_path / "ledger.xlsx"
    await export(world, out, "--by-grid")
    book = load_workbook(out)
    assert book.sheetnames == ["幸福里第一网格", "幸福里第二网格", "办理过程"]
    first, second = book["幸福里第一网格"], book["幸福里第二网格"]
    assert first["A1"].value == "幸福里社区群众诉求台账（幸福里第一网格）"
    assert [row[0].value for row in first.iter_rows(min_row=4)] == [1, 2]
    assert [row[0].value for row in second.iter_rows(min_row=4)] == [3]
    assert second.print_title_rows == "$3:$3" and second.page_setup.fitToWidth == 1


async def test_csv_keeps_the_spec_header_and_opens_in_excel_with_a_bom(
    world: World, tmp_path: Path
) -> None:
    await three_issues(world)
    out = tmp_path / "ledger.csv"
    await export(world, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert rows[1][1] == "A01" and rows[1][7].startswith("2026-11-")


async def test_by_grid_needs_xlsx(world: World, tmp_path: Path) -> None:
    env = {"GRIDBOT_DATABASE_URL": world.services.settings.database_url}
    ran = await gridbot("export", "--out", str(tmp_path / "x.csv"), "--by-grid", env=env)
    assert ran.code == 2 and "--by-grid needs --format xlsx" in ran.err
    assert "Traceback" not in ran.err


FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1", "-2",
            "@SUM(1+1)"]  # fmt: skip


@pytest.mark.parametrize("payload", FORMULAS)
async def test_formulas_in_texts_and_names_stay_text_in_csv_xlsx_and_spot_check(
    world: World, tmp_path: Path, payload: str
) -> None:
    resident = Person(1099, payload)
    world.emu.add_user(resident.id, resident.name)
    await world.reply_to(world.say(resident, f"/report {payload} 3号楼门口的路灯坏了"))
    await world.settle()
    written = tmp_path / "ledger.xlsx"
    await export(world, written, "--format", "xlsx")
    [row] = list(load_workbook(written)["台账"].iter_rows(min_row=4))
    for shown in (row[4], row[6]):  # 反映人, 内容
        assert shown.data_type == "s" and shown.value.startswith("'" + payload)
    await export(world, tmp_path / "ledger.csv")
    [line] = list(csv.DictReader(io.StringIO((tmp_path / "ledger.csv").read_text("utf-8-sig"))))
    assert line["reporter"] == "'" + payload and line["text"].startswith("'" + payload)
    rows = await world.store.issues.ledger(None, None)
    sheet = load_workbook(io.BytesIO(workbook(rows, Quarter(2026, 4, ZONE)))).active
    assert sheet is not None
    cells = [c for c in sheet[2] if isinstance(c.value, str) and payload in c.value]
    assert len(cells) == 2 and all(c.data_type == "s" and c.value[0] == "'" for c in cells)


async def test_a_character_xml_cannot_hold_breaks_no_export(world: World, tmp_path: Path) -> None:
    for who, place in ((ZHANG, 3), (LIU, 5), (ZHOU, 8)):
        text = f"{place}号楼门口的路灯坏了\uffff\x01，晚上黑漆漆的"
        await world.reply_to(world.say(who, text))
    await world.settle()
    env = {"GRIDBOT_DATABASE_URL": world.services.settings.database_url}
    out = tmp_path / "ledger.xlsx"
    ran = await gridbot("export", "--format", "xlsx", "--out", str(out), env=env)
    assert ran.code == 0, ran.err
    assert "\uffff" not in str(load_workbook(out)["台账"]["G4"].value)
    rows = await world.store.issues.ledger(None, None)
    assert load_workbook(io.BytesIO(workbook(rows, Quarter(2026, 4, ZONE)))).active is not None
    draft = tmp_path / "sqmy.docx"
    ran = await gridbot("report", "sqmy", "--out", str(draft), env=env)
    assert ran.code == 0, ran.err
    assert "路灯" in "\n".join(p.text for p in Document(str(draft)).paragraphs)
    world.say(ZHAO, "/sqmy", chat=ZHAO.id)
    sent = await world.emu.wait_for(lambda s: s.chat_id == ZHAO.id and s.method == "sendDocument")
    assert sent.payload["document"]["filename"].endswith(".docx")


def test_cell_rules() -> None:
    assert [inert(v) for v in ("=1", "+1", "-1", "@x", "\tx", "\rx", "路灯", "1=1")] == [
        "'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "路灯", "1=1"]  # fmt: skip
    assert xml_safe("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh\ud800i\tj\nk") == "abcdefghi\tj\nk"
    assert cell(42) == 42 and cell("=\uffff1") == "'=1"
