"""What the benchmarks share: the emulated world, its roster, residents' problems, a county
seeded straight into the tables, a fresh PostgreSQL database, and the measures (who has
been told what, peak memory, quantiles)."""

from __future__ import annotations

import asyncio
import compileall
import csv
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil

from bot.config import load_settings
from bot.services import build_services
from handlers.emulator.server import BotApiEmulator, SentMessage
from storage import provision
from storage.bulk import insert_rows

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("GRIDBOT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
FIRST_MEMBER, FIRST_RESIDENT = 5000, 9000
RESIDENTS_PER_GROUP = 5
GROUP_BASE = -1002000000000
EXPERTISE = ("市政;物业;交通;治安;农业", "医疗;社保;教育;环境;邻里")
# Different problems, so that no message is taken as a near-duplicate of another in its grid.
PROBLEMS = [
    "{b}号楼门口的路灯坏了好几天了，晚上黑漆漆的",
    "小区东门的垃圾桶满了没人清，臭得不行",
    "{b}单元电梯又坏了，老人上下楼太难了",
    "楼顶漏水，{b}楼家里墙都泡了",
    "菜市场旁边的下水道堵了，污水流到路上",
    "公交站的站牌被撞歪了，好久没人修",
    "楼下有人天天在楼道里给电动车充电，太危险了",
    "隔壁装修从早上七点敲到晚上十点，吵得孩子没法睡",
    "我家老人的养老金这个月还没到账",
    "小区的健身器材螺丝松了，孩子玩的时候差点摔倒",
    "村里的灌溉渠好几段塌了，秧田放不了水",
    "社区卫生服务站的疫苗一直约不上",
]


# Unlike any of the reports of a benchmark, so that none is taken as its near-duplicate.
WARM_UP = "小区北门的消防通道被私家车堵死了，救护车进不来"


def group_id(index: int) -> int:
    return GROUP_BASE - index


def member_id(group: int, k: int = 0, per_group: int = 1) -> int:
    return FIRST_MEMBER + per_group * group + k


def write_roster(folder: Path, groups: int, per_group: int = 1) -> list[Path]:
    """grids.csv and members.csv: one grid per group, `per_group` members in each."""
    grids, members = folder / "grids.csv", folder / "members.csv"
    with grids.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "community", "street", "district", "chat_id"])
        for i in range(groups):
            out.writerow([f"G{i:04d}", f"第{i}网格", f"社区{i // 10}", "街道", "区", group_id(i)])
    with members.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "telegram_id", "role", "sector", "expertise", "grids"])
        for i in range(groups):
            for k in range(per_group):
                out.writerow([f"委员{i}-{k}", member_id(i, k, per_group), "member", "",
                              EXPERTISE[k % 2], f"G{i:04d}"])  # fmt: skip
    return [grids, members]


def populate(emu: BotApiEmulator, groups: int, per_group: int = 1) -> None:
    """The groups, their members (who have started the bot) and five residents a group."""
    for i in range(groups):
        emu.add_group(group_id(i), f"第{i}网格群")
        for k in range(per_group):
            emu.add_user(member_id(i, k, per_group), f"委员{i}-{k}")
            emu.start_private(member_id(i, k, per_group))
    for r in range(groups * RESIDENTS_PER_GROUP):
        emu.add_user(FIRST_RESIDENT + r, f"居民{r}")


def post_burst(emu: BotApiEmulator, messages: int, groups: int) -> dict[tuple[int, int], float]:
    """Residents report `messages` problems round-robin over the groups; when each was posted."""
    posted = {}
    for n in range(messages):
        group, round_ = n % groups, n // groups
        resident = FIRST_RESIDENT + group * RESIDENTS_PER_GROUP + n % RESIDENTS_PER_GROUP
        text = PROBLEMS[round_ % len(PROBLEMS)].format(b=round_ % 30 + 1)
        message = emu.post_message(group_id(group), resident, text)
        posted[(group_id(group), message["message_id"])] = time.monotonic()
    return posted


async def warm_up(emu: BotApiEmulator) -> None:
    """One report answered before what is measured: a bot meets a Thursday's wave or a
    burst having sent before. A process's very first sends took 0.6 s more (its
    connections, its send path's first run, its classifier still being built), which
    belongs to the cold start, measured on its own (bench_intake)."""
    first = emu.post_message(group_id(0), FIRST_RESIDENT, WARM_UP)
    await emu.wait_for(lambda s: s.reply_to_message_id == first["message_id"], 30)
    await emu.wait_idle(quiet=0.5, timeout=30)


def numbers_told(emu: BotApiEmulator) -> tuple[set[int], set[int]]:
    """Issue numbers acknowledged in groups, and issue numbers members were told privately."""
    groups: set[int] = set()
    members: set[int] = set()
    for sent in emu.sent:
        found = {int(n) for n in re.findall(r"#(\d+)", sent.text or "")}
        (groups if sent.chat_id < 0 else members).update(found)
    return groups, members


async def wait_told(emu: BotApiEmulator, wanted: set[int], timeout: float) -> None:
    """Until every number is acknowledged in its group and known to its member."""
    deadline = time.monotonic() + timeout
    while True:
        groups, members = numbers_told(emu)
        if wanted <= groups and wanted <= members:
            return
        if time.monotonic() > deadline:
            missing = len(wanted - groups) + len(wanted - members)
            raise SystemExit(f"{missing} acknowledgements or notices missing after {timeout}s")
        await asyncio.sleep(0.02)


def reply_latencies(emu: BotApiEmulator, posted: dict[tuple[int, int], float]) -> list[float]:
    """Seconds from each resident's post to the bot's reply to it."""
    return [
        s.at - posted[(s.chat_id, s.reply_to_message_id)]
        for s in emu.sent
        if s.reply_to_message_id is not None and (s.chat_id, s.reply_to_message_id) in posted
    ]


def least_time(sent: Sequence[SentMessage]) -> float:
    """Seconds from the first send to the last that Telegram's limits make unavoidable: n
    sends under k per span need floor((n - 1) / k) spans, overall and in each chat."""
    per_chat = Counter(s.chat_id for s in sent)
    spans = [(len(sent), 30, 1.0)] + [
        (n, 20, 60.0) if chat < 0 else (n, 1, 1.0) for chat, n in per_chat.items()
    ]
    return max(((n - 1) // k * span for n, k, span in spans if n), default=0.0)


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] if len(values) > 1 else 0.0


class Peak:
    """Samples a process's resident memory; keeps the highest."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0

    async def sample(self) -> None:
        while True:
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            await asyncio.sleep(0.05)

    def cpu(self) -> float:
        """CPU seconds the process has used so far: on a shared machine a steadier
        measure of its own cost than wall time."""
        times = self.process.cpu_times()
        return times.user + times.system


def bot_env(emu: BotApiEmulator, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `gridbot` process talking to this emulator.

    Quiet hours are off: a benchmark measures pace, and at night the members' notices it
    waits for would otherwise wait for the morning (the process runs on the wall clock)."""
    return {**os.environ, "GRIDBOT_DATABASE_URL": database_url,
            "GRIDBOT_TELEGRAM_API": emu.base_url, "TELEGRAM_BOT_TOKEN": emu.token,
            "GRIDBOT_QUIET_HOURS": "00:00-00:00", "PYTHONPATH": str(ROOT), **extra}  # fmt: skip


def compile_sources() -> None:
    """Write the project's bytecode before anything is timed. An installed gridbot has it
    (`pip install .`, as deploy/Containerfile does, compiles every module); an editable
    checkout under PYTHONDONTWRITEBYTECODE=1 would compile about 140 modules from source at
    every start (0.1 s of a 1 s start), which no deployment pays."""
    for package in ("bot", "handlers", "storage"):
        compileall.compile_dir(ROOT / package, quiet=1)


async def gridbot(
    args: list[str], env: dict[str, str], count_into: Path | None = None
) -> asyncio.subprocess.Process:
    """Start `gridbot ARGS...` (the console command's module) as its own process; with
    `count_into`, its SQL is counted into that file (bench/sql_count.py)."""
    command = ["-m", "handlers.cli"] if count_into is None else [
        "-m", "bench.sql_count", str(count_into)]  # fmt: skip
    return await asyncio.create_subprocess_exec(
        sys.executable, *command, *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def first_poll(emu: BotApiEmulator, spawned: float, timeout: float = 60) -> float:
    """Seconds from spawning a bot until its first getUpdates reached the emulator."""
    while not any(method == "getUpdates" for method, _ in emu.calls):
        if time.monotonic() - spawned > timeout:
            raise SystemExit("the bot never polled")
        await asyncio.sleep(0.005)
    return time.monotonic() - spawned


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
    await process.wait()


async def on_each_backend(
    prefix: str, no_postgres: bool, run: Callable[[str, str], Awaitable[None]]
) -> None:
    """`run(name, url)` on SQLite in a temporary folder, then on a fresh PostgreSQL database
    (said to be skipped when the server does not answer or --no-postgres)."""
    with tempfile.TemporaryDirectory() as folder:
        await run("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}")
    reason = None if no_postgres else await provision.server_answers(PG_URL)
    if no_postgres or reason:
        print(f"postgresql: skipped ({reason or '--no-postgres'})")
        return
    async with fresh_postgres(prefix) as url:
        await run("postgresql", url)


@asynccontextmanager
async def fresh_postgres(name: str) -> AsyncIterator[str]:
    """A new database on GRIDBOT_BENCH_POSTGRES for one run, dropped afterwards."""
    url = await provision.create_database(PG_URL, f"{name}_{os.getpid()}")
    try:
        yield url
    finally:
        await provision.drop_database(PG_URL, f"{name}_{os.getpid()}")


# A county (bench_digest, bench_web, bench_wave, bench_city): grids, members, issues and
# ratings written straight into the tables (storage/bulk.py), as three months would leave them.
AT = datetime(2026, 11, 19, 7, 0, tzinfo=UTC)  # Thursday 15:00 in Shanghai
CATEGORIES = ["市政设施", "环境卫生", "物业管理", "交通出行", "治安安全", "邻里纠纷", "教育文体",
              "医疗卫生", "社会保障", "农业农村", "其他"]  # fmt: skip
STATUSES = [("closed", 50), ("resolved", 5), ("new", 10), ("taken", 5), ("in_progress", 15),
            ("planned", 5), ("escalated", 5), ("rejected", 3), ("merged", 2)]  # fmt: skip
VERDICTS = [("satisfied", "满意"), ("satisfied", "基本满意"), ("unsatisfied", "不满意")]


def county_roster(grids: int, members: int) -> tuple[list[dict[str, Any]], ...]:
    grid_rows = [
        {"id": g, "code": f"G{g:04d}", "name": f"第{g}网格", "community": f"社区{g // 20}",
         "chat_id": -1002000000000 - g}
        for g in range(1, grids + 1)
    ]  # fmt: skip
    member_rows = [
        {"id": m, "telegram_id": 5000 + m, "name": f"委员{m}", "role": "member",
         "reachable": m % 7 != 0}
        for m in range(1, members + 1)
    ]  # fmt: skip
    member_rows.append(
        {
            "id": members + 1,
            "telegram_id": 9000,
            "name": "召集人",
            "role": "coordinator",
            "reachable": True,
        }
    )
    links = [{"member_id": 1 + (g % members), "grid_id": g} for g in range(1, grids + 1)]
    return grid_rows, member_rows, links


def issue_rows(count: int, grids: int, members: int) -> tuple[list[dict[str, Any]], list[Any]]:
    chooser = random.Random(2026)
    statuses, weights = zip(*STATUSES, strict=True)
    issues, events = [], []
    for n in range(1, count + 1):
        grid = chooser.randint(1, grids)
        status = chooser.choices(statuses, weights)[0]
        created = AT - timedelta(minutes=chooser.randint(0, 91 * 24 * 60))
        row: dict[str, Any] = {
            "id": n, "grid_id": grid, "category": chooser.choice(CATEGORIES), "status": status,
            "text": f"第{n}号诉求：路灯不亮，垃圾没人清", "reporter_id": 100000 + n % 5000,
            "reporter_name": "居民", "assignee_id": 1 + (grid % members),
            "chat_id": -1002000000000 - grid, "message_id": n, "created_at": created,
            "respond_by": created + timedelta(hours=24), "solve_by": created + timedelta(days=7),
            "taken_at": None, "resolved_at": None, "closed_at": None, "rating": None,
        }  # fmt: skip
        if status != "new":
            row["taken_at"] = created + timedelta(hours=chooser.uniform(0.5, 48))
        if status in ("resolved", "closed"):
            row["resolved_at"] = created + timedelta(days=chooser.uniform(1, 10))
        if status in ("closed", "rejected", "merged"):
            row["closed_at"] = created + timedelta(days=chooser.uniform(2, 12))
        if status == "closed" and chooser.random() < 0.8:
            action, verdict = chooser.choice(VERDICTS)
            row["rating"] = verdict
            events.append(
                {"issue_id": n, "at": row["closed_at"], "action": action, "note": verdict}
            )
        issues.append(row)
    return issues, events


async def seed_county(url: str, grids: int, members: int, count: int) -> None:
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}))
    try:
        db = services.store.db
        grid_rows, member_rows, links = county_roster(grids, members)
        issues, events = issue_rows(count, grids, members)
        for table, rows in (("grids", grid_rows), ("members", member_rows),
                            ("member_grids", links), ("issues", issues),
                            ("issue_events", events)):  # fmt: skip
            await insert_rows(db, table, rows)
    finally:
        await services.close()
