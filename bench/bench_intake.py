"""Intake throughput: the real `gridbot run` against a bare python-telegram-bot bot (issue 9).

    python bench/bench_intake.py [--messages 2000] [--groups 200] [--latency 0.0]

Both bots poll the same local Bot API emulator and, for every resident message, send two
messages (the group acknowledgement and the member's private notice): the bare bot is the
framework floor. Prints wall times, the ratio (target <= 1.5), per-message latency from
post to acknowledgement (p50/p99), cold start to the first getUpdates (target <= 2 s) and
the bot's peak RSS (target <= 150 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from handlers.emulator import BotApiEmulator

RESIDENT = 1001
FIRST_MEMBER = 5000


def group_id(index: int) -> int:
    return -1002000000000 - index


def write_roster(folder: Path, groups: int) -> list[Path]:
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
            out.writerow([f"委员{i}", FIRST_MEMBER + i, "member", "", "市政", f"G{i:04d}"])
    return [grids, members]


def world(emu: BotApiEmulator, groups: int) -> None:
    emu.add_user(RESIDENT, "张阿姨")
    for i in range(groups):
        emu.add_group(group_id(i), f"第{i}网格群")
        emu.add_user(FIRST_MEMBER + i, f"委员{i}")
        emu.start_private(FIRST_MEMBER + i)


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


def post_burst(emu: BotApiEmulator, messages: int, groups: int) -> dict[tuple[int, int], float]:
    posted = {}
    for n in range(messages):
        chat = group_id(n % groups)
        text = PROBLEMS[(n // groups) % len(PROBLEMS)].format(b=n % 30 + 1)
        message = emu.post_message(chat, RESIDENT, text)
        posted[(chat, message["message_id"])] = time.monotonic()
    return posted


def numbers_told(emu: BotApiEmulator) -> tuple[set[int], set[int]]:
    """Issue numbers acknowledged in groups, and issue numbers members were told privately."""
    groups: set[int] = set()
    members: set[int] = set()
    for sent in emu.sent:
        found = {int(n) for n in re.findall(r"#(\d+)", sent.text or "")}
        (groups if sent.chat_id < 0 else members).update(found)
    return groups, members


async def wait_told(emu: BotApiEmulator, count: int, timeout: float) -> None:
    """Until every issue number is acknowledged in its group and known to its member."""
    wanted = set(range(1, count + 1))
    deadline = time.monotonic() + timeout
    while True:
        groups, members = numbers_told(emu)
        if wanted <= groups and wanted <= members:
            return
        if time.monotonic() > deadline:
            missing = len(wanted - groups) + len(wanted - members)
            raise SystemExit(f"{missing} acknowledgements or notices missing after {timeout}s")
        await asyncio.sleep(0.02)


def latencies(emu: BotApiEmulator, posted: dict[tuple[int, int], float]) -> list[float]:
    return [
        s.at - posted[(s.chat_id, s.reply_to_message_id)]
        for s in emu.sent
        if s.reply_to_message_id is not None and (s.chat_id, s.reply_to_message_id) in posted
    ]


async def floor_run(messages: int, groups: int, latency: float) -> dict[str, Any]:
    """A bare PTB bot: reply in the group and tell the member privately, nothing else."""

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        index = -1002000000000 - message.chat_id
        await message.reply_text(f"已受理 #{update.update_id}【市政设施】")
        await context.bot.send_message(FIRST_MEMBER + index, f"新诉求 #{update.update_id}")

    async with BotApiEmulator() as emu:
        emu.latency = latency
        world(emu, groups)
        app = Application.builder().token(emu.token).base_url(emu.base_url)
        application = app.concurrent_updates(16).build()
        application.add_handler(MessageHandler(filters.TEXT, handle))
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            started = time.monotonic()
            posted = post_burst(emu, messages, groups)
            await wait_told(emu, messages, 600)
            wall = time.monotonic() - started
            await application.updater.stop()
            await application.stop()
        return {"wall": wall, "latency": latencies(emu, posted)}


async def gridbot_run(messages: int, groups: int, latency: float) -> dict[str, Any]:
    """`gridbot run` as a separate process, with a roster of `groups` grids."""
    async with BotApiEmulator() as emu:
        emu.latency = latency
        world(emu, groups)
        with tempfile.TemporaryDirectory() as folder:
            db = f"sqlite:///{folder}/bench.db"
            # Like the floor bot, no pacing to Telegram's limits (bench_burst.py measures that):
            # with it, a burst this size is bundled and two messages per report never come.
            env = {**os.environ, "GRIDBOT_DATABASE_URL": db, "GRIDBOT_TELEGRAM_API": emu.base_url,
                   "TELEGRAM_BOT_TOKEN": emu.token, "GRIDBOT_SEND_LIMITS": "off"}  # fmt: skip
            roster = [str(p) for p in write_roster(Path(folder), groups)]
            await run_cli(["roster", "import", *roster], env)
            spawned = time.monotonic()
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "handlers.cli", "run", env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            cold = await first_poll(emu, spawned)
            rss = Peak(bot.pid)
            sampler = asyncio.create_task(rss.sample())
            started = time.monotonic()
            posted = post_burst(emu, messages, groups)
            await wait_told(emu, messages, 600)
            wall = time.monotonic() - started
            sampler.cancel()
            bot.terminate()
            await bot.wait()
    return {"wall": wall, "latency": latencies(emu, posted), "cold": cold, "rss": rss.peak}


async def run_cli(args: list[str], env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "handlers.cli", *args, env=env,
        stdout=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await process.wait()


async def first_poll(emu: BotApiEmulator, spawned: float) -> float:
    while not any(method == "getUpdates" for method, _ in emu.calls):
        await asyncio.sleep(0.005)
    return time.monotonic() - spawned


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


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] if len(values) > 1 else 0.0


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per Bot API call")
    args = parser.parse_args()
    floor = await floor_run(args.messages, args.groups, args.latency)
    grid = await gridbot_run(args.messages, args.groups, args.latency)
    ratio = grid["wall"] / floor["wall"]
    print(f"intake of {args.messages} messages over {args.groups} groups, "
          f"latency {args.latency * 1000:.0f} ms per call")  # fmt: skip
    print(f"{'':24}{'wall s':>9}{'msg/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, run in (("bare PTB (floor)", floor), ("gridbot run", grid)):
        lat = run["latency"]
        print(f"{name:24}{run['wall']:9.2f}{args.messages / run['wall']:9.0f}"
              f"{quantile(lat, 0.5) * 1000:9.0f}{quantile(lat, 0.99) * 1000:9.0f}")  # fmt: skip
    print(f"ratio gridbot / floor: {ratio:.2f} (target <= 1.5)")
    print(f"cold start to first getUpdates: {grid['cold']:.2f} s (target <= 2)")
    print(f"peak RSS of gridbot run: {grid['rss'] / 2**20:.0f} MB (target <= 150)")


if __name__ == "__main__":
    asyncio.run(main())
