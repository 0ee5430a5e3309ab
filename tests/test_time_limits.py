"""Issue 20 in the group and on the command line: working-day limits over a statutory holiday
and a 调休 weekend (`gridbot jobs run reminders --at` on both sides), the clock pausing while a
member waits for the resident's answer (/ask), the 即将超期 morning list, and the coordinators'
on-time rates against a ledger worked out by hand."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tomli_w

from bot.classify.taxonomy import DEFAULT_PATH
from bot.schedules import jobs
from handlers.emulator.local import local_bot
from handlers.emulator.server import BotApiEmulator
from storage.records import IssueChange, IssueDraft, IssueEvent, Pause
from storage.statuses import Status
from tests.cli import gridbot
from tests.conftest import Clock
from tests.schedules import delivered, reported, run_job, sent_to
from tests.world import A01, A02, LI, LIU, PEOPLE, WANG, ZHANG, ZHAO, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAMP = "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"  # 市政设施 → 李明
ROAD = "5号楼门口的路面坑坑洼洼，老人走路摔了好几次"  # 市政设施 → 李明
SWEEP = "reminders:sweep"


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture
def working_days(tmp_path: Path) -> Path:
    """The shipped taxonomy, with 市政设施 answered in 1 and solved in 3 working days."""
    data = tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["categories"]["市政设施"].update(respond="1 工作日", solve="3 工作日")
    path = tmp_path / "taxonomy.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@dataclass
class Stopped:
    """Issues were reported and the bot stopped; the Bot API stays up for `gridbot jobs`."""

    emu: BotApiEmulator
    env: dict[str, str]

    async def reminders_at(self, when: str) -> None:
        ran = await gridbot("jobs", "run", "reminders", "--at", when, env=self.env)
        assert ran.code == 0, ran.err
        assert "reminders:sweep" in ran.out

    def texts_to(self, who: int) -> list[str]:
        return [s.text or "" for s in self.emu.sent if s.chat_id == who]


Scene = Callable[[World], Coroutine[Any, Any, None]]


@asynccontextmanager
async def stopped_after(
    database_url: str, clock: Clock, taxonomy: Path, scene: Scene
) -> AsyncIterator[Stopped]:
    env = {"GRIDBOT_TAXONOMY": str(taxonomy), "GRIDBOT_SEND_LIMITS": "off"}
    async with BotApiEmulator() as emu:
        for person in PEOPLE:
            emu.add_user(person.id, person.name)
            emu.start_private(person.id)
        emu.add_group(A01, "幸福里第一网格群")
        emu.add_group(A02, "幸福里第二网格群")
        async with local_bot(database_url, emu, clock=clock, env=env) as running:
            world = World(running)
            await scene(world)
            await world.settle()
        env |= {
            "GRIDBOT_DATABASE_URL": database_url,
            "GRIDBOT_TELEGRAM_API": emu.base_url,
            "TELEGRAM_BOT_TOKEN": emu.token,
        }
        yield Stopped(emu, env)


async def lamp_open_and_road_taken(world: World) -> None:
    await reported(world, ZHANG, LAMP)
    await reported(world, LIU, ROAD)
    world.say(LI, "/take 2")
    await world.in_group(A01, "#2 已认领")


async def test_limits_in_working_days_wait_out_national_day_and_count_its_make_up_saturday(
    database_url: str, clock: Clock, working_days: Path
) -> None:
    # Wednesday 30 September 2026, the day before the holiday (1-7 October off; Saturday
    # 10 October is a make-up working day). One working day: respond by 8 October 17:30;
    # three: solve by Saturday 10 October 17:30.
    clock.now = local(2026, 9, 30, 10, 0)
    async with stopped_after(database_url, clock, working_days, lamp_open_and_road_taken) as bot:
        assert any("10月8日（周四）下班前响应" in t for t in bot.texts_to(A01))
        await bot.reminders_at("2026-10-02T10:00")  # in the holiday: 24 hours have passed
        assert not [t for t in bot.texts_to(WANG.id) if "转派 #1" in t]
        assert not [t for t in bot.texts_to(LI.id) if "超过" in t]
        await bot.reminders_at("2026-10-08T18:00")  # the first working day has closed
        [offer] = [t for t in bot.texts_to(WANG.id) if "转派 #1" in t]
        assert "李明" in offer and "请于明天下班前响应" in offer  # a working day of her own
        assert not [t for t in bot.texts_to(LI.id) if "#2" in t and "超过" in t]
        await bot.reminders_at("2026-10-10T18:00")  # the make-up Saturday has closed
        [late] = [t for t in bot.texts_to(LI.id) if "#2" in t and "已超过办结时限" in t]
        assert "已超过办结时限（今天下班前）" in late  # read on that Saturday evening


async def report_lamp(world: World) -> None:
    await reported(world, ZHANG, LAMP)


async def test_a_make_up_saturday_before_spring_festival_is_a_working_day(
    database_url: str, clock: Clock, working_days: Path
) -> None:
    # Friday 13 February 2026; Saturday 14 February is worked (调休), 15-23 February are off.
    clock.now = local(2026, 2, 13, 10, 0)
    async with stopped_after(database_url, clock, working_days, report_lamp) as bot:
        await bot.reminders_at("2026-02-14T12:00")  # the Saturday's afternoon is near
        [soon] = [t for t in bot.texts_to(LI.id) if "⏰ 提醒：#1" in t]
        assert "响应时限：今天下班前" in soon
        assert not [t for t in bot.texts_to(WANG.id) if "转派 #1" in t]
        await bot.reminders_at("2026-02-14T18:00")  # closed: handed over on a Saturday
        [offer] = [t for t in bot.texts_to(WANG.id) if "转派 #1" in t]
        assert "2月24日（周二）下班前" in offer  # the next working day is after the holiday


async def asked(world: World, question: str, number: int = 1) -> int:
    """张阿姨's lamp reported and taken by 李明, who then asks her; the question's message id."""
    original = world.say(ZHANG, LAMP)
    await world.reply_to(original)
    world.say(LI, f"/take {number}")
    await world.in_group(A01, f"#{number} 已认领")
    world.say(LI, f"/ask {number} {question}")
    post = await world.in_group(A01, f"❓ #{number}")
    assert post.reply_to_message_id == original["message_id"]
    assert "张阿姨" in post.text and question in post.text and "已认领" in post.text
    return post.message_id


async def test_asking_the_resident_pauses_the_clock_until_they_reply(
    world: World, clock: Clock
) -> None:
    await reported(world, LIU, ROAD)  # someone else's issue, to show replies find the right one
    solve_by = (await world.issue(1)).solve_by
    number = 2
    question = await asked(world, "请问是3号楼哪个门口？", number)
    assert (await world.issue(number)).status == Status.TAKEN  # asking changes no status
    before = (await world.issue(number)).solve_by
    clock.advance(days=2)
    world.say(ZHANG, "东门，靠近快递柜那边", reply_to=question)
    answer = await world.private(LI, f"💬 #{number}")
    assert "东门" in answer.text and "已恢复计时" in answer.text
    await world.in_group(A01, "您的答复已转告承办人")
    assert (await world.issue(number)).solve_by == before + timedelta(days=2)
    assert (await world.issue(1)).solve_by == solve_by
    assert await world.store.issues.count() == 2  # the answer is not a new report
    shown = await world.reply_to(world.say(LI, f"/issue {number}", chat=LI.id))
    assert "计时暂停" in shown.text and "等待居民答复" in shown.text
    assert "询问居民" in shown.text and "居民答复" in shown.text and "东门" in shown.text


async def test_an_unanswered_question_resumes_the_clock_after_three_days(
    world: World, clock: Clock
) -> None:
    question = await asked(world, "方便拍张照片吗？")  # Thursday 10:00, solve by next Thursday
    before = await world.issue(1)
    clock.advance(days=3, hours=1)
    await run_job(world, SWEEP)
    [resumed] = sent_to(world, LI, "⏱ #1")
    assert "3 天未答复" in resumed.text and "办结时限：11月29日（周日）10:00 前" in resumed.text
    issue = await world.issue(1)
    assert issue.solve_by == before.solve_by + timedelta(days=3)  # stood still for three
    clock.advance(days=4)  # past the first solve-by: not late, three days were added
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "办结时限") == [resumed]
    clock.advance(days=2)  # the clock ran on: a day before the new solve-by
    await run_job(world, SWEEP)
    assert "明天 10:00 前" in (await world.private(LI, "⏰ 提醒：#1")).text
    world.say(ZHANG, "好的我拍一张", reply_to=question)  # too late to be an answer now
    await world.settle()
    assert sent_to(world, LI, "💬 #1") == []


async def test_while_asking_no_reminder_comes_and_the_issue_is_not_overdue(
    world: World, clock: Clock
) -> None:
    await asked(world, "请问是3号楼哪个门口？")
    clock.advance(days=2, hours=23)  # within the three days of waiting
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "提醒") == [] and sent_to(world, LI, "⏱") == []
    clock.advance(days=5)  # past the original solve-by, the wait long over
    await run_job(world, SWEEP)
    assert sent_to(world, LI, "已超过办结时限") == []  # three days were added


async def test_members_get_the_issues_due_within_a_working_day_each_working_morning(
    world: World, clock: Clock
) -> None:
    await reported(world, ZHANG, LAMP)  # Thursday 10:00: respond by Friday 10:00
    clock.now = local(2026, 11, 20, 9, 0)  # Friday morning
    await run_job(world, "duesoon:morning")
    [text] = [s.text for s in sent_to(world, LI, "即将超期")]
    assert "#1【市政设施】已受理，响应时限：今天 10:00 前" in text
    clock.now = local(2026, 11, 21, 9, 0)  # Saturday: no list
    await run_job(world, "duesoon:morning")
    assert len(sent_to(world, LI, "即将超期")) == 1


def rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%（{part}/{whole}）" if whole else "暂无"


# The ledger, in hours before the digest at D: who, created, respond-by, solve-by, taken,
# solved, and whether the member is asking the resident something now (clock paused).
LEDGER = [
    ("李明", -140, -116, -20, -138, -100, False),  # answered and solved in time
    ("李明", -140, -116, -20, -110, -10, False),  # answered late, solved late
    ("李明", -100, -76, 68, -90, None, False),  # answered in time, solving not due yet
    ("王芳", -50, -26, 118, None, None, False),  # never answered: overdue
    ("王芳", -60, -36, -1, -50, None, False),  # answered in time, past its solve-by: overdue
    ("王芳", -60, -36, -1, -50, None, True),  # the same, but waiting for the resident
    ("王芳", -10, 14, 158, None, None, False),  # answering not due yet
]


async def test_coordinator_digest_shows_on_time_rates_per_grid_and_member(
    world: World, clock: Clock
) -> None:
    d = clock.now + timedelta(days=7)
    store = world.store
    ids = {m.name: m.id for m in await store.members.all()}
    for number, (who, created, respond, solve, taken, solved, asking) in enumerate(LEDGER, 1):
        hour = lambda h: d + timedelta(hours=h)  # noqa: E731
        draft = IssueDraft(
            grid_id=1, category="市政设施", status=Status.NEW, urgent=False, text=f"路灯{number}",
            keywords=("路灯",), reporter_id=ZHANG.id, reporter_name=ZHANG.name,
            assignee_id=ids[who], chat_id=A01, message_id=5000 + number, thread_id=None,
            created_at=hour(created), respond_by=hour(respond), solve_by=hour(solve),
        )  # fmt: skip
        event = IssueEvent(issue_id=0, at=hour(created), action="created")
        issue = await store.issues.create(draft, event, lambda i: [])
        assert issue is not None
        if taken is not None:
            values = IssueChange(status=Status.IN_PROGRESS, taken_at=hour(taken))
            if solved is not None:
                values = replace(values, status=Status.RESOLVED, resolved_at=hour(solved))
            pause = Pause(issue.id, "ask", d - timedelta(hours=5), until=d + timedelta(days=2))
            step = IssueEvent(issue_id=issue.id, at=hour(taken), action="take")
            await store.issues.change(issue.id, "new", values, step, lambda i: [],
                                      starts_pause=pause if asking else None)  # fmt: skip
    # Worked out by hand from the ledger above:
    #   李明: 3 answerable, 3 answered, 2 in time; 2 solvable (both solved), 1 in time.
    #   王芳: 3 answerable (the last is not yet), 2 answered, both in time; 1 solvable
    #         (the one past its solve-by; the paused twin is not counted), 0 in time;
    #         overdue: the unanswered one and the one past its solve-by.
    expected = {
        "李明": "响应率 100%（3/3），按时响应率 67%（2/3），解决率 67%（2/3），"
        "按时办结率 50%（1/2），满意率 暂无，超期 0 件",
        "王芳": "响应率 67%（2/3），按时响应率 67%（2/3），解决率 0%（0/4），"
        "按时办结率 0%（0/1），满意率 暂无，超期 2 件",
        "A01 幸福里第一网格": "响应率 83%（5/6），按时响应率 67%（4/6），解决率 29%（2/7），"
        "按时办结率 33%（1/3），满意率 暂无，超期 2 件",
    }
    # ...and the same, counted from the ledger rather than by eye.
    answerable = [row for row in LEDGER if row[4] is not None or row[2] <= 0]
    on_time = [row for row in answerable if row[4] is not None and row[4] <= row[2]]
    solvable = [row for row in LEDGER if row[5] is not None or (row[3] < 0 and not row[6])]
    solved_in_time = [row for row in solvable if row[5] is not None and row[5] <= row[3]]
    assert f"按时响应率 {rate(len(on_time), len(answerable))}" in expected["A01 幸福里第一网格"]
    assert (
        f"按时办结率 {rate(len(solved_in_time), len(solvable))}" in expected["A01 幸福里第一网格"]
    )
    await jobs.run_now(world.services, "digest", d)
    await delivered(world)
    text = "\n".join(s.text or "" for s in world.emu.sent if s.chat_id == ZHAO.id)
    assert "召集人周报" in text
    for name, figures in expected.items():
        assert f"{name}：{figures}" in text, text
    overdue = text.split("超期诉求", 1)[1]
    assert "#4 A01" in overdue and "#5 A01" in overdue and "#6 A01" not in overdue


async def test_only_staff_may_ask_and_only_while_the_issue_is_worked_on(world: World) -> None:
    await reported(world, ZHANG, LAMP)
    refused = await world.reply_to(world.say(LIU, "/ask 1 你是谁？"))
    assert refused.text == world.services.texts.get("zh-Hans", "refused")
    assert not [s for s in world.emu.sent if "❓" in (s.text or "")]
    assert await world.store.pauses.open_for(1) is None
    world.say(LI, "/plan 1 2026-12-15 纳入年底道路改造")
    await world.in_group(A01, "已列入计划")
    wrong = await world.reply_to(world.say(LI, "/ask 1 还有别的问题吗？"))
    assert "已列入计划" in wrong.text  # waiting on the plan already: nothing to pause
    [pause] = await world.store.pauses.of_issue(1)
    assert pause.reason == "planned" and pause.ended_at is None
    usage = await world.reply_to(world.say(LI, "/ask 1"))
    assert "/ask 编号" in usage.text
