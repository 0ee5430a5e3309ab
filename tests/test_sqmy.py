"""社情民意 drafts: `gridbot report sqmy` and /sqmy turn recurring topics into a Word (or
Markdown) document with the facts, residents' words masked, what was done, and a 建议."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from tests.cli import gridbot
from tests.world import A01, A02, LI, LIU, WANG, ZHANG, ZHAO, ZHOU, World

PHONE = "13812345678"
REPORTS = [
    (ZHANG, A01, f"3号楼门口的路灯坏了好几天了，晚上黑漆漆的，联系电话{PHONE}"),
    (LIU, A01, "我是刘师傅，东门口的井盖不见了，太危险了"),
    (ZHOU, A01, "小区停水两天了，自来水一直没来"),
    (ZHANG, A02, "幸福路的下水道堵了，积水很深"),
    (ZHOU, A01, "我妈的养老金这个月还没到账"),
]
PERIOD = ["--from", "2026-11-01", "--to", "2026-11-30"]


async def recurring_world(world: World) -> None:
    """Four 市政设施 issues in 幸福里社区 (#1–#3 in A01, #4 in A02), one 社会保障 (#5); two
    supporters of #1; #1 in progress, #2 solved."""
    world.say(ZHAO, "/bind A02", chat=A02)
    await world.in_group(A02, "已将本群绑定")
    reports = []
    for who, chat, text in REPORTS:
        reports.append(world.say(who, text, chat=chat))
        await world.reply_to(reports[-1])
    for who in (LIU, ZHOU):
        world.say(who, "+1", reply_to=reports[0]["message_id"])
    world.say(LI, "/progress 1 已联系物业电工，明天上午来修，已告知张阿姨")
    await world.in_group(A01, "#1 办理中")
    world.say(LI, "/done 2 井盖已补上")
    await world.in_group(A01, "#2 已解决")
    await world.settle()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def headings(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


async def report(world: World, tmp_path: Path, *args: str, name: str = "x.docx") -> tuple:
    out = tmp_path / name
    env = {"GRIDBOT_DATABASE_URL": world.services.settings.database_url}
    ran = await gridbot("report", "sqmy", *args, "--out", str(out), env=env)
    return ran, out


async def test_docx_names_issues_counts_communities_and_hides_phones_and_names(
    world: World, tmp_path: Path
) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD)
    assert ran.code == 0, ran.err
    assert "1 topics (4 issues)" in ran.out
    text = docx_text(out.read_bytes())
    assert "关于幸福里社区“市政设施”问题的社情民意" in text
    assert "4 件（#1 #2 #3 #4）" in text and "附议 2 人次" in text
    assert "A01 幸福里第一网格" in text and "A02 幸福里第二网格" in text
    assert "2026年11月1日至2026年11月30日" in text
    assert "138****5678" in text and PHONE not in text
    for name in ("张阿姨", "刘师傅", "小周"):
        assert name not in text
    assert "我是×××，东门口的井盖不见了" in text  # the words, without the name
    assert "已受理 2 件" in text and "办理中 1 件" in text and "已解决 1 件" in text
    assert "已联系物业电工" in text and "井盖已补上" in text
    assert "#5" not in text and "养老金" not in text  # one 社会保障 issue does not recur
    titles = headings(out.read_bytes())
    assert titles[0] == "社情民意信息（草稿）"
    assert titles[-1] == "四、建议"  # left for the member to write
    assert Document(io.BytesIO(out.read_bytes())).paragraphs[-1].text == ""


async def test_markdown_variant_says_the_same(world: World, tmp_path: Path) -> None:
    await recurring_world(world)
    ran, out = await report(world, tmp_path, *PERIOD, "--format", "md", name="x.md")
    assert ran.code == 0, ran.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 社情民意信息（草稿）")
    assert "## 关于幸福里社区“市政设施”问题的社情民意" in text
    assert "### 四、建议" in text and "#1 #2 #3 #4" in text
    assert PHONE not in text and "138****5678" in text


@pytest.mark.parametrize(
    ("args", "recurs"),
    [
        (["--grid", "A01"], "3 件（#1 #2 #3）"),
        (["--grid", "A02"], None),
        (["--community", "幸福里社区"], "4 件（#1 #2 #3 #4）"),
        (["--category", "社会保障"], None),
        (["--category", "市政设施"], "4 件"),
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


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--from", "2026-13-01"], "--from must be a date"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "--from must not be after --to"),
        (["--grid", "A01", "--community", "幸福里社区"], "not both"),
        (["--grid", "Z99"], "no grid with code 'Z99'"),
        (["--community", "无名社区"], "no community"),
        (["--category", "天气"], "no category '天气'"),
        (["--format", "pdf"], "--format must be one of docx, md"),
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
    assert "#1 #2 #3 #4" in text and PHONE not in text


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
