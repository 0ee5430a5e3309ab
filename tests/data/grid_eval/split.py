"""Builds the tuning and measuring parts of the grid set from its raw files, seeded, by kind.

Run once: ``python tests/data/grid_eval/split.py``.

* ``raw_*.tsv`` -> ``tune.csv`` (2/3) and ``holdout.csv`` (1/3), seed 18 (first session);
* ``fresh_raw.tsv`` -> ``fresh_tune.csv`` (2/3) and ``fresh_untouched.csv`` (1/3), seed 1818:
  225 messages written in the second session before any change, the untouched third
  measured once at the end (``python -m bench.grid_eval untouched``);
* ``third_raw.tsv`` -> ``third_tune.csv`` (2/3) and ``third_untouched.csv`` (1/3), seed 1819:
  164 messages written in the third session (issue 18 again) before its keyword changes;
* ``fresh5/raw.tsv`` -> ``fresh5/tune.csv`` (2/3) and ``fresh5/untouched.csv`` (1/3), seed
  1820: 198 messages written in the fifth session (urgency opinion) before its changes;
* ``fresh6/raw.tsv`` -> ``fresh6/tune.csv`` (2/3) and ``fresh6/untouched.csv`` (1/3), seed
  1821: 181 messages written in the sixth session (shapes of non-reports) before its changes;
* ``urgent6/raw.tsv`` -> ``urgent6/tune.csv`` (2/3) and ``urgent6/untouched.csv`` (1/3), seed
  1821: 138 messages written by the urgency opinion's rebuild (issue-18u) before its changes;
* ``sealed7/fresh7.csv`` (already a labelled CSV with a kind column) -> ``sealed7/tune7.csv``
  (2/3) and ``sealed7/untouched7.csv`` (1/3), seed 1822: the seventh sealed set, split after
  its blind measurement and before any of its rows was read (task T7, issue 18);
* ``sealed8/fresh8.csv`` -> ``sealed8/tune8.csv`` (2/3) and ``sealed8/untouched8.csv`` (1/3),
  seed 1823: the eighth sealed set, split after its blind measurements (before and after the
  T7 round) and before any of its rows was read;
* ``sealed9/fresh9.csv`` -> ``sealed9/tune9.csv`` (2/3) and ``sealed9/untouched9.csv`` (1/3),
  seed 1824: the ninth sealed set, split after its blind measurements and before any of its
  rows was read; its last third is measured only;
* ``sealed10/fresh10.csv`` -> ``sealed10/tune10.csv`` (2/3) and ``sealed10/untouched10.csv``
  (1/3), seed 1825: the tenth sealed set, split after its two blind measurements (at the
  start of session 10 and at its end) and before any of its rows was read.
"""

import csv
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
FIELDS = ["text", "label", "is_problem", "category", "urgent", "kind"]
PARTS = (
    (sorted(HERE.glob("raw_*.tsv")), 18, "tune.csv", "holdout.csv"),
    ([HERE / "fresh_raw.tsv"], 1818, "fresh_tune.csv", "fresh_untouched.csv"),
    ([HERE / "third_raw.tsv"], 1819, "third_tune.csv", "third_untouched.csv"),
    ([HERE / "fresh5" / "raw.tsv"], 1820, "fresh5/tune.csv", "fresh5/untouched.csv"),
    ([HERE / "fresh6" / "raw.tsv"], 1821, "fresh6/tune.csv", "fresh6/untouched.csv"),
    ([HERE / "urgent6" / "raw.tsv"], 1821, "urgent6/tune.csv", "urgent6/untouched.csv"),
)
# Sealed sets written as labelled CSVs (the writer's own kind column), split the same way.
CSV_PARTS = (
    (HERE / "sealed7" / "fresh7.csv", 1822, "sealed7/tune7.csv", "sealed7/untouched7.csv"),
    (HERE / "sealed8" / "fresh8.csv", 1823, "sealed8/tune8.csv", "sealed8/untouched8.csv"),
    (HERE / "sealed9" / "fresh9.csv", 1824, "sealed9/tune9.csv", "sealed9/untouched9.csv"),
    (HERE / "sealed10" / "fresh10.csv", 1825, "sealed10/tune10.csv", "sealed10/untouched10.csv"),
)


def read_raw(files: list[Path]) -> dict[str, list[dict[str, str]]]:
    by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
    for raw in files:
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
    return by_kind


def read_csv(path: Path) -> dict[str, list[dict[str, str]]]:
    by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_kind[row["kind"]].append({k: row[k] for k in FIELDS})
    return by_kind


def split(
    by_kind: dict[str, list[dict[str, str]]], seed: int, tune_name: str, held_name: str
) -> None:
    rng = random.Random(seed)
    tune, held = [], []
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        rng.shuffle(rows)
        cut = len(rows) // 3
        held += rows[:cut]
        tune += rows[cut:]
    for name, rows in ((tune_name, tune), (held_name, held)):
        with (HERE / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    print(f"{tune_name} {len(tune)}  {held_name} {len(held)}")


def main() -> None:
    for files, seed, tune_name, held_name in PARTS:
        split(read_raw(files), seed, tune_name, held_name)
    for path, seed, tune_name, held_name in CSV_PARTS:
        split(read_csv(path), seed, tune_name, held_name)


if __name__ == "__main__":
    main()
