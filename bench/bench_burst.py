"""A burst against Telegram's limits (issue 9): 300 problem messages into 30 groups.

    python bench/bench_burst.py [--messages 300] [--groups 30] [--latency 0 0.05]
                                [--database-url URL]

The real bot polls the local Bot API emulator with `enforce_limits=True`, which answers 429
beyond Telegram's limits (30 messages/s overall, 20/min per group, 1/s per private chat).
The roster (CSV in a temp dir) has the groups' grids with two members each, who have all
started the bot; one report is answered before the burst (bench.common.warm_up: a bot's
first sends and its classifier's build are the cold start's, measured by bench_intake).
Reported per simulated network delay: the 429s the bot received (target 0) and the seconds
from the first message until every issue number is acknowledged in its group and known to
its member (target <= 30), with how many messages that took.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import least_time, populate, post_burst, warm_up, write_roster
from handlers.emulator.local import local_bot
from handlers.emulator.server import BotApiEmulator, SentMessage
from storage.records import Issue
from storage.store import Store

MEMBERS_PER_GROUP = 2


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
    minimum: float  # the least time Telegram's limits allow for the messages sent
    first: float  # seconds from the burst to the first send reaching Telegram


def told_at(sent: list[SentMessage], issue: Issue, member_chat: int) -> float | None:
    """When #N had reached both its group and its member, or None if it has not yet."""
    number = re.compile(rf"#{issue.id}(?!\d)")
    times = []
    for chat in (issue.chat_id, member_chat):
        at = [s.at for s in sent if s.chat_id == chat and number.search(s.text or "")]
        if not at:
            return None
        times.append(min(at))
    return max(times)


async def run(messages: int, groups: int, latency: float, url: str | None) -> Outcome:
    with tempfile.TemporaryDirectory() as folder:
        roster = write_roster(Path(folder), groups, MEMBERS_PER_GROUP)
        async with BotApiEmulator() as emu:
            emu.latency, emu.enforce_limits = latency, True
            populate(emu, groups, MEMBERS_PER_GROUP)
            database = url or f"sqlite:///{folder}/bench.db"
            # Quiet hours off: the figure is the pace, at whatever hour it is measured.
            quiet_off = {"GRIDBOT_QUIET_HOURS": "00:00-00:00"}
            async with local_bot(database, emu, roster=roster, env=quiet_off) as local:
                store = local.services.store
                members = {m.id: m.telegram_id for m in await store.members.all()}
                await warm_up(emu)
                before, first = len(emu.sent), await store.issues.count() + 1
                started = time.monotonic()
                post_burst(emu, messages, groups)
                done = await until_told(emu, store, members, (first, messages), started + 300)
        times = sorted(at - started for at in done)
        sent = emu.sent[before:]
        return Outcome(
            latency, len(done), times[-1] if times else 0.0,
            statistics.median(times) if times else 0.0, emu.too_many_requests,
            sum(s.chat_id < 0 for s in sent), sum(s.chat_id > 0 for s in sent),
            sum("件诉求" in (s.text or "") or (s.text or "").count("#") > 3 for s in sent),
            # Timed from the burst, and a send counts where it arrives: the first is counted
            # one call's delay after it left, which no pace can spare.
            least_time(sent) + latency,
            min((s.at for s in sent), default=started) - started,
        )  # fmt: skip


async def until_told(
    emu: BotApiEmulator,
    store: Store,
    members: dict[int, int],
    burst: tuple[int, int],
    deadline: float,
) -> list[float]:
    """Wait until intake is over and every issue of the burst (its first number, how many
    messages) is told; each issue's moment.

    Intake is over when every message became an issue, or (a message taken as a
    near-duplicate becomes none) when no issue was added for five seconds."""
    first, expected = burst
    last_count, steady_since = -1, time.monotonic()
    while True:
        await asyncio.sleep(0.25)
        count = await store.issues.count()
        if count != last_count or emu.undelivered():
            last_count, steady_since = count, time.monotonic()
        issues = [await store.issues.get(n) for n in range(first, count + 1)]
        moments = [told_at(emu.sent, i, members.get(i.assignee_id or 0, 0)) for i in issues if i]
        intake_over = count - first + 1 >= expected or time.monotonic() - steady_since > 5.0
        if intake_over and all(m is not None for m in moments):
            return [m for m in moments if m is not None]
        if time.monotonic() > deadline:
            raise SystemExit(f"{sum(m is None for m in moments)} of {count} issues never told")


def table(outcomes: list[Outcome], messages: int, groups: int) -> None:
    print(f"burst of {messages} problem messages into {groups} groups, limits enforced")
    head = ("delay/call", "issues", "429s", "all told s", "median s", "group msgs", "private",
            "bundled", "least s", "/ least", "first s")  # fmt: skip
    print("".join(f"{h:>12}" for h in head))
    for o in outcomes:
        row = (f"{o.latency * 1000:.0f} ms", o.issues, o.too_many, f"{o.seconds:.1f}",
               f"{o.median:.1f}", o.in_groups, o.in_private, o.bundles, f"{o.minimum:.1f}",
               f"{o.seconds / o.minimum:.2f}" if o.minimum else "-", f"{o.first:.2f}")  # fmt: skip
        print("".join(f"{v!s:>12}" for v in row))
    print(
        "targets: 0 × 429; every issue told within 30 s and within 1.1 × the least time the"
        " limits allow for the messages sent (30/s overall, 20/min a group, 1/s a person);"
        " first s: from the burst to the first send (taking the first reports in)"
    )


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
