"""Duplicate detection (issue 6): precision and recall of the similarity measure.

    python bench/bench_duplicates.py [--pairs tests/data/duplicate_pairs.csv]

Reads pairs of grid messages (`a,b,same`), and for the measure gridbot uses
(bot/classify/similarity.py: character-unigram cosine with place and keyword vetoes, plus the same
category as SPEC §9 asks) and for plain character-bigram Jaccard and cosine baselines,
prints precision, recall and F1 at each threshold, and the best F1 of each. The threshold
in bot/classify/similarity.py is the one printed as `chosen`.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.classify.classifier import Classifier
from bot.classify.similarity import THRESHOLD, Profile, cosine, profile, similarity
from bot.classify.taxonomy import load_taxonomy

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "duplicate_pairs.csv"
Measure = Callable[[str, str], float]


def bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def measures(classifier: Classifier) -> dict[str, Measure]:
    norm = classifier.normalizer

    def prof(text: str) -> Profile:
        return profile(norm, text, classifier.classify(text).keywords)

    def same_category(a: str, b: str) -> bool:
        return classifier.classify(a).category == classifier.classify(b).category

    def gridbot(a: str, b: str) -> float:
        return similarity(prof(a), prof(b)) if same_category(a, b) else 0.0

    def jaccard(a: str, b: str) -> float:
        x, y = set(bigrams(norm.normalize(a))), set(bigrams(norm.normalize(b)))
        return len(x & y) / len(x | y) if x | y else 0.0

    def bigram_cosine(a: str, b: str) -> float:
        return cosine(bigrams(norm.normalize(a)), bigrams(norm.normalize(b)))

    def gated(measure: Measure) -> Measure:
        return lambda a, b: measure(a, b) if same_category(a, b) else 0.0

    def vetoed(measure: Measure) -> Measure:
        """The measure behind gridbot's vetoes: 0 where they say "another problem"."""
        return lambda a, b: measure(a, b) if gridbot(a, b) > 0 else 0.0

    return {
        "gridbot (unigram cosine, vetoes, category)": gridbot,
        "bigram Jaccard + vetoes + category": vetoed(jaccard),
        "bigram cosine + vetoes + category": vetoed(bigram_cosine),
        "bigram Jaccard + category": gated(jaccard),
        "bigram cosine + category": gated(bigram_cosine),
        "bigram Jaccard alone": jaccard,
    }


def table(scores: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, same in scores if s >= threshold and same)
    fp = sum(1 for s, same in scores if s >= threshold and not same)
    positives = sum(1 for _, same in scores if same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args()
    with args.pairs.open(encoding="utf-8") as handle:
        pairs = [(row["a"], row["b"], row["same"] == "1") for row in csv.DictReader(handle)]
    print(f"{len(pairs)} pairs, {sum(same for *_, same in pairs)} about the same problem")
    classifier = Classifier(load_taxonomy(None))
    for name, measure in measures(classifier).items():
        scores = [(measure(a, b), same) for a, b, same in pairs]
        grid = [t / 100 for t in range(5, 80)]
        best = max(grid, key=lambda t: (table(scores, t)[2], t))
        p, r, f = table(scores, best)
        print(f"{name:44s} best F1 {f:.3f} (P {p:.3f}, R {r:.3f}) at {best:.2f}")
        if name.startswith("gridbot"):
            for threshold in (0.30, 0.34, THRESHOLD, 0.42, 0.46, 0.50):
                p, r, f = table(scores, threshold)
                mark = "  <- chosen" if threshold == THRESHOLD else ""
                print(f"    at {threshold:.2f}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}{mark}")


if __name__ == "__main__":
    main()
