"""Measuring a classifier on labelled texts (``gridbot eval``).

Labels are category names, or ``非诉求`` ("not a request": chit-chat). When the data has
``非诉求`` rows, the "is this a problem at all" decision is part of what is measured: a text
the classifier does not take as a problem is predicted ``非诉求``. Data without such rows
(e.g. letters that are all requests) measure the category alone.

Macro-F1 averages F1 over every label that occurs in the gold labels or the predictions (as
scikit-learn does), so a classifier gains nothing by answering with a label the data lacks.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import NOT_A_PROBLEM

# A letter's title names its subject in a few words, while its body wanders: the title
# counts as this many mentions. Chosen on messages_dev.csv only (python -m bench.cv_learn,
# ten seeded 60/40 splits, macro-F1 of `gridbot learn`): x1 0.857, x6 0.878, x10 0.877
# (0.888 with SEED_WEIGHT 8); 5-fold CV x1 0.881, x10 0.89.
TITLE_REPEAT = 10


class DataError(Exception):
    """A labelled file is missing or malformed; the message is one line naming the file."""


@dataclass(frozen=True)
class CategoryStats:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvalReport:
    total: int
    accuracy: float
    macro_f1: float
    # Among texts taken as problems, the share not falling back to the fallback (其他).
    coverage: float
    # Share of texts in which no category keyword matched at all.
    no_keyword: float
    per_category: dict[str, CategoryStats]
    # gold label -> predicted label -> count
    confusion: dict[str, dict[str, int]]
    # Only with 非诉求 rows: chit-chat taken as a problem / problems taken as chit-chat.
    problem_errors: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "coverage": round(self.coverage, 4),
            "no_keyword": round(self.no_keyword, 4),
            "per_category": {
                name: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for name, s in self.per_category.items()
            },
            "confusion": self.confusion,
            **({"problem_errors": self.problem_errors} if self.problem_errors else {}),
        }

    def to_text(self) -> str:
        lines = [
            f"texts {self.total}  accuracy {self.accuracy:.3f}  macro-F1 {self.macro_f1:.3f}  "
            f"coverage {self.coverage:.3f}  no keyword {self.no_keyword:.3f}",
        ]
        for name, rate in self.problem_errors.items():
            lines.append(f"{name} {rate:.3f}")
        width = max(len(n) for n in self.per_category) * 2 if self.per_category else 8
        lines.append("")
        lines.append(f"{'category':<{width}}  precision  recall     f1  support")
        for name, s in self.per_category.items():
            pad = width - len(name)  # CJK characters take two columns
            numbers = f"{s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}"
            lines.append(f"{name}{' ' * pad}  {numbers}")
        lines.append("")
        lines.append("confusion (rows: label, columns: predicted, by column number)")
        labels = list(self.per_category)
        lines.append("    " + " ".join(f"{i:>4d}" for i in range(len(labels))))
        for i, gold in enumerate(labels):
            row = self.confusion.get(gold, {})
            counts = " ".join(f"{row.get(p, 0):>4d}" for p in labels)
            lines.append(f"{i:>3d} {counts}  {gold}")
        return "\n".join(lines)


def evaluate(classifier: Classifier, rows: Iterable[tuple[str, str]]) -> EvalReport:
    data = [(text, label.strip()) for text, label in rows]
    judge_problem = any(label == NOT_A_PROBLEM for _, label in data)
    gold, pred = [], []
    unmatched = 0
    for text, label in data:
        result = classifier.classify(text)
        predicted = result.category
        if judge_problem and not result.is_problem:
            predicted = NOT_A_PROBLEM
        gold.append(label)
        pred.append(predicted)
        unmatched += result.score <= 0
    total = len(data)
    return EvalReport(
        total=total,
        accuracy=sum(g == p for g, p in zip(gold, pred, strict=True)) / total if total else 0.0,
        macro_f1=_macro_f1(gold, pred),
        coverage=_coverage(pred, classifier.taxonomy.fallback),
        no_keyword=unmatched / total if total else 0.0,
        per_category=_per_category(gold, pred, classifier.taxonomy.names),
        confusion=_confusion(gold, pred),
        problem_errors=_problem_errors(gold, pred) if judge_problem else {},
    )


def _coverage(pred: list[str], fallback: str) -> float:
    """Among texts taken as problems, the share given a category other than the fallback."""
    problems = [p for p in pred if p != NOT_A_PROBLEM]
    return sum(p != fallback for p in problems) / len(problems) if problems else 0.0


def _per_category(gold: list[str], pred: list[str], order: tuple[str, ...]) -> dict:
    labels = set(gold) | set(pred)
    ranked = [n for n in order if n in labels] + sorted(labels - set(order))
    out: dict[str, CategoryStats] = {}
    for label in ranked:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        predicted, support = pred.count(label), gold.count(label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = CategoryStats(precision, recall, f1, support)
    return out


def _macro_f1(gold: list[str], pred: list[str]) -> float:
    stats = _per_category(gold, pred, ())
    return sum(s.f1 for s in stats.values()) / len(stats) if stats else 0.0


def _confusion(gold: list[str], pred: list[str]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, pred, strict=True):
        table[g][p] += 1
    return {g: dict(row) for g, row in table.items()}


def _problem_errors(gold: list[str], pred: list[str]) -> dict[str, float]:
    chat = [p for g, p in zip(gold, pred, strict=True) if g == NOT_A_PROBLEM]
    real = [p for g, p in zip(gold, pred, strict=True) if g != NOT_A_PROBLEM]
    return {
        "chit-chat taken as a problem": sum(p != NOT_A_PROBLEM for p in chat) / len(chat),
        "problems taken as chit-chat": (
            sum(p == NOT_A_PROBLEM for p in real) / len(real) if real else 0.0
        ),
    }


def read_labelled_csv(path: str | Path) -> list[tuple[str, str]]:
    """Rows of (text, label): column ``text``, with ``title`` in front of it when present,
    repeated TITLE_REPEAT times."""
    file = Path(path)
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = {(h or "").strip() for h in reader.fieldnames or []}
            missing = [c for c in ("text", "label") if c not in header]
            if missing:
                raise DataError(f"{file}: missing column '{missing[0]}' (needs text and label)")
            rows = []
            for row in reader:
                row = {(k or "").strip(): (v or "") for k, v in row.items()}
                title = [row.get("title", "")] * TITLE_REPEAT
                text = " ".join(part for part in (*title, row["text"]) if part)
                if row["label"].strip():
                    rows.append((text, row["label"].strip()))
    except FileNotFoundError:
        raise DataError(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{file}: cannot read CSV: {exc}") from None
    if not rows:
        raise DataError(f"{file}: no labelled rows")
    return rows
