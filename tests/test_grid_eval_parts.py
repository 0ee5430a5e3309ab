"""Issue 18 (T7): sealed7 split into a tuned part and a measured-only part. The measured part
must stay unseen: no misses printed for it (by name or by another path) and no example of it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "grid_eval"


def texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def grid_eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench.grid_eval", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_sealed7_parts_are_its_rows_split_once() -> None:
    whole = texts(DATA / "sealed7" / "fresh7.csv")
    tune, held = texts(DATA / "sealed7" / "tune7.csv"), texts(DATA / "sealed7" / "untouched7.csv")
    assert sorted(tune + held) == sorted(whole)
    assert len(held) == 135 and not set(tune) & set(held)


def test_misses_refused_on_untouched7_by_name_and_by_file(tmp_path: Path) -> None:
    ran = grid_eval("untouched7", "--misses")
    assert ran.returncode != 0 and "never inspected" in ran.stderr
    # one untouched row hidden among rows of one's own, given as a file of another name
    with (DATA / "sealed7" / "untouched7.csv").open(encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    file = tmp_path / "mine.csv"
    with file.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["text", "is_problem", "category", "urgent"])
        writer.writeheader()
        writer.writerow({"text": "大家早上好", "is_problem": "0", "category": "", "urgent": "0"})
        writer.writerow({k: row[k] for k in ("text", "is_problem", "category", "urgent")})
    ran = grid_eval("--file", str(file), "--misses")
    assert ran.returncode != 0 and "never inspected" in ran.stderr
    assert row["text"] not in ran.stdout + ran.stderr
    # the same file without --misses is measured (figures only)
    ran = grid_eval("--file", str(file))
    assert ran.returncode == 0 and "rows: 2" in ran.stdout


def test_untouched7_teaches_nothing() -> None:
    held = set(texts(DATA / "sealed7" / "untouched7.csv"))
    shipped = set(texts(ROOT / "bot" / "data" / "taxonomy_examples.csv"))
    # a short line written independently into another set too (one, in sealed6) is that
    # set's example, not untouched7's
    elsewhere = set(texts(DATA / "sealed6" / "fresh6.csv"))
    assert len(held & shipped) <= 1 and held & shipped <= elsewhere
    assert set(texts(DATA / "sealed7" / "tune7.csv")) <= shipped
    ran = grid_eval("tune7", "--train", "untouched7")
    assert ran.returncode != 0 and "unknown part" in ran.stderr
