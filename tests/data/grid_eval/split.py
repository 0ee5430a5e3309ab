"""Builds tune.csv (2/3) and holdout.csv (1/3) from the raw_*.tsv files, seeded, by kind.

Run once: ``python tests/data/grid_eval/split.py``. The split is committed before any tuning;
holdout.csv is measured once, at the end (bench/grid_eval.py --holdout).
"""

import csv
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
SEED = 18
FIELDS = ["text", "label", "is_problem", "category", "urgent", "kind"]


def main() -> None:
    by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
    for raw in sorted(HERE.glob("raw_*.tsv")):
        for line in raw.read_text("utf-8").splitlines():
            kind, category, urgent, text = line.split("\t")
            problem = category != "-"
            by_kind[kind].append(
                {
                    "text": text,
                    "label": category if problem else "非诉求",
                    "is_problem": "1" if problem else "0",
                    "category": category if problem else "",
                    "urgent": urgent,
                    "kind": kind,
                }
            )
    rng = random.Random(SEED)
    tune, holdout = [], []
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        rng.shuffle(rows)
        cut = len(rows) // 3
        holdout += rows[:cut]
        tune += rows[cut:]
    for name, rows in (("tune.csv", tune), ("holdout.csv", holdout)):
        with (HERE / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    print(f"tune {len(tune)}  holdout {len(holdout)}")


if __name__ == "__main__":
    main()
