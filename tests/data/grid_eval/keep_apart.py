"""Keeps teaching rows apart from every measured set: writes FOLDER/kept.csv, the rows of
FOLDER/teach.csv that share no run of 8 characters (after NFKC, with punctuation and spaces
removed) with any untouched part or blind set still sealed. Prints counts only, never a row.

Run: python tests/data/grid_eval/keep_apart.py teach10a [teach10b ...]
"""

import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
RUN = 8
# Measured only: the untouched thirds and the sealed sets not yet split.
MEASURED = (
    "fresh_untouched.csv", "third_untouched.csv", "category_untouched.csv",
    "fresh5/untouched.csv", "fresh6/untouched.csv", "urgent6/untouched.csv",
    "sealed7/untouched7.csv", "sealed8/untouched8.csv", "sealed9/untouched9.csv",
    "sealed10/untouched10.csv",
)  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+")


def squeezed(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def runs(text: str) -> set[str]:
    s = squeezed(text)
    return {s[i : i + RUN] for i in range(len(s) - RUN + 1)} or {s}


def measured_runs() -> set[str]:
    found: set[str] = set()
    for name in MEASURED:
        with (HERE / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                found |= runs(row["text"])
    return found


def main(folders: list[str]) -> None:
    taken = measured_runs()
    for folder in folders:
        with (HERE / folder / "teach.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, list(reader)
        kept = [r for r in rows if not runs(r["text"]) & taken]
        with (HERE / folder / "kept.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(fields or ()))
            writer.writeheader()
            writer.writerows(kept)
        print(f"{folder}: {len(rows)} rows, {len(rows) - len(kept)} dropped, {len(kept)} kept")


if __name__ == "__main__":
    main(sys.argv[1:])
