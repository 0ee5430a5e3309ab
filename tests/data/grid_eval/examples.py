"""Writes bot/data/taxonomy_examples.csv, the labelled messages the shipped taxonomy's second
opinion learns from: the problems of every tuning part of the grid set (tune, holdout,
fresh_tune), never fresh_untouched.csv. Run after editing a raw file and split.py:
``python tests/data/grid_eval/examples.py``.
"""

import csv
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parents[2] / "bot" / "data" / "taxonomy_examples.csv"
PARTS = ("tune.csv", "holdout.csv", "fresh_tune.csv")


def main() -> None:
    rows = []
    for name in PARTS:
        with (HERE / name).open(encoding="utf-8", newline="") as fh:
            rows += [(r["text"], r["category"]) for r in csv.DictReader(fh) if r["category"]]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "category"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} examples")


if __name__ == "__main__":
    main()
