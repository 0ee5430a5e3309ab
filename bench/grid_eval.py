"""The issue-18 figures on the hand-written grid set (tests/data/grid_eval).

    python -m bench.grid_eval [tune|holdout|fresh|untouched] [--misses] [--taxonomy FILE]
    python -m bench.grid_eval --file PATH [--misses]

Problem recall, non-problems registered, category accuracy (share of problems given their
labelled category) and urgent recall / false alarms. ``tune`` and ``holdout`` are the first
session's parts, ``fresh`` the tuning two thirds of the second session's set; ``untouched``
(its last third) is measured once, at the end, and --misses is refused on it so it is never
tuned on. ``--file`` measures any CSV with the columns text,is_problem,category,urgent (kind
and label optional), e.g. a sealed set written by others.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify.classifier import Classifier  # noqa: E402
from bot.classify.taxonomy import load_taxonomy  # noqa: E402

DATA = ROOT / "tests" / "data" / "grid_eval"
PARTS = {
    "tune": "tune.csv",
    "holdout": "holdout.csv",
    "fresh": "fresh_tune.csv",
    "untouched": "fresh_untouched.csv",
}


def measure(classifier: Classifier, rows: list[dict[str, str]], misses: bool) -> dict:
    problems = [r for r in rows if r["is_problem"] == "1"]
    others = [r for r in rows if r["is_problem"] == "0"]
    urgent = [r for r in rows if r["urgent"] == "1"]
    found = right = registered = urgent_hit = false_urgent = 0
    for row in rows:
        result = classifier.classify(row["text"])
        wrong = []
        if row["is_problem"] == "1":
            found += result.is_problem
            right += result.category == row["category"]
            if not result.is_problem:
                wrong.append("missed")
            if result.category != row["category"]:
                wrong.append(f"category {result.category}")
        else:
            registered += result.is_problem
            if result.is_problem:
                wrong.append("registered")
        if row["urgent"] == "1":
            urgent_hit += result.urgent
            if not result.urgent:
                wrong.append("not urgent")
        elif result.urgent:
            false_urgent += 1
            wrong.append("urgent")
        if misses and wrong:
            kind, label = row.get("kind", ""), row.get("label", row["category"])
            print(f"{kind:<10} {label:<5} {'; '.join(wrong):<24} {row['text']}")
    return {
        "rows": len(rows),
        "problem recall": _share(found, len(problems)),
        "non-problems registered": _share(registered, len(others)),
        "category accuracy": _share(right, len(problems)),
        "urgent recall": _share(urgent_hit, len(urgent)),
        "non-urgent marked urgent": false_urgent,
    }


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else f"{part}/0"


REQUIRED = {"text", "is_problem", "category", "urgent"}


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a grid-set CSV; exits with one line if a needed column is missing."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = REQUIRED - set(reader.fieldnames or ())
            if missing:
                sys.exit(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except OSError as exc:
        sys.exit(f"{path}: cannot read: {exc.strerror or exc}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", default="tune", choices=sorted(PARTS))
    parser.add_argument("--file", type=Path, help="any CSV with the grid set's columns")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--taxonomy", type=Path)
    args = parser.parse_args()
    if args.misses and args.part == "untouched" and args.file is None:
        parser.error("the untouched third is measured, never inspected")
    rows = read_rows(args.file or DATA / PARTS[args.part])
    figures = measure(Classifier(load_taxonomy(args.taxonomy)), rows, args.misses)
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
