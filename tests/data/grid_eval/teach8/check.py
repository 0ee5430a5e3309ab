"""Checks teach.csv: exact header, no duplicate texts, valid labels, urgent rows are problems.

Run: python tests/data/grid_eval/teach8/check.py  (stdlib only; prints counts, exits 1 on
any fault). It reads only teach.csv, never another set of grid_eval.
"""

import csv
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HEADER = ["text", "label", "is_problem", "category", "urgent", "kind"]
CATEGORIES = {
    "市政设施",
    "环境卫生",
    "物业管理",
    "交通出行",
    "治安安全",
    "邻里纠纷",
    "教育文体",
    "医疗卫生",
    "社会保障",
    "农业农村",
    "其他",
}
NON_PROBLEM = "非诉求"


def norm(text: str) -> str:
    # Full-width/half-width and spacing differences would still be the same message.
    return "".join(unicodedata.normalize("NFKC", text).split())


def main() -> int:
    path = Path(__file__).with_name("teach.csv")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    faults = []
    if header != HEADER:
        faults.append(f"header is {header}")
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        if len(row) != len(HEADER):
            faults.append(f"line {n}: {len(row)} fields")
            continue
        text, label, is_problem, category, urgent, kind = row
        if not text.strip() or text != text.strip():
            faults.append(f"line {n}: empty text or edge spaces")
        if norm(text) in seen:
            faults.append(f"line {n}: duplicate of line {seen[norm(text)]}")
        seen.setdefault(norm(text), n)
        if is_problem not in ("0", "1") or urgent not in ("0", "1") or not kind:
            faults.append(f"line {n}: is_problem/urgent not 0/1 or kind empty")
        if label == NON_PROBLEM:
            if (is_problem, category, urgent) != ("0", "", "0"):
                faults.append(f"line {n}: non-problem with is_problem/category/urgent set")
        elif label in CATEGORIES:
            if is_problem != "1" or category != label:
                faults.append(f"line {n}: problem label {label} but is_problem/category differ")
        else:
            faults.append(f"line {n}: unknown label {label!r}")
    for fault in faults:
        print(fault)
    groups = Counter((r[2], r[4]) for r in rows if len(r) == len(HEADER))
    print(
        f"{len(rows)} rows: {groups[('0', '0')]} non-problems, {groups[('1', '0')]} problems "
        f"not urgent, {groups[('1', '1')]} urgent; {len(faults)} faults"
    )
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
