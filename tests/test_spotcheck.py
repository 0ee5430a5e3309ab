"""SPEC §8 quarterly spot check: a reproducible sample of each member's finished issues, sent
to coordinators as an XLSX workbook with Chinese headers."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.reports.spotcheck import HEADER, Quarter, sample, sample_size
from bot.schedules import jobs
from storage.records import Issue, Member
from storage.report_records import LedgerRow
from tests.conftest import Clock
from tests.schedules import delivered, reported, run_job, sent_to
from tests.world import A01, LI, LIU, ZHANG, ZHAO, ZHOU, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YEAR = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # 1 January, 09:00 in Shanghai
REPORTS = [
    (ZHANG, "3号楼门口的路灯坏了好几天了"),
    (LIU, "小区东门的垃圾好几天没人清了，臭得很"),
    (ZHOU, "5号楼电梯又坏了，老人上不去楼"),
    (ZHANG, "2号楼下水道堵了，污水漫到路上"),
    (LIU, "健身器材坏了好久没人修"),
]


async def a_quarter_of_work(world: World, clock: Clock) -> list[int]:
    """Five issues solved in November and closed by themselves a week later."""
    numbers = [await reported(world, who, text) for who, text in REPORTS]
    for number in numbers:
        world.say(ZHAO, f"/done {number} 已处理")
        await world.in_group(A01, f"#{number} 已解决")
    clock.advance(days=8)
    await run_job(world, "reminders:sweep")
    assert [(await world.issue(n)).status for n in numbers] == ["closed"] * len(numbers)
    return numbers


def documents(world: World, chat: int) -> list[tuple[str, bytes]]:
    return [
        (s.text or "", world.emu.file_bytes(s.payload["document"]["file_id"]))
        for s in world.emu.sent
        if s.chat_id == chat and s.method == "sendDocument"
    ]


def sheet_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_quarterly_spot_check_sends_coordinators_a_workbook_with_chinese_headers(
    world: World, clock: Clock
) -> None:
    numbers = await a_quarter_of_work(world, clock)
    clock.now = NEW_YEAR
    await run_job(world, "spotcheck:quarterly")
    [(caption, content)] = documents(world, ZHAO.id)
    assert "2026年第4季度抽查清单" in caption
    header, *rows = sheet_rows(content)
    assert header == HEADER
    people = {m.id: m.name for m in await world.store.members.all()}
    per_member = Counter([people[(await world.issue(n)).assignee_id or 0] for n in numbers])
    assert Counter(row[0] for row in rows) == {
        name: sample_size(count) for name, count in per_member.items()
    }
    assert {row[2] for row in rows} <= set(numbers)
    assert all(row[4] == "已办结" and row[13] is None for row in rows)
    assert documents(world, LI.id) == []  # members are checked, not sent the list


async def test_spot_check_drawn_again_gives_the_same_sample(world: World, clock: Clock) -> None:
    await a_quarter_of_work(world, clock)
    clock.now = NEW_YEAR
    await run_job(world, "spotcheck:quarterly")
    await jobs.run_now(world.services, "spotcheck", NEW_YEAR + timedelta(days=3))
    await delivered(world)
    first, second = (sheet_rows(content) for _, content in documents(world, ZHAO.id))
    assert [row[:3] for row in first] == [row[:3] for row in second]


async def test_spot_check_of_a_grid_with_nothing_finished_says_so(
    world: World, clock: Clock
) -> None:
    clock.now = NEW_YEAR
    await jobs.run_now(world.services, "spotcheck", NEW_YEAR, grid_code="B01")
    await delivered(world)
    message = await world.private(ZHAO, "抽查")
    assert "无需抽查" in message.text
    assert sent_to(world, ZHAO, "抽查清单") == []


def _finished(number: int) -> LedgerRow:
    at = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=number)
    issue = Issue(
        id=number, grid_id=1, category="市政设施", status="closed", urgent=False, text="路灯",
        keywords=(), reporter_id=1, reporter_name="张阿姨", assignee_id=7, chat_id=-1,
        message_id=number, thread_id=None, created_at=at, respond_by=at + timedelta(days=1),
        solve_by=at + timedelta(days=7), closed_at=at + timedelta(days=2),
    )  # fmt: skip
    return LedgerRow(issue, "A01", "李明", 0)


def test_sample_is_seeded_by_quarter_and_member() -> None:
    rows = [_finished(n) for n in range(1, 31)]
    li = Member(id=7, telegram_id=2001, name="李明", role="member")
    wang = Member(id=8, telegram_id=2002, name="王芳", role="member")
    q4, q3 = Quarter(2026, 4, SHANGHAI), Quarter(2026, 3, SHANGHAI)
    drawn = [row.issue.id for row in sample(rows, q4, li)]
    assert len(drawn) == 3
    assert drawn == [row.issue.id for row in sample(list(reversed(rows)), q4, li)]
    assert drawn != [row.issue.id for row in sample(rows, q4, wang)]
    assert drawn != [row.issue.id for row in sample(rows, q3, li)]


def test_sample_size_is_a_tenth_within_three_and_ten() -> None:
    assert [sample_size(n) for n in (0, 2, 3, 29, 31, 55, 200)] == [0, 2, 3, 3, 4, 6, 10]


def test_a_check_looks_at_the_quarter_just_ended() -> None:
    assert Quarter.before(NEW_YEAR, SHANGHAI).key == "2026-Q4"
    july = datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI)
    quarter = Quarter.before(july, SHANGHAI)
    assert quarter.key == "2026-Q2"
    assert (quarter.start, quarter.end) == (
        datetime(2026, 4, 1, tzinfo=SHANGHAI),
        datetime(2026, 7, 1, tzinfo=SHANGHAI),
    )
