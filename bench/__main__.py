"""Every benchmark in one command; prints a summary table and writes bench/RESULTS.md.

    python -m bench [--quick]

Each benchmark runs as its own process (its figures are its own printout, kept whole in
RESULTS.md); the summary picks the figures issue 9 sets targets for out of those lines.
--quick runs smaller sizes, to check the runner itself; its figures are not the targets'.
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


@dataclass(frozen=True)
class Bench:
    title: str
    args: tuple[str, ...]
    quick: tuple[str, ...]


BENCHES = (
    Bench("Intake: gridbot run vs bare PTB, limits off", ("bench.bench_intake", "--repeat", "3"),
          ("bench.bench_intake", "--messages", "300", "--groups", "30")),
    Bench("Intake, two members per grid",
          ("bench.bench_intake", "--members", "2", "--repeat", "2"),
          ("bench.bench_intake", "--messages", "200", "--groups", "20", "--members", "2")),
    Bench("Intake on PostgreSQL", ("bench.bench_intake", "--postgres", "--repeat", "2"),
          ("bench.bench_intake", "--messages", "200", "--groups", "20", "--postgres")),
    Bench("Intake with 50 ms per Bot API call",
          ("bench.bench_intake", "--latency", "0.05", "--repeat", "2"),
          ("bench.bench_intake", "--messages", "200", "--groups", "20", "--latency", "0.05")),
    Bench("Burst under Telegram's limits", ("bench.bench_burst",),
          ("bench.bench_burst", "--messages", "60", "--groups", "6", "--latency", "0")),
    Bench("Reports during a digest wave, limits on",
          ("bench.bench_wave", "--grids", "150", "--reports", "60", "--every", "0.5"),
          ("bench.bench_wave", "--grids", "20", "--reports", "5", "--every", "0.3")),
    Bench("Classification", ("bench.bench_classify", "--quick"),
          ("bench.bench_classify", "--quick")),
    Bench("Weekly digests, 1,505 grids / 100,000 issues", ("bench.bench_digest",),
          ("bench.bench_digest", "--issues", "5000", "--grids", "100")),
    Bench("Web app and Open311, 1,505 grids / 100,000 issues", ("bench.bench_web",),
          ("bench.bench_web", "--issues", "5000", "--grids", "100", "--repeat", "3")),
    Bench("Roster import, 10,000 members (XLSX)", ("bench.bench_roster",),
          ("bench.bench_roster", "--members", "500", "--grids", "50")),
    Bench("Roster import on PostgreSQL", ("bench.bench_roster", "--postgres"),
          ("bench.bench_roster", "--members", "500", "--grids", "50", "--postgres")),
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    name: str
    pattern: str  # over the outputs of all benchmarks, in order; the first group is the figure
    goal: str
    ok: str  # "le" or "ge" the limit
    limit: float


def ratio(name: str, section: str, limit: float) -> Target:
    """The wall-time ratio of gridbot to the bare bot, in one intake section."""
    pattern = rf"{section}\n[\s\S]*?ratio gridbot / floor: ([\d.]+)"
    return Target(name, pattern, f"<= {limit:g}", "le", limit)


def burst(name: str, delay: str, column: int, goal: str, limit: float) -> Target:
    """A column of bench_burst's row for one network delay (429s, s, ratio to the least)."""
    cells = r"\s+\S+" * (column - 1)
    return Target(name, rf"\n\s+{delay} ms\s+\d+{cells}\s+([\d.]+)", goal, "le", limit)


TARGETS = (
    ratio("intake wall / framework floor (2,000 msgs, 200 groups), SQLite", "limits off", 1.15),
    ratio("the same, two members per grid", "two members per grid", 1.15),
    ratio("the same on PostgreSQL", "on PostgreSQL", 1.2),
    ratio("the same, 50 ms per Bot API call", "50 ms per Bot API call", 1.15),
    Target("cold start to first getUpdates, s", r"cold start to first getUpdates: ([\d.]+)",
           "<= 1", "le", 1.0),
    Target("peak RSS of gridbot run, MB", r"peak RSS of gridbot run: (\d+)", "<= 100", "le", 100),
    burst("burst 300/30 groups: 429s received (no delay)", "0", 1, "0", 0),
    burst("burst: s until all told (no delay)", "0", 2, "<= 30", 30),
    burst("burst: all told / least time the limits allow (no delay)", "0", 8, "<= 1.1", 1.1),
    burst("burst: 429s received (50 ms delay)", "50", 1, "0", 0),
    burst("burst: all told / least time the limits allow (50 ms delay)", "50", 8, "<= 1.1", 1.1),
    Target("digest wave: acknowledgement p99 during it, s",
           r"acknowledgements during the wave: .*?p99 ([\d.]+) s", "<= 2", "le", 2.0),
    Target("digest wave: sent / least time the limits allow",
           r"the limits allow .*?: ([\d.]+) x", "<= 1.1", "le", 1.1),
    Target("digest wave: 429s received", r"\n429s received: (\d+)", "0", "le", 0),
    Target("classifier, short messages/s (one core)", r"short messages .*?: ([\d,]+) msgs/s",
           ">= 20,000", "ge", 20_000),
    Target("weekly digests generated, SQLite, s", r"sqlite: weekly digests .*?total ([\d.]+) s",
           "<= 5", "le", 5.0),
    Target("weekly digests generated, PostgreSQL, s",
           r"postgresql: weekly digests .*?total ([\d.]+) s", "<= 5", "le", 5.0),
    Target("web app: slowest overview/issue query (median), SQLite, ms",
           r"sqlite: web app slowest median ([\d.]+) ms", "<= 300", "le", 300),
    Target("web app: slowest overview/issue query (median), PostgreSQL, ms",
           r"postgresql: web app slowest median ([\d.]+) ms", "<= 300", "le", 300),
    Target("roster import of 10,000 members, SQLite, s",
           r"sqlite: roster import of the workbook: ([\d.]+) s", "<= 10", "le", 10.0),
    Target("the same on PostgreSQL, s",
           r"postgresql: roster import of the workbook: ([\d.]+) s", "report", "le", 10.0),
)  # fmt: skip


SHARED = (
    "The machine was shared with other sessions while these ran (its load is in each "
    "section): wall times drift with it, so gridbot and the bare bot run in interleaved "
    "pairs and the best of each is compared; the CPU seconds of each bot are printed "
    "beside the wall times as the steadier measure."
)


def run(bench: Bench, quick: bool) -> tuple[str, float]:
    """One benchmark as its own process; its printout, echoed as it comes."""
    started = time.monotonic()
    args = bench.quick if quick else bench.args
    print(f"\n## {bench.title}\n$ python -m {' '.join(args)}", flush=True)
    process = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    output = process.stdout + (f"\n[exit {process.returncode}]\n{process.stderr[-2000:]}"
                               if process.returncode else "")  # fmt: skip
    print(output, flush=True)
    return output, time.monotonic() - started


def figure(target: Target, text: str) -> tuple[str, str]:
    """The measured figure and whether it meets the target."""
    found = re.search(target.pattern, text)
    if found is None:
        return "not measured", "?"
    value = float(found.group(1).replace(",", ""))
    met = value <= target.limit if target.ok == "le" else value >= target.limit
    return found.group(1), ("yes" if met else "NO") if target.goal != "report" else "-"


def summary(outputs: str) -> list[str]:
    lines = ["| figure | measured | target | met |", "| --- | --- | --- | --- |"]
    for target in TARGETS:
        value, met = figure(target, outputs)
        lines.append(f"| {target.name} | {value} | {target.goal} | {met} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to test the runner")
    args = parser.parse_args()
    sections, outputs = [], ""
    for bench in BENCHES:
        output, seconds = run(bench, args.quick)
        outputs += f"\n## {bench.title}\n{output}"
        command = " ".join(bench.quick if args.quick else bench.args)
        sections += [f"## {bench.title}", f"`python -m {command}` ({seconds:.0f} s)", "",
                     "```", output.rstrip(), "```", ""]  # fmt: skip
    table = summary(outputs)
    print("\n".join(table))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [f"# Benchmark results{' (--quick: not the targets sizes)' if args.quick else ''}",
            "", f"{stamp}; {platform.python_version()} on {platform.machine()}, "
            f"{_cores()} cores. Written by `python -m bench`.", "", SHARED, "", *table,
            ""]  # fmt: skip
    RESULTS.write_text("\n".join(head + sections), encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
