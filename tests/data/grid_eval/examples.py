"""Writes bot/data/taxonomy_examples.csv, the labelled messages the shipped taxonomy's second
opinions learn from: every row of every tuning part of the grid set (tune, holdout,
fresh_tune, the sealed set once seen, third_tune; the later sealed sets (sealed2-4, sealed6,
sealed7's tune7, sealed8's tune8) and the fresh5, fresh6 and urgent6 tuning parts for the
problem and urgency opinions only, and so the teaching messages of teach8),
never an untouched third. Problems are labelled with their category, the rest 非诉求 (the problem
decision's n-grams learn from both), the lines of extra_examples.tsv (category or 非诉求,
tab, text: short reports and chat written only to teach, never measured) and of
category_examples.tsv (category, tab, text: the tuning two thirds of issue 18c's
category-labelled reports; the last third is category_untouched.csv, measured only). The
``urgent`` column (0/1) is the parts' own, what the urgency opinion learns from; taught
lines are not urgent. Run after editing a raw file and split.py:
``python tests/data/grid_eval/examples.py``.
"""

import csv
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parents[2] / "bot" / "data" / "taxonomy_examples.csv"
TAUGHT = ("extra_examples.tsv", "category_examples.tsv")
# Written only to teach (never measured), with their own urgent column: problem and urgency
# opinions only, like LATER, and part of every training of bench/grid_eval.py too.
TEACH = ("teach8/teach.csv",)
PARTS = ("tune.csv", "holdout.csv", "fresh_tune.csv", "sealed/fresh.csv", "third_tune.csv")
# The later seen sets and tuning parts teach the problem and urgency opinions only (problems
# labelled 诉求, no category: the category opinion passes them over), whose cost a message is
# one look-up a gram; as category examples they made classification ~25% slower (many more
# known n-grams).
LATER = (
    "sealed2/fresh2.csv",
    "sealed3/fresh3.csv",
    "sealed4/fresh4.csv",
    "fresh5/tune.csv",
    "fresh6/tune.csv",
    "urgent6/tune.csv",
    "sealed6/fresh6.csv",
    "sealed7/tune7.csv",
    "sealed8/tune8.csv",
)


def main() -> None:
    rows = []
    for name in PARTS:
        with (HERE / name).open(encoding="utf-8", newline="") as fh:
            rows += [
                (r["text"], r["category"] or "非诉求", r["urgent"]) for r in csv.DictReader(fh)
            ]
    for name in (*LATER, *TEACH):
        with (HERE / name).open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows.append((r["text"], "诉求" if r["category"] else "非诉求", r["urgent"]))
    for name in TAUGHT:
        for line in (HERE / name).read_text("utf-8").splitlines():
            label, text = line.split("\t")
            rows.append((text, label, "0"))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "category", "urgent"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} examples")


if __name__ == "__main__":
    main()
