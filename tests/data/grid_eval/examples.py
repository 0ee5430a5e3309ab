"""Writes bot/data/taxonomy_examples.csv, the labelled messages the shipped taxonomy's second
opinions learn from: every row of every tuning part of the grid set (tune, holdout,
fresh_tune, the sealed set once seen, third_tune; the later sealed sets sealed2-4, sealed6,
sealed7's tune7 and sealed8's tune8; the fresh5, fresh6 and urgent6 tuning parts; the
teaching messages of teach8 and teach10a-d, as kept apart from every measured set by
keep_apart.py), never an untouched third nor a sealed set. Problems are labelled with
their category, the rest 非诉求 (the problem decision's n-grams learn from both). Then the
lines of extra_examples.tsv (category or 非诉求, tab, text: short reports and chat written
only to teach, never measured) and of category_examples.tsv (category, tab, text: the
tuning two thirds of issue 18c's category-labelled reports; the last third is
category_untouched.csv, measured only). The ``urgent`` column (0/1) is the parts' own, what
the urgency opinion learns from; taught lines are not urgent. Run after editing a raw file
and split.py: ``python tests/data/grid_eval/examples.py`` (it then retrains the shipped
opinions, bot/data/taxonomy_trained.bin).
"""

import csv
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parents[2] / "bot" / "data" / "taxonomy_examples.csv"
TAUGHT = ("extra_examples.tsv", "category_examples.tsv")
# Written only to teach (never measured), with their own urgent column, and part of every
# training of bench/grid_eval.py too: the rows keep_apart.py kept (kept.csv).
TEACH = (
    "teach8/kept.csv",
    "teach10a/kept.csv",
    "teach10b/kept.csv",
    "teach10c/kept.csv",
    "teach10d/kept.csv",
)
PARTS = ("tune.csv", "holdout.csv", "fresh_tune.csv", "sealed/fresh.csv", "third_tune.csv")
# The later seen sets and tuning parts. They once taught the problem and urgency opinions
# only (as category examples they made classification ~25% slower, before the n-grams were
# packed); since session 10 they teach categories too: on the untouched parts category
# accuracy 394 -> 404 of 431, for classification 8,574 -> 6,028 short messages/s.
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
                rows.append((r["text"], r["category"] or "非诉求", r["urgent"]))
    for name in TAUGHT:
        for line in (HERE / name).read_text("utf-8").splitlines():
            label, text = line.split("\t")
            rows.append((text, label, "0"))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "category", "urgent"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} examples")
    # The shipped opinions come trained (bot/classify/trained.py): train them anew.
    subprocess.run([sys.executable, "-m", "bot.classify.trained"], cwd=OUT.parents[2], check=True)


if __name__ == "__main__":
    main()
