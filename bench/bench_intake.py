"""Intake throughput: the real `gridbot run` against a bare python-telegram-bot bot (issue 9).

    python -m bench.bench_intake [--messages 2000] [--groups 200] [--members 1]
                                 [--latency 0.0] [--database-url URL | --postgres]
                                 [--repeat 1] [--count-sql]

Both bots are separate processes polling the same local Bot API emulator (limits off) and,
for every resident message, send two messages (the group acknowledgement and the member's
private notice): the bare bot (bench/floor_bot.py) is the framework floor. Prints wall
times, the ratio (target <= 1.15 on SQLite, <= 1.2 on PostgreSQL), each bot's CPU seconds
(steadier than wall time on a shared machine), per-message latency from post to
acknowledgement (p50/p99), cold start to the first getUpdates (target <= 1 s) and the bot's
peak RSS (target <= 100 MB). --count-sql adds one more gridbot run, untimed, that counts
its SQL statements, transactions and new connections per message (bench/sql_count.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    FIRST_MEMBER,
    GROUP_BASE,
    ROOT,
    Peak,
    bot_env,
    compile_sources,
    first_poll,
    fresh_postgres,
    gridbot,
    populate,
    post_burst,
    quantile,
    reply_latencies,
    stop,
    wait_told,
    write_roster,
)
from bench.sql_count import read_counts
from handlers.emulator.server import BotApiEmulator

# Issue 22's targets: wall time over the bare bot's, seconds to the first poll, megabytes.
RATIO_SQLITE, RATIO_POSTGRES, COLD_START, PEAK_RSS = 1.15, 1.2, 1.0, 100


@dataclass
class Run:
    wall: float
    latency: list[float]
    cold: float
    rss: int
    cpu: float  # the bot's CPU seconds (user + system) from its first poll to the last told
    sql: dict[str, object] = field(default_factory=dict)  # bench/sql_count.py's, if counted


async def measure(emu: BotApiEmulator, process: asyncio.subprocess.Process, spawned: float,
                  messages: int, groups: int) -> Run:  # fmt: skip
    """Post the burst once the bot polls; time until every number is told."""
    cold = await first_poll(emu, spawned)
    rss = Peak(process.pid)
    sampler = asyncio.create_task(rss.sample())
    cpu_before = rss.cpu()
    started = time.monotonic()
    posted = post_burst(emu, messages, groups)
    await wait_told(emu, set(range(1, messages + 1)), 900)
    wall = time.monotonic() - started
    cpu = rss.cpu() - cpu_before
    sampler.cancel()
    await stop(process)
    return Run(wall, reply_latencies(emu, posted), cold, rss.peak, cpu)


async def floor_run(messages: int, groups: int, members: int, latency: float) -> Run:
    """The bare bot: it numbers by update id, which the emulator counts from 1 as well."""
    async with BotApiEmulator() as emu:
        emu.latency = latency
        populate(emu, groups, members)
        spawned = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "floor_bot.py"), emu.base_url, emu.token,
            str(FIRST_MEMBER), str(GROUP_BASE), str(members), cwd=ROOT,
        )  # fmt: skip
        return await measure(emu, process, spawned, messages, groups)


async def gridbot_run(
    messages: int, groups: int, members: int, latency: float, url: str | None,
    count: bool = False,
) -> Run:  # fmt: skip
    """`gridbot run` as its own process, with a roster of `groups` grids; with `count`, its
    SQL counted (the run's times then include the counting's cost)."""
    async with BotApiEmulator() as emu:
        emu.latency = latency
        populate(emu, groups, members)
        with tempfile.TemporaryDirectory() as folder:
            # Like the floor bot, no pacing to Telegram's limits (bench_burst.py measures
            # that): with it, a burst this size is bundled and two messages per report never come.
            env = bot_env(emu, url or f"sqlite:///{folder}/bench.db", GRIDBOT_SEND_LIMITS="off")
            roster = [str(p) for p in write_roster(Path(folder), groups, members)]
            await (await gridbot(["roster", "import", *roster], env)).wait()
            counts = Path(folder) / "sql.json" if count else None
            spawned = time.monotonic()
            process = await gridbot(["run"], env, counts)
            run = await measure(emu, process, spawned, messages, groups)
            if counts is not None:
                run.sql = read_counts(counts)
            return run


def report(args: argparse.Namespace, floor: Run, grid: Run) -> list[str]:
    lines = [
        f"intake of {args.messages} messages over {args.groups} groups "
        f"({args.members} member(s) each), {args.latency * 1000:.0f} ms per Bot API call",
        "".join(f"{h:>9}" for h in ("", "wall s", "msg/s", "p50 ms", "p99 ms", "RSS MB", "CPU s")),
    ]
    lines[-1] = " " * 15 + lines[-1]  # fmt: skip
    for name, run in (("bare PTB (floor)", floor), ("gridbot run", grid)):
        lat = run.latency
        lines.append(f"{name:24}{run.wall:9.2f}{args.messages / run.wall:9.0f}"
                     f"{quantile(lat, 0.5) * 1000:9.0f}{quantile(lat, 0.99) * 1000:9.0f}"
                     f"{run.rss / 2**20:9.0f}{run.cpu:9.2f}")  # fmt: skip
    ratio = RATIO_POSTGRES if args.postgres else RATIO_SQLITE
    lines += [
        f"ratio gridbot / floor: {grid.wall / floor.wall:.2f} (target <= {ratio}; best runs)",
        f"CPU gridbot / floor: {grid.cpu / floor.cpu:.2f} (the bots' own CPU seconds)",
        f"cold start to first getUpdates: {grid.cold:.2f} s (target <= {COLD_START}; "
        f"bare PTB {floor.cold:.2f} s)",
        f"peak RSS of gridbot run: {grid.rss / 2**20:.0f} MB (target <= {PEAK_RSS})",
    ]
    return lines


def sql_lines(messages: int, counted: Run) -> list[str]:
    """Per message, what the counted run asked of the database (start and stop included)."""

    def per(key: str) -> float:
        value = counted.sql.get(key, 0)
        return value / messages if isinstance(value, int) else 0.0

    connections = counted.sql.get("connections", 0)
    lines = [f"SQL per message: {per('statements'):.2f} statements, {per('transactions'):.2f} "
             f"transactions; {connections} new connections over the run"]  # fmt: skip
    by_statement = counted.sql.get("by_statement", {})
    if isinstance(by_statement, dict):
        lines += [f"  {n:6d}  {sql}" for sql, n in list(by_statement.items())[:12]]
    return lines


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parse.add_argument("--messages", type=int, default=2000)
    parse.add_argument("--groups", type=int, default=200)
    parse.add_argument("--members", type=int, default=1, help="members per grid")
    parse.add_argument("--repeat", type=int, default=1, help="pairs of runs; best of each")
    parse.add_argument("--latency", type=float, default=0.0, help="seconds per Bot API call")
    parse.add_argument("--database-url", help="default: SQLite in a temporary directory")
    parse.add_argument(
        "--postgres", action="store_true", help="a fresh database on GRIDBOT_BENCH_POSTGRES"
    )
    parse.add_argument(
        "--count-sql", action="store_true", help="one more, untimed run counting its SQL"
    )
    return parse


async def one_pair(args: argparse.Namespace) -> tuple[Run, Run]:
    """The floor, then gridbot, on the same sizes."""
    floor = await floor_run(args.messages, args.groups, args.members, args.latency)
    return floor, await one_gridbot(args)


async def one_gridbot(args: argparse.Namespace, count: bool = False) -> Run:
    sizes = (args.messages, args.groups, args.members, args.latency)
    if not args.postgres:
        return await gridbot_run(*sizes, args.database_url, count)
    async with fresh_postgres("gridbot_bench_intake") as url:
        return await gridbot_run(*sizes, url, count)


async def main(argv: list[str] | None = None) -> list[str]:
    """Pairs run in turn; the table shows each bot's fastest run. This machine's speed
    drifts by half within minutes, and the fastest run is the one least slowed by that."""
    args = parser().parse_args(argv)
    compile_sources()
    pairs = [await one_pair(args) for _ in range(args.repeat)]
    floor = min((f for f, _ in pairs), key=lambda run: run.wall)
    grid = min((g for _, g in pairs), key=lambda run: run.wall)
    lines = report(args, floor, grid)
    if args.repeat > 1:
        each = ", ".join(f"{g.wall / f.wall:.2f}" for f, g in pairs)
        lines.append(f"each pair's ratio: {each}; walls floor "
                     f"{', '.join(f'{f.wall:.1f}' for f, _ in pairs)} s, gridbot "
                     f"{', '.join(f'{g.wall:.1f}' for _, g in pairs)} s")  # fmt: skip
    if args.count_sql:
        lines += sql_lines(args.messages, await one_gridbot(args, count=True))
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    asyncio.run(main())
