"""The web app at county scale: 1,505 grids and 100,000 issues (issue 21).

    python -m bench.bench_web [--issues 100000] [--grids 1505] [--repeat 7] [--no-postgres]

Seeds the same county as bench_digest (storage/bulk.py), serves the web app on a free port
and asks it over HTTP, as the page does (Authorization: tma <initData>), for the overview
and for issue lists, as the coordinator of every grid and as one member; the figure per
request is the median of --repeat answers (and the slowest). Target: <= 300 ms each, on
SQLite and PostgreSQL. PostgreSQL: GRIDBOT_BENCH_POSTGRES or postgres on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from functools import partial

import aiohttp

from bench.common import AT, on_each_backend, seed_county
from bot.config import load_settings
from bot.services import build_services
from handlers.web.auth import sign_init_data
from handlers.web.server import serving
from storage import bulk

TOKEN = "123456:BENCH-TOKEN"
LIMIT_MS = 300
COORDINATOR, MEMBER = 9000, 5001  # bench_digest's roster: the coordinator oversees all
KEY = "bench-key"
# (name, path, who, target?): what the page asks for; Open311 is shown, not targeted.
REQUESTS = (
    ("overview, coordinator of all grids", "/api/overview?days=28", COORDINATOR, True),
    ("overview, 3 months", "/api/overview?days=91", COORDINATOR, True),
    ("issues, first page", "/api/issues", COORDINATOR, True),
    ("issues, open of one category, 4 weeks", "/api/issues?category=市政设施&status=open&days=28",
     COORDINATOR, True),
    ("issues, overdue", "/api/issues?overdue=1", COORDINATOR, True),
    ("issues, text search", "/api/issues?q=路灯", COORDINATOR, True),
    ("issues, one grid, page 3", "/api/issues?grid=G0700&page=3", COORDINATOR, True),
    ("overview, one member", "/api/overview", MEMBER, True),
    ("one timeline", "/api/issues/{middle}", COORDINATOR, True),
    ("open311 requests.json (90 days, <= 1000)", f"/open311/v2/requests.json?api_key={KEY}",
     None, False),
)  # fmt: skip


def init_data(telegram_id: int) -> str:
    user = json.dumps({"id": telegram_id, "first_name": "bench"}, separators=(",", ":"))
    return sign_init_data({"auth_date": str(int(AT.timestamp())), "user": user}, TOKEN)


async def measure(url: str, repeat: int, issues: int) -> list[tuple[str, float, float, bool, int]]:
    env = {"GRIDBOT_DATABASE_URL": url, "GRIDBOT_OPEN311_KEYS": KEY}
    services = await build_services(load_settings(env=env), clock=lambda: AT)
    found = []
    try:
        async with (
            serving(services, TOKEN, "127.0.0.1", 0) as port,
            aiohttp.ClientSession() as http,
        ):
            for name, pattern, who, target in REQUESTS:
                path = pattern.format(middle=issues // 2)
                headers = {"Authorization": "tma " + init_data(who)} if who else {}
                times, status = [], 0
                for _ in range(repeat + 1):  # the first warms caches; it is not counted
                    started = time.perf_counter()
                    async with http.get(f"http://127.0.0.1:{port}{path}", headers=headers) as r:
                        await r.read()
                        status = r.status
                    times.append(time.perf_counter() - started)
                times = times[1:]
                found.append((name, statistics.median(times) * 1000, max(times) * 1000, target,
                              status))  # fmt: skip
    finally:
        await services.close()
    return found


async def settle(url: str) -> None:
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}))
    try:
        await bulk.settle(services.store.db)
    finally:
        await services.close()


async def run_backend(name: str, url: str, *, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    await seed_county(url, args.grids, 208, args.issues)
    await settle(url)
    print(f"{name}: seeded {args.grids} grids, {args.issues} issues in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    rows = await measure(url, args.repeat, args.issues)
    worst = max(median for _, median, _, target, _ in rows if target)
    for label, median, slowest, target, status in rows:
        mark = ("ok" if median <= LIMIT_MS and status == 200 else "OVER") if target else "-"
        print(f"  {label:<44} {median:7.1f} ms median, {slowest:7.1f} ms slowest "
              f"(HTTP {status}) [{mark}]")  # fmt: skip
    verdict = "ok" if worst <= LIMIT_MS else f"OVER the {LIMIT_MS} ms target"
    print(f"{name}: web app slowest median {worst:.1f} ms [{verdict}]")


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--grids", type=int, default=1505)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    await on_each_backend("gridbot_bench_web", args.no_postgres, partial(run_backend, args=args))


if __name__ == "__main__":
    asyncio.run(main())
