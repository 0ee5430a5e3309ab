"""Issue 9: the benchmarks keep working (tiny sizes here; figures come from `python -m bench`),
and the runner reads each target's figure out of their printouts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.__main__ import TARGETS, summary

ROOT = Path(__file__).resolve().parents[1]


def test_intake_benchmark_runs_both_bots_to_the_end() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "bench.bench_intake", "--messages", "20", "--groups", "4"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "bare PTB (floor)" in ran.stdout and "gridbot run" in ran.stdout
    assert "ratio gridbot / floor:" in ran.stdout and "peak RSS of gridbot run:" in ran.stdout


def test_summary_reads_figures_and_says_whether_each_target_is_met() -> None:
    printout = (
        "\n## Intake: gridbot run vs bare PTB, limits off\n"
        "ratio gridbot / floor: 1.20 (target <= 1.15)\n"
        "cold start to first getUpdates: 2.40 s (target <= 1)\n"
        "\n## Classification\nshort messages (17 chars, default taxonomy): 31,339 msgs/s\n"
    )
    rows = {line.split(" | ")[0].lstrip("| "): line for line in summary(printout)}
    assert rows[TARGETS[0].name].endswith("| 1.20 | <= 1.15 | NO |")
    assert rows["cold start to first getUpdates, s"].endswith("| 2.40 | <= 1 | NO |")
    assert rows["classifier, short messages/s (one core)"].endswith("| 31,339 | >= 20,000 | yes |")
    assert rows["weekly digests generated, SQLite, s"].endswith("| not measured | <= 5 | ? |")


def test_roster_benchmark_imports_and_prints_its_figure() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "bench.bench_roster", "--members", "200", "--grids", "20"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "members new 200" in ran.stdout and "rejected 0" in ran.stdout
    assert "left 20" in ran.stdout  # --replace without a tenth of them
    rows = {line.split(" | ")[0].lstrip("| "): line for line in summary(ran.stdout)}
    assert "| <= 10 | yes |" in rows["roster import of 10,000 members, SQLite, s"]
