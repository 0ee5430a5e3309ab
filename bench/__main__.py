"""Every benchmark in one command; prints a summary table and writes bench/RESULTS.md.

    python -m bench [--quick] [--only NAME,...]

Each benchmark runs as its own process (its figures are its own printout, kept whole in
RESULTS.md); the summary picks the figures issue 9 sets targets for out of those lines.
--quick runs smaller sizes, to check the runner itself; its figures are not the targets'.
--only runs the named benchmarks (intake, intake-2, intake-pg, intake-50ms, burst, wave,
classify, digest, web, roster, roster-pg) and keeps the other sections of RESULTS.md as they
were, each under the time it was measured; the table is made again from all of them.
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
    key: str
    title: str
    args: tuple[str, ...]
    quick: tuple[str, ...]


BENCHES = (
    Bench("intake", "Intake: gridbot run vs bare PTB, limits off",
          ("bench.bench_intake", "--repeat", "3"),
          ("bench.bench_intake", "--messages", "300", "--groups", "30")),
    Bench("intake-2", "Intake, two members per grid",
          ("bench.bench_intake", "--members", "2", "--repeat", "2"),
          ("bench.bench_intake", "--messages", "200", "--groups", "20", "--members", "2")),
    Bench("intake-pg", "Intake on PostgreSQL",
          ("bench.bench_intake", "--postgres", "--repeat", "2"),
          ("bench.bench_intake", "--messages", "200", "--groups", "20", "--postgres")),
    Bench("intake-50ms", "Intake with 50 ms per Bot API call",
          ("bench.bench_intake", "--latency", "0.05", "--repeat", "2"),
          ("bench.bench_intake", "--messages", "200", "--groups", "20", "--latency", "0.05")),
    Bench("burst", "Burst under Telegram's limits", ("bench.bench_burst",),
          ("bench.bench_burst", "--messages", "60", "--groups", "6", "--latency", "0")),
    Bench("wave", "Reports during a digest wave, limits on",
          ("bench.bench_wave", "--grids", "150", "--reports", "60", "--every", "0.5"),
          ("bench.bench_wave", "--grids", "20", "--reports", "5", "--every", "0.3")),
    Bench("classify", "Classification", ("bench.bench_classify", "--quick"),
          ("bench.bench_classify", "--quick")),
    Bench("digest", "Weekly digests, 1,505 grids / 100,000 issues", ("bench.bench_digest",),
          ("bench.bench_digest", "--issues", "5000", "--grids", "100")),
    Bench("web", "Web app and Open311, 1,505 grids / 100,000 issues", ("bench.bench_web",),
          ("bench.bench_web", "--issues", "5000", "--grids", "100", "--repeat", "3")),
    Bench("roster", "Roster import, 10,000 members (XLSX)", ("bench.bench_roster",),
          ("bench.bench_roster", "--members", "500", "--grids", "50")),
    Bench("roster-pg", "Roster import on PostgreSQL", ("bench.bench_roster", "--postgres"),
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
    parser.add_argument("--only", metavar="NAME,...", help="run these, keep the other sections")
    args = parser.parse_args()
    chosen = _chosen(args.only)
    kept = _kept_sections() if args.only else {}
    sections: list[str] = []
    outputs = ""
    for bench in BENCHES:
        if bench.key not in chosen:
            if bench.title in kept:
                sections += [kept[bench.title]]
                outputs += f"\n{kept[bench.title]}"
            continue
        output, seconds = run(bench, args.quick)
        outputs += f"\n## {bench.title}\n{output}"
        command = " ".join(bench.quick if args.quick else bench.args)
        sections += [f"## {bench.title}", f"`python -m {command}` ({seconds:.0f} s, {_now()})",
                     "", "```", output.rstrip(), "```", ""]  # fmt: skip
    table = summary(outputs)
    print("\n".join(table))
    head = [f"# Benchmark results{' (--quick: not the targets sizes)' if args.quick else ''}",
            "", f"{_now()}; {platform.python_version()} on {platform.machine()}, "
            f"{_cores()} cores. Written by `python -m bench`"
            f"{f' --only {args.only}; the other sections are older' if args.only else ''}.",
            "", SHARED, "", *table, ""]  # fmt: skip
    RESULTS.write_text("\n".join(head + sections), encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")


def _chosen(only: str | None) -> set[str]:
    keys = {bench.key for bench in BENCHES}
    if only is None:
        return keys
    chosen = {name.strip() for name in only.split(",") if name.strip()}
    if unknown := chosen - keys:
        sys.exit(f"bench: unknown {', '.join(sorted(unknown))}; known: {', '.join(sorted(keys))}")
    return chosen


def _kept_sections() -> dict[str, str]:
    """The sections of the present RESULTS.md by title, each with its lines up to the next."""
    if not RESULTS.exists():
        return {}
    parts = re.split(r"^(?=## )", RESULTS.read_text(encoding="utf-8"), flags=re.M)
    return {part.splitlines()[0][3:]: part for part in parts if part.startswith("## ")}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
