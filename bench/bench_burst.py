"""A burst against Telegram's limits (issue 9): 300 problem messages into 30 groups.

    python bench/bench_burst.py [--messages 300] [--groups 30] [--latency 0 0.05]
                                [--database-url URL]

The real bot polls the local Bot API emulator with `enforce_limits=True`, which answers 429
beyond Telegram's limits (30 messages/s overall, 20/min per group, 1/s per private chat).
The roster (CSV in a temp dir) has the groups' grids with two members each, who have all
started the bot. Reported per simulated network delay: the 429s the bot received (target 0)
and the seconds from the first message until every issue number is acknowledged in its
group and known to its member (target <= 30), with how many messages that took.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from handlers.emulator import BotApiEmulator
from handlers.local import local_bot
from storage.records import Issue
from storage.store import Store

FIRST_MEMBER, FIRST_RESIDENT = 5000, 9000
RESIDENTS_PER_GROUP = 5
# Different problems, so that none is taken as a near-duplicate of another in its grid.
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
EXPERTISE = ("市政;物业;交通;治安;农业", "医疗;社保;教育;环境;邻里")


def group_id(index: int) -> int:
    return -1003000000000 - index


def write_roster(folder: Path, groups: int) -> list[Path]:
    grids, members = folder / "grids.csv", folder / "members.csv"
    with grids.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "community", "street", "district", "chat_id"])
        for i in range(groups):
            out.writerow([f"B{i:03d}", f"第{i}网格", f"社区{i}", "街道", "区", group_id(i)])
    with members.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "telegram_id", "role", "sector", "expertise", "grids"])
        for i in range(groups):
            for k, expertise in enumerate(EXPERTISE):
                person = FIRST_MEMBER + 2 * i + k
                out.writerow([f"委员{i}-{k}", person, "member", "", expertise, f"B{i:03d}"])
    return [grids, members]


def populate(emu: BotApiEmulator, groups: int) -> None:
    for i in range(groups):
        emu.add_group(group_id(i), f"第{i}网格群")
        for k in range(2):
            emu.add_user(FIRST_MEMBER + 2 * i + k, f"委员{i}-{k}")
            emu.start_private(FIRST_MEMBER + 2 * i + k)
    for r in range(groups * RESIDENTS_PER_GROUP):
        emu.add_user(FIRST_RESIDENT + r, f"居民{r}")


def post_burst(emu: BotApiEmulator, messages: int, groups: int) -> None:
    for n in range(messages):
        group, round_ = n % groups, n // groups
        resident = FIRST_RESIDENT + group * RESIDENTS_PER_GROUP + n % RESIDENTS_PER_GROUP
        text = PROBLEMS[round_ % len(PROBLEMS)].format(b=round_ + 1)
        emu.post_message(group_id(group), resident, text)


@dataclass
class Outcome:
    latency: float
    issues: int
    seconds: float
    median: float
    too_many: int
    in_groups: int
    in_private: int
    bundles: int


def told_at(emu: BotApiEmulator, issue: Issue, member_chat: int) -> float | None:
    """When #N had reached both its group and its member, or None if it has not yet."""
    number = re.compile(rf"#{issue.id}(?!\d)")
    times = []
    for chat in (issue.chat_id, member_chat):
        sent = [s.at for s in emu.sent if s.chat_id == chat and number.search(s.text or "")]
        if not sent:
            return None
        times.append(min(sent))
    return max(times)


async def run(messages: int, groups: int, latency: float, url: str | None) -> Outcome:
    with tempfile.TemporaryDirectory() as folder:
        roster = write_roster(Path(folder), groups)
        async with BotApiEmulator() as emu:
            emu.latency, emu.enforce_limits = latency, True
            populate(emu, groups)
            database = url or f"sqlite:///{folder}/bench.db"
            async with local_bot(database, emu, roster=roster) as local:
                store = local.services.store
                members = {m.id: m.telegram_id for m in await store.members.all()}
                started = time.monotonic()
                post_burst(emu, messages, groups)
                done = await until_told(emu, store, members, messages, started + 300)
        times = sorted(at - started for at in done)
        return Outcome(
            latency, len(done), times[-1] if times else 0.0,
            statistics.median(times) if times else 0.0, emu.too_many_requests,
            sum(s.chat_id < 0 for s in emu.sent), sum(s.chat_id > 0 for s in emu.sent),
            sum("件诉求" in (s.text or "") or (s.text or "").count("#") > 3 for s in emu.sent),
        )  # fmt: skip


async def until_told(
    emu: BotApiEmulator, store: Store, members: dict[int, int], expected: int, deadline: float
) -> list[float]:
    """Wait until intake is over and every issue is told; each issue's moment.

    Intake is over when every message became an issue, or (a message taken as a
    near-duplicate becomes none) when no issue was added for five seconds."""
    last_count, steady_since = -1, time.monotonic()
    while True:
        await asyncio.sleep(0.25)
        count = await store.issues.count()
        if count != last_count or emu.undelivered():
            last_count, steady_since = count, time.monotonic()
        issues = [await store.issues.get(n) for n in range(1, count + 1)]
        moments = [told_at(emu, i, members.get(i.assignee_id or 0, 0)) for i in issues if i]
        intake_over = count >= expected or time.monotonic() - steady_since > 5.0
        if intake_over and all(m is not None for m in moments):
            return [m for m in moments if m is not None]
        if time.monotonic() > deadline:
            raise SystemExit(f"{sum(m is None for m in moments)} of {count} issues never told")


def table(outcomes: list[Outcome], messages: int, groups: int) -> None:
    print(f"burst of {messages} problem messages into {groups} groups, limits enforced")
    head = ("delay/call", "issues", "429s", "all told s", "median s", "group msgs", "private",
            "bundled")  # fmt: skip
    print("".join(f"{h:>12}" for h in head))
    for o in outcomes:
        row = (f"{o.latency * 1000:.0f} ms", o.issues, o.too_many, f"{o.seconds:.1f}",
               f"{o.median:.1f}", o.in_groups, o.in_private, o.bundles)  # fmt: skip
        print("".join(f"{v!s:>12}" for v in row))
    print("targets: 0 × 429; every issue told within 30 s")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.05])
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    outcomes = [
        await run(args.messages, args.groups, latency, args.database_url)
        for latency in args.latency
    ]
    table(outcomes, args.messages, args.groups)


if __name__ == "__main__":
    asyncio.run(main())
