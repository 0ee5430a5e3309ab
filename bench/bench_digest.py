"""Weekly digests for 1,505 grids over 100,000 issues: generated, not sent (issue 9).

    python bench/bench_digest.py [--issues 100000] [--grids 1505] [--no-postgres]

Prints the seconds to build every grid's digest (texts and chart specs, from GROUP BY
queries) and the coordinators' digests, on SQLite and on PostgreSQL; the target is 5 s.
Charts are drawn when each message is sent (bot/reports/charts.py); the cost of one is printed too.
PostgreSQL: GRIDBOT_BENCH_POSTGRES or postgresql://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.reports.charts import ChartLabels, digest_chart
from bot.reports.digest import Window, weekly_messages
from bot.reports.oversight import coordinator_messages
from bot.services import build_services
from storage import provision as admin
from storage.bulk import insert_rows

PG_URL = os.environ.get("GRIDBOT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
AT = datetime(2026, 11, 19, 7, 0, tzinfo=UTC)  # Thursday 15:00 in Shanghai
CATEGORIES = ["市政设施", "环境卫生", "物业管理", "交通出行", "治安安全", "邻里纠纷", "教育文体",
              "医疗卫生", "社会保障", "农业农村", "其他"]  # fmt: skip
STATUSES = [("closed", 50), ("resolved", 5), ("new", 10), ("taken", 5), ("in_progress", 15),
            ("planned", 5), ("escalated", 5), ("rejected", 3), ("merged", 2)]  # fmt: skip
VERDICTS = [("satisfied", "满意"), ("satisfied", "基本满意"), ("unsatisfied", "不满意")]


def roster(grids: int, members: int) -> tuple[list[dict[str, Any]], ...]:
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


async def seed(url: str, grids: int, members: int, count: int) -> None:
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}))
    try:
        db = services.store.db
        grid_rows, member_rows, links = roster(grids, members)
        issues, events = issue_rows(count, grids, members)
        for table, rows in (("grids", grid_rows), ("members", member_rows),
                            ("member_grids", links), ("issues", issues),
                            ("issue_events", events)):  # fmt: skip
            await insert_rows(db, table, rows)
    finally:
        await services.close()


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
    started = time.perf_counter()
    for n in range(times):
        digest_chart(labels, (n, 3, 7, 2), {"市政设施": n, "环境卫生": 2, "物业管理": 1})
    return (time.perf_counter() - started) / times


async def run_backend(name: str, url: str, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    await seed(url, args.grids, 208, args.issues)
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
    with tempfile.TemporaryDirectory() as folder:
        await run_backend("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", args)
    reason = None if args.no_postgres else await admin.server_answers(PG_URL)
    if args.no_postgres or reason:
        print(f"postgresql: skipped ({reason or '--no-postgres'})")
    else:
        name = f"gridbot_bench_{os.getpid()}"
        url = await admin.create_database(PG_URL, name)
        try:
            await run_backend("postgresql", url, args)
        finally:
            await admin.drop_database(PG_URL, name)
    per_chart = chart_seconds()
    print(f"chart PNG (drawn when sent): {per_chart * 1000:.0f} ms each, "
          f"{per_chart * args.grids:.0f} s of sender time for {args.grids} grids")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
