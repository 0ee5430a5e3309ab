"""Writes bot/data/taxonomy_examples.csv, the labelled messages the shipped taxonomy's second
opinions learn from: every row of every tuning part of the grid set (tune, holdout,
fresh_tune, the sealed set once seen, third_tune), never an untouched third. Problems are
labelled with their category, the rest 非诉求 (the problem decision's n-grams learn from
both), and the lines of extra_examples.tsv (category or 非诉求, tab, text: short reports and
chat written only to teach, never measured). The ``urgent`` column (0/1) is the parts' own,
what the urgency opinion learns from; extra examples are not urgent. Since the urgency
opinion (issue-18u) the tuning parts of fresh5 and urgent6 are examples too.
Run after editing a raw file and split.py:
``python tests/data/grid_eval/examples.py``.
"""

import csv
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parents[2] / "bot" / "data" / "taxonomy_examples.csv"
PARTS = (
    "tune.csv",
    "holdout.csv",
    "fresh_tune.csv",
    "sealed/fresh.csv",
    "third_tune.csv",
    "fresh5/tune.csv",
    "urgent6/tune.csv",
)


def main() -> None:
    rows = []
    for name in PARTS:
        with (HERE / name).open(encoding="utf-8", newline="") as fh:
            rows += [
                (r["text"], r["category"] or "非诉求", r["urgent"]) for r in csv.DictReader(fh)
            ]
    for line in (HERE / "extra_examples.tsv").read_text("utf-8").splitlines():
        label, text = line.split("\t")
        rows.append((text, label, "0"))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "category", "urgent"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} examples")


if __name__ == "__main__":
    main()
