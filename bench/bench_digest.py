"""Weekly digests for 1,505 grids over 100,000 issues: generated, not sent (issue 9).

    python bench/bench_digest.py [--issues 100000] [--grids 1505] [--no-postgres]

Prints the seconds to build every grid's digest (texts and chart specs, from GROUP BY
queries) and the coordinators' digests, on SQLite and on PostgreSQL; the target is 5 s.
Charts are drawn by the sender's drawer before each is sent (bot/reports/charts.py); the cost of
one, with its eight weeks' trend, is printed too.
PostgreSQL: GRIDBOT_BENCH_POSTGRES or postgresql://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from functools import partial

from bench.common import AT, on_each_backend, seed_county
from bot.config import load_settings
from bot.reports.charts import ChartLabels, digest_chart
from bot.reports.digest import Window, weekly_messages
from bot.reports.oversight import coordinator_messages
from bot.services import build_services


async def measure(url: str) -> tuple[float, float, int]:
    services = await build_services(
        load_settings(env={"GRIDBOT_DATABASE_URL": url}), clock=lambda: AT
    )
    try:
        grids = await services.store.grids.all()
        window = Window.ending(AT, services.settings.timezone)
        started = time.perf_counter()
        group = await weekly_messages(services, window, grids)
        groups_done = time.perf_counter()
        private = await coordinator_messages(services, window, grids)
        finished = time.perf_counter()
    finally:
        await services.close()
    return groups_done - started, finished - groups_done, len(group) + len(private)


def chart_seconds(times: int = 20) -> float:
    labels = ChartLabels("本周概况", "本周新增（按类别）", "新增", "解决", "未办结", "超期", "无")
    digest_chart(labels, (1, 1, 1, 1), {"市政设施": 1})  # the font is loaded once
    trend = [(f"11/{day}", day % 7, day % 5) for day in range(1, 29, 4)]
    started = time.perf_counter()
    for n in range(times):
        categories = {"市政设施": n, "环境卫生": 2, "物业管理": 1}
        digest_chart(labels, (n, 3, 7, 2), categories, trend)
    return (time.perf_counter() - started) / times


async def run_backend(name: str, url: str, *, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    await seed_county(url, args.grids, 208, args.issues)
    print(f"{name}: seeded {args.grids} grids, {args.issues} issues in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    groups, coordinators, messages = await measure(url)
    verdict = "ok" if groups + coordinators <= 5.0 else "OVER the 5 s target"
    print(f"{name}: weekly digests for {args.grids} grids: {groups:.2f} s; coordinators' digest: "
          f"{coordinators:.2f} s; total {groups + coordinators:.2f} s ({messages} messages) "
          f"[{verdict}]")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--grids", type=int, default=1505)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    await on_each_backend(
        "gridbot_bench_digest", args.no_postgres, partial(run_backend, args=args)
    )
    per_chart = chart_seconds()
    print(f"chart PNG (drawn before it is sent): {per_chart * 1000:.0f} ms each, "
          f"{per_chart * args.grids:.0f} s of drawing for {args.grids} grids")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
