"""`gridbot learn` measured on messages_dev.csv: 5-fold CV and seeded 60/40 splits.

    python -m bench.cv_learn [--splits N]

Each split learns a taxonomy from its training part (seeded by taxonomy.csv, as
`gridbot learn --seed` does) and measures macro-F1 on the rest, the way the hidden 40%
holdout is measured.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify.classifier import Classifier  # noqa: E402
from bot.classify.evaluation import evaluate, read_labelled_csv  # noqa: E402
from bot.classify.learning import learn, load_seed  # noqa: E402

DATA = ROOT / "tests" / "data" / "messages"


def stratified(rows: list[tuple[str, str]], seed: int) -> dict[str, list[int]]:
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, (_, label) in enumerate(rows):
        by_label[label].append(i)
    rng = random.Random(seed)
    for label in sorted(by_label):
        rng.shuffle(by_label[label])
    return by_label


def score(rows: list[tuple[str, str]], test: set[int]) -> float:
    seed = load_seed(DATA / "taxonomy.csv")
    train = [r for i, r in enumerate(rows) if i not in test]
    taxonomy = learn(train, seed)
    return evaluate(Classifier(taxonomy), [rows[i] for i in sorted(test)]).macro_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, default=10)
    args = parser.parse_args()
    rows = read_labelled_csv(DATA / "messages_dev.csv")
    by_label = stratified(rows, 0)
    folds = []
    for f in range(5):
        test = {i for ids in by_label.values() for j, i in enumerate(ids) if j % 5 == f}
        folds.append(score(rows, test))
    print(
        "5-fold CV macro-F1: "
        + " ".join(f"{s:.3f}" for s in folds)
        + f"  mean {statistics.mean(folds):.3f}"
    )
    splits = []
    for seed in range(1, args.splits + 1):
        by_label = stratified(rows, seed)
        test = {i for ids in by_label.values() for i in ids[: round(len(ids) * 0.4)]}
        splits.append(score(rows, test))
    print(
        "60/40 splits macro-F1: "
        + " ".join(f"{s:.3f}" for s in splits)
        + f"  mean {statistics.mean(splits):.3f}  min {min(splits):.3f}  max {max(splits):.3f}"
    )


if __name__ == "__main__":
    main()
