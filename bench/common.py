"""What the benchmarks share: the emulated world, its roster, residents' problems, and the
measures (who has been told what, peak memory, quantiles)."""

from __future__ import annotations

import asyncio
import csv
import os
import re
import statistics
import sys
import time
from pathlib import Path

import psutil

from handlers.emulator.server import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
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


async def gridbot(args: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start `gridbot ARGS...` (the console command's module) as its own process."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "handlers.cli", *args, env=env, cwd=ROOT,
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
