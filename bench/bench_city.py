"""City scale, simulated (issue 22): two `gridbot run --webhook` workers on one PostgreSQL
database behind one endpoint, residents reporting at a steady rate, Telegram's limits on.

    python -m bench.bench_city [--grids 20000] [--issues 200000] [--rate 50] [--seconds 120]
                               [--workers 2] [--digest-wait 0]

The county is seeded straight into the tables (bench/common.py), the emulator pushes every
update to one endpoint (a round-robin proxy here) in front of the workers, and answers 429
beyond 30 messages/s overall, 20/min a group and 1/s a private chat. Prints: reports
posted, stored (each once), acknowledged (p50, p99 from post to reply), nothing lost; then
the weekly digest for every grid: how long generating it took, how many messages it owes
and how long they take at 30 messages/s, and (with --digest-wait) how many were sent.
The full scale is heavy for a small shared machine: every size is a parameter, and the
printout says which ran.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import time
from collections import Counter

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from bench.common import (
    AT,
    PROBLEMS,
    bot_env,
    fresh_postgres,
    gridbot,
    quantile,
    reply_latencies,
    seed_county,
    stop,
)
from bot.config import load_settings
from bot.schedules import jobs
from bot.services import build_services
from handlers.emulator.server import BotApiEmulator
from storage.schema import issues

SECRET = "bench-city-secret"
FIRST_PORT = 18600
RESIDENTS = 5000


def chat_of(grid: int) -> int:
    return -1002000000000 - grid  # bench/common.py county_roster's chats


def populate_county(emu: BotApiEmulator, grids: int, members: int) -> None:
    for g in range(1, grids + 1):
        emu.add_group(chat_of(g), f"第{g}网格群")
    for m in range(1, members + 1):
        emu.add_user(5000 + m, f"委员{m}")
        emu.start_private(5000 + m)
    for r in range(RESIDENTS):
        emu.add_user(200000 + r, f"居民{r}")


async def endpoint(ports: list[int]) -> web.AppRunner:
    """One URL for the emulator's pushes, handed round-robin to the workers."""
    turn = itertools.cycle(ports)
    session = aiohttp.ClientSession()

    async def forward(request: web.Request) -> web.Response:
        body, headers = await request.read(), {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        for _ in ports:  # a worker not up yet: the next one
            try:
                async with session.post(f"http://127.0.0.1:{next(turn)}/telegram", data=body,
                                        headers=headers) as answer:  # fmt: skip
                    return web.Response(status=answer.status, text=await answer.text())
            except aiohttp.ClientError:
                continue
        return web.Response(status=502, text="no worker")

    app = web.Application()
    app.router.add_post("/telegram", forward)
    app.on_cleanup.append(lambda _: session.close())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", FIRST_PORT).start()
    return runner


async def report_steadily(emu: BotApiEmulator, grids: int, rate: float, seconds: float
                          ) -> dict[tuple[int, int], float]:  # fmt: skip
    # Each report into a group that has had none yet (while there are such): reports in one
    # group alike enough would be taken as near-duplicates, and seconded, not stored.
    order = random.Random(22).sample(range(1, grids + 1), grids)
    posted, started = {}, time.monotonic()
    for n in itertools.count():
        due = started + n / rate
        if due > started + seconds:
            return posted
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        chat = chat_of(order[n % grids])
        text = PROBLEMS[n % len(PROBLEMS)].format(b=n % 30 + 1) + f"（{n}）"
        message = emu.post_message(chat, 200000 + n % RESIDENTS, text)
        posted[(chat, message["message_id"])] = time.monotonic()
    return posted


async def confirmed_all(emu: BotApiEmulator, timeout: float) -> float:
    """Seconds until the workers confirmed every update (stored it), at most `timeout`."""
    started = time.monotonic()
    while emu.unconfirmed() and time.monotonic() - started < timeout:
        await asyncio.sleep(0.5)
    return time.monotonic() - started


async def stored(url: str, posted: dict[tuple[int, int], float]) -> Counter[tuple[int, int]]:
    """How many issues each posted report became."""
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}))
    try:
        async with services.store.db.read() as conn:
            rows = await conn.execute(
                select(issues.c.chat_id, issues.c.message_id, func.count())
                .where(issues.c.id > ISSUE_BASE[0])
                .group_by(issues.c.chat_id, issues.c.message_id)
            )
            return Counter({(c, m): n for c, m, n in rows if (c, m) in posted})
    finally:
        await services.close()


ISSUE_BASE = [0]  # the seeded issues' highest number


async def generate_digests(url: str) -> tuple[int, float, int, int]:
    """Every grid's weekly digest queued: (digests, seconds, messages owed, the mark)."""
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}),
                                    clock=lambda: AT)  # fmt: skip
    try:
        mark = await services.store.outbox.last_id()
        started = time.perf_counter()
        outcome = await jobs.run_now(services, "digest", AT)
        made = time.perf_counter() - started
        owed = sum((await services.store.outbox.states_after(mark)).values())
        return outcome.messages, made, owed, mark
    finally:
        await services.close()


async def digest_wave(url: str, emu: BotApiEmulator, wait: float) -> None:
    # Generated on a thread of its own: on this loop it would stall the emulator for a
    # minute, which then took the workers' paced sends all at once and answered 429.
    digests, made, owed, mark = await asyncio.to_thread(asyncio.run, generate_digests(url))
    print(f"weekly digest for every grid: {digests} digests generated in {made:.1f} s, "
          f"{owed} messages owed; at Telegram's 30 messages/s they take {owed / 30:.0f} s "
          f"({owed / 30 / 60:.1f} min) for one bot")  # fmt: skip
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}))
    try:
        deadline, sent_before = time.monotonic() + wait, len(emu.sent)
        while time.monotonic() < deadline:
            states = await services.store.outbox.states_after(mark)
            if not states.get("pending", 0) + states.get("sending", 0):
                break
            await asyncio.sleep(1)
        states = await services.store.outbox.states_after(mark)
        if wait:
            print(f"after {wait:.0f} s of sending: {dict(states)}; "
                  f"{len(emu.sent) - sent_before} messages reached the emulator")  # fmt: skip
    finally:
        await services.close()


async def run(args: argparse.Namespace) -> None:
    async with fresh_postgres("gridbot_bench_city") as url:
        started = time.perf_counter()
        members = max(1, args.grids // 10)
        await seed_county(url, args.grids, members, args.issues)
        ISSUE_BASE[0] = args.issues
        print(f"seeded {args.grids} grids, {members} members, {args.issues} issues in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        async with BotApiEmulator() as emu:
            emu.enforce_limits = True
            populate_county(emu, args.grids, members)
            ports = [FIRST_PORT + 1 + k for k in range(args.workers)]
            proxy = await endpoint(ports)
            workers = [
                await gridbot(["run", "--webhook"], bot_env(
                    emu, url, GRIDBOT_WEBHOOK_URL=f"http://127.0.0.1:{FIRST_PORT}/telegram",
                    GRIDBOT_WEBHOOK_SECRET=SECRET, GRIDBOT_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                    GRIDBOT_SENDERS=str(args.workers), GRIDBOT_SENDER_INDEX=str(index)))
                for index, port in enumerate(ports)
            ]  # fmt: skip
            try:
                await asyncio.sleep(args.warmup)
                first = len(emu.sent)
                posted = await report_steadily(emu, args.grids, args.rate, args.seconds)
                pace = (len(emu.sent) - first) / args.seconds
                behind = emu.unconfirmed()
                caught_up = await confirmed_all(emu, args.settle)
                await asyncio.sleep(2)  # the last confirmed updates, handled
                counts = await stored(url, posted)
                lat = reply_latencies(emu, posted)
                once = sum(1 for n in counts.values() if n == 1)
                twice = sum(1 for n in counts.values() if n > 1)
                print(
                    f"{len(posted)} reports at {args.rate:g}/s for {args.seconds:g} s into "
                    f"{args.grids} groups, {args.workers} webhook workers, limits on"
                )
                print(
                    f"stored once: {once}; more than once: {twice}; not stored: "
                    f"{len(posted) - len(counts)}; intake was {behind} updates behind at the "
                    f"last report and caught up {caught_up:.0f} s later"
                )
                print(
                    f"acknowledged: {len(lat)} of {len(posted)}, p50 {quantile(lat, 0.5):.2f} s,"
                    f" p99 {quantile(lat, 0.99):.2f} s; 429s so far: {emu.too_many_requests}"
                )
                owed = 2 * args.rate  # an acknowledgement and a member's notice a report
                print(f"sent while reporting: {pace:.1f} messages/s of the {owed:g}/s owed "
                      f"({args.rate:g} acknowledgements + {args.rate:g} notices); one bot may "
                      f"send 30/s, so {owed / 30:.1f} bots' worth are needed")  # fmt: skip
                await digest_wave(url, emu, args.digest_wait)
                print(f"429s received in all: {emu.too_many_requests}")
            finally:
                for worker in workers:
                    await stop(worker)
                await proxy.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--grids", type=int, default=20_000)
    parser.add_argument("--issues", type=int, default=200_000)
    parser.add_argument("--rate", type=float, default=50.0, help="reports per second")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds for workers to start")
    parser.add_argument("--settle", type=float, default=300.0,
                        help="at most this many seconds for intake to catch up")  # fmt: skip
    parser.add_argument("--digest-wait", type=float, default=0.0,
                        help="seconds to let the workers send the digest wave")  # fmt: skip
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
