"""The issue-18 figures on the hand-written grid set (tests/data/grid_eval).

    python -m bench.grid_eval [tune|holdout] [--misses] [--taxonomy FILE]

Problem recall, non-problems registered, category accuracy (share of problems given their
labelled category) and urgent recall / false alarms. The holdout third is measured once, at
the end; --misses lists the wrong rows and is refused on the holdout so it is never tuned on.
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
            print(f"{row['kind']:<10} {row['label']:<5} {'; '.join(wrong):<24} {row['text']}")
    return {
        "rows": len(rows),
        "problem recall": f"{found}/{len(problems)} = {found / len(problems):.3f}",
        "non-problems registered": f"{registered}/{len(others)} = {registered / len(others):.3f}",
        "category accuracy": f"{right}/{len(problems)} = {right / len(problems):.3f}",
        "urgent recall": f"{urgent_hit}/{len(urgent)} = {urgent_hit / len(urgent):.3f}",
        "non-urgent marked urgent": false_urgent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", default="tune", choices=("tune", "holdout"))
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--taxonomy", type=Path)
    args = parser.parse_args()
    if args.misses and args.part == "holdout":
        parser.error("the holdout is measured, never inspected")
    with (DATA / f"{args.part}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    figures = measure(Classifier(load_taxonomy(args.taxonomy)), rows, args.misses)
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
