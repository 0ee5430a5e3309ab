"""社情民意 drafts: `gridbot report sqmy` and /sqmy turn recurring topics into a Word (or
Markdown) document with the facts, residents' words masked, what was done, and a 建议."""

from __future__ import annotations

import io
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from bot.reports import sqmy, sqmy_render
from storage.records import Grid, Issue
from storage.report_records import ReportIssue
from tests.cli import gridbot
from tests.conftest import IN_CI
from tests.world import A01, A02, LI, LIU, WANG, ZHANG, ZHAO, ZHOU, World

PHONE = "13812345678"
REPORTS = [
    (ZHANG, A01, f"3号楼门口的路灯坏了好几天了，晚上黑漆漆的，联系电话{PHONE}"),
    (LIU, A01, "我是刘师傅，5号楼旁边的路灯一闪一闪的，晚上看不清路"),
    (ZHOU, A01, "东门口的井盖不见了，太危险了"),
    (ZHANG, A02, "幸福路的路灯坏了，晚上黑漆漆的"),
    (ZHOU, A01, "我妈的养老金这个月还没到账"),
]
PERIOD = ["--from", "2026-11-01", "--to", "2026-11-30"]


async def recurring_world(world: World) -> None:
    """Three 路灯 issues in 幸福里社区 (#1, #2 in A01; #4 in A02 a day later), one 井盖 (#3) of
    the same category, one 社会保障 (#5); two supporters of #1; #1 in progress, #2 solved;
    a 微协商 about #1 and #2 (recorded on both)."""
    world.say(ZHAO, "/bind A02", chat=A02)
    await world.in_group(A02, "已将本群绑定")
    reports = []
    for who, chat, text in REPORTS:
        if chat == A02:
            world.local.services.clock.advance(days=1)  # type: ignore[attr-defined]
        reports.append(world.say(who, text, chat=chat))
        await world.reply_to(reports[-1])
    for who in (LIU, ZHOU):
        world.say(who, "+1", reply_to=reports[0]["message_id"])
    world.say(LI, "/progress 1 已联系物业电工，明天上午来修，已告知张阿姨")
    await world.in_group(A01, "#1 办理中")
    world.say(LI, "/done 2 路灯已修好")
    await world.in_group(A01, "#2 已解决")
    world.say(ZHAO, "/consult new 路灯维修协商 | 2026-11-27 19:00 | 社区活动室 | #1 #2")
    await world.in_group(A01, "微协商预告")
    await world.settle()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def body(content: bytes) -> str:
    """What the reader reads: every paragraph before the appendix (附件)."""
    lines = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    return "\n".join(lines[: lines.index("附件")])


def headings(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs if p.style.name.startswith("GW Heading")]


async def report(world: World, tmp_path: Path, *args: str, name: str = "x.docx",
                 env: dict[str, str] | None = None) -> tuple:  # fmt: skip
    out = tmp_path / name
    env = {"GRIDBOT_DATABASE_URL": world.services.settings.database_url, **(env or {})}
    ran = await gridbot("report", "sqmy", *args, "--out", str(out), env=env)
    return ran, out


async def test_docx_tells_one_problem_by_place_names_and_hides_phones_and_names(
    world: World, tmp_path: Path
) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD)
    assert ran.code == 0, ran.err
    assert "1 topics (3 issues)" in ran.out
    text = body(out.read_bytes())
    assert "关于幸福里社区路灯问题的社情民意" in text
    place = "幸福里社区（幸福里第一网格、幸福里第二网格）"
    assert f"{place}居民共反映路灯问题 3 件，另有 2 人次附议" in text
    assert "最早一件反映于2026年11月19日，最近一件反映于2026年11月20日" in text
    assert "2026年11月1日至2026年11月30日" in text
    assert "138****5678" in text and PHONE not in text
    for name in ("张阿姨", "刘师傅", "小周"):
        assert name not in text
    assert "我是×××，5号楼旁边的路灯一闪一闪的" in text  # the words, without the name
    assert "已受理 1 件" in text and "办理中 1 件" in text and "已解决 1 件" in text
    assert "已联系物业电工" in text and "路灯已修好" in text
    assert "井盖" not in text and "养老金" not in text  # another problem; one alone
    assert "#" not in text and "A01" not in text and "A02" not in text and "编号" not in text
    assert "请委员核实" not in text
    assert headings(out.read_bytes())[-2:] == ["四、建议", "附件"]
    [table] = Document(io.BytesIO(out.read_bytes())).tables
    assert [c.text for c in table.rows[1].cells] == ["1", "幸福里社区路灯问题", "A01、A02",
                                                     "#1 #2 #4", "3"]  # fmt: skip


async def test_each_step_is_told_once(world: World, tmp_path: Path) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD)
    assert ran.code == 0, ran.err
    lines = body(out.read_bytes()).split("\n")
    steps = lines[lines.index("（二）办理经过") + 1 : lines.index("四、建议")]
    assert len(steps) == len(set(steps)) == 3
    assert sum("路灯维修协商" in line for line in steps) == 1
    assert not [line for line in steps if line.count("微协商") > 1]
    assert steps[0].startswith("11月20日，进展：已联系物业电工")


async def test_docx_is_laid_out_as_a_gongwen(world: World, tmp_path: Path) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD, "--issue-no", "7", "--author", "赵敏",
                            env={"GRIDBOT_REPORT_UNIT": "幸福里社区联络站"})  # fmt: skip
    assert ran.code == 0, ran.err
    document = Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [37, 35, 28, 26]
    first = [p.text for p in document.paragraphs[:3]]
    assert first[0] == "社情民意信息" and first[1] == "第7期"
    assert "报送单位：幸福里社区联络站" in first[2] and "报送人：赵敏" in first[2]
    assert re.search(r"　\d{4}年\d{1,2}月\d{1,2}日$", first[2])  # the day it was made
    used = {p.style.name for p in document.paragraphs}
    assert used <= {"GW Masthead", "GW Centred", "GW Meta", "GW Title", "GW Heading 1",
                    "GW Heading 2", "GW Body"}  # fmt: skip
    expected = {"GW Title": "方正小标宋简体", "GW Heading 1": "黑体",
                "GW Heading 2": "楷体_GB2312", "GW Body": "仿宋_GB2312"}  # fmt: skip
    for name, font in expected.items():
        style = document.styles[name]
        fonts = style.element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font and fonts.get(qn("w:asciiTheme")) is None
        assert style.font.color.rgb == RGBColor(0, 0, 0) and style.font.color.theme_color is None
    body_style = document.styles["GW Body"]
    assert body_style.font.size == Pt(16) and body_style.paragraph_format.line_spacing == Pt(28)
    assert document.styles["GW Title"].font.size == Pt(22)
    table = document.part.part_related_by(RT.FONT_TABLE).blob.decode()
    assert 'w:name="仿宋_GB2312"' in table and 'w:val="仿宋"' in table and "华文中宋" in table
    assert "PAGE" in section.footer._element.xml


async def test_markdown_variant_says_the_same(world: World, tmp_path: Path) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD, "--format", "md", name="x.md")
    assert ran.code == 0, ran.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 社情民意信息")
    assert "## 关于幸福里社区路灯问题的社情民意" in text
    assert "### 四、建议" in text and "| #1 #2 #4 |" in text
    assert PHONE not in text and "138****5678" in text


async def test_pdf_without_libreoffice_is_one_line(world: World, tmp_path: Path) -> None:
    ran, out = await report(world, tmp_path, "--format", "pdf", name="x.pdf",
                            env={"PATH": str(tmp_path)})  # fmt: skip
    assert ran.code == 2 and ran.err.count("\n") == 1 and "LibreOffice" in ran.err
    assert not out.exists()


# Outside CI a machine without LibreOffice skips this; CI installs it (.ci/run), so there it runs.
@pytest.mark.skipif(
    shutil.which("soffice") is None and not IN_CI, reason="LibreOffice (soffice) not installed"
)
async def test_pdf_through_libreoffice_is_a4(world: World, tmp_path: Path) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD, "--format", "pdf", name="x.pdf")
    assert ran.code == 0, ran.err
    assert out.read_bytes().startswith(b"%PDF") and b"/MediaBox" in out.read_bytes()


@pytest.mark.parametrize(
    ("args", "recurs"),
    [
        (["--grid", "A01"], None),
        (["--grid", "A02"], None),
        (["--community", "幸福里社区"], "#1 #2 #4"),
        (["--category", "社会保障"], None),
        (["--category", "市政设施"], "#1 #2 #4"),
        (["--from", "2026-11-20", "--to", "2026-11-30"], None),
    ],
)
async def test_filters_choose_the_issues(
    world: World, tmp_path: Path, args: list[str], recurs: str | None
) -> None:
    await recurring_world(world)
    period = [] if "--from" in args else PERIOD
    ran, out = await report(world, tmp_path, *period, *args)
    assert ran.code == 0, ran.err
    if recurs is None:
        assert "没有反复出现的议题" in ran.out and ran.out.count("\n") == 1
        assert not out.exists()
    else:
        assert recurs in docx_text(out.read_bytes())
        if "--community" in args:
            assert "2026年11月30日幸福里社区群众诉求整理" in body(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--from", "2026-13-01"], "--from must be a date"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "--from must not be after --to"),
        (["--grid", "A01", "--community", "幸福里社区"], "not both"),
        (["--grid", "Z99"], "no grid with code 'Z99'"),
        (["--community", "无名社区"], "no community"),
        (["--category", "天气"], "no category '天气'"),
        (["--format", "rtf"], "--format must be one of docx, md, pdf"),
    ],
)
async def test_bad_arguments_get_one_line_and_exit_2(
    world: World, tmp_path: Path, args: list[str], problem: str
) -> None:
    ran, out = await report(world, tmp_path, *args)
    assert ran.code == 2 and ran.out == ""
    assert ran.err.count("\n") == 1 and problem in ran.err and "Traceback" not in ran.err
    assert not out.exists()


async def test_coordinator_gets_the_draft_as_a_document_in_private(world: World) -> None:
    await recurring_world(world)
    world.say(ZHAO, "/sqmy", chat=ZHAO.id)
    sent = await world.emu.wait_for(lambda s: s.chat_id == ZHAO.id and s.method == "sendDocument")
    assert "社情民意草稿" in (sent.text or "") and "1 个议题" in (sent.text or "")
    assert sent.payload["document"]["filename"].endswith(".docx")
    text = docx_text(world.emu.file_bytes(sent.payload["document"]["file_id"]))
    assert "#1 #2 #4" in text and PHONE not in text


async def test_sqmy_options_fill_the_masthead(world: World) -> None:
    await recurring_world(world)
    world.say(ZHAO, "/sqmy 期号=9 单位＝幸福里社区 报送人=赵敏", chat=ZHAO.id)
    sent = await world.emu.wait_for(lambda s: s.chat_id == ZHAO.id and s.method == "sendDocument")
    text = docx_text(world.emu.file_bytes(sent.payload["document"]["file_id"]))
    assert "第9期" in text and "报送单位：幸福里社区" in text and "报送人：赵敏" in text
    usage = await world.reply_to(world.say(ZHAO, "/sqmy 颜色=红", chat=ZHAO.id))
    assert usage.text.startswith("用法")


async def test_sqmy_refuses_others_and_malformed_periods(world: World) -> None:
    await recurring_world(world)
    for who in (LI, WANG, ZHANG):
        refused = await world.reply_to(world.say(who, "/sqmy", chat=who.id))
        assert refused.text == "社情民意草稿仅供召集人在私聊中生成。"
    in_group = await world.reply_to(world.say(ZHAO, "/sqmy"))
    assert "私聊" in in_group.text
    for line in ("/sqmy 2026-11-01", "/sqmy 十一月", "/sqmy 2026-11-30 2026-11-01"):
        usage = await world.reply_to(world.say(ZHAO, line, chat=ZHAO.id))
        assert usage.text.startswith("用法") and "\n" not in usage.text
    nothing = await world.reply_to(world.say(ZHAO, "/sqmy 2026-10-01 2026-10-31", chat=ZHAO.id))
    assert "没有反复出现的议题" in nothing.text
    assert not [s for s in world.emu.sent if s.method == "sendDocument"]


async def test_the_digests_topic_count_is_the_drafts_topics_of_those_grids(
    world: World,
) -> None:
    """The coordinators' digest counts topics without drafting them, and reads only the
    issues of the grids asked for: the 路灯 topic needs A02's #4 to recur."""
    await recurring_world(world)
    services = world.services
    now = services.clock() + timedelta(hours=1)  # the period ends after the last report
    start = now - timedelta(days=30)
    grids = {grid.code: grid.id for grid in await world.store.grids.all()}
    drafted = sqmy.recurring(services, await world.store.sqmy.issues(start, now), [])
    assert [topic.numbers for topic in drafted] == [(1, 2, 4)]
    assert await sqmy.topic_count(services, None, start, now) == 1
    assert await sqmy.topic_count(services, list(grids.values()), start, now) == 1
    assert await sqmy.topic_count(services, [grids["A01"]], start, now) == 0
    assert await sqmy.topic_count(services, [], start, now) == 0


def _row(number: int, text: str, keywords: tuple[str, ...], grid: Grid) -> ReportIssue:
    at = datetime(2026, 11, 10, tzinfo=UTC) + timedelta(hours=number)
    issue = Issue(
        id=number, grid_id=grid.id, category="市政设施", status="new", urgent=False, text=text,
        keywords=keywords, reporter_id=number, reporter_name=f"居民{number}", assignee_id=None,
        chat_id=-1, message_id=number, thread_id=None, created_at=at,
        respond_by=at + timedelta(days=1), solve_by=at + timedelta(days=7),
    )  # fmt: skip
    return ReportIssue(issue, grid, 0)


async def test_a_category_splits_into_its_problems(world: World) -> None:
    """路灯 ×3 and 井盖 ×3 of one category and community are two topics; 停水 ×1 none."""
    grid = Grid(1, "A01", "幸福里第一网格", community="幸福里社区")
    rows = [
        _row(1, "3号楼门口的路灯坏了", ("路灯坏", "路灯"), grid),
        _row(2, "东门口的井盖不见了", ("井盖",), grid),
        _row(3, "5号楼旁边的路灯一闪一闪的", ("路灯一闪一闪", "路灯"), grid),
        _row(4, "小区停水两天了", ("停水",), grid),
        _row(5, "西门的井盖松了，踩上去晃", ("井盖",), grid),
        _row(6, "幸福路路灯不亮", ("路灯",), grid),
        _row(7, "南门井盖碎了", ("井盖",), grid),
    ]
    topics = sqmy.recurring(world.services, rows, [])
    assert sorted((t.subject, t.numbers) for t in topics) == [
        ("井盖", (2, 5, 7)), ("路灯", (1, 3, 6))]  # fmt: skip
    report = sqmy.Report(date(2026, 11, 1), date(2026, 11, 30), "", tuple(topics),
                         datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
    document = Document(
        io.BytesIO(
            sqmy_render.to_docx(
                report, world.services.texts, ZoneInfo("Asia/Shanghai"), sqmy_render.Masthead()
            )
        )
    )
    titles = [p.text for p in document.paragraphs if p.style.name == "GW Title"]
    # The largest first; of equals, the one reported first (#1, 路灯).
    assert titles[:2] == ["关于幸福里社区路灯问题的社情民意", "关于幸福里社区井盖问题的社情民意"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "附议" not in text.split("附件")[0]  # nobody seconded: nothing said about it
    assert "报送单位：＿＿＿＿" in text  # left for the office to fill in
    assert len(document.tables[0].rows) == 3
