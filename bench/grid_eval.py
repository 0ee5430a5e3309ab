"""The issue-18 figures on the hand-written grid set (tests/data/grid_eval).

    python -m bench.grid_eval [PART] [--misses] [--taxonomy FILE]
    python -m bench.grid_eval --file PATH [--misses]
    python -m bench.grid_eval fresh --train tune,holdout [--weight W] [--problem-weight W]
    python -m bench.grid_eval --cross

Problem recall, non-problems registered, category accuracy (share of problems given their
labelled category) and urgent recall / false alarms. ``tune`` and ``holdout`` are the first
session's parts, ``fresh`` the tuning two thirds of the second session's set, ``sealed`` the
set written by a session that never saw the classifier (seen since it was measured once),
``third`` the tuning two thirds of the third session's set; ``untouched`` and
``third_untouched`` (the last thirds) are measured, never inspected nor trained on: --misses
is refused on them (and on a --file holding any of their rows). Later parts follow the same
rule, e.g. ``tune7`` / ``untouched7``, the two thirds / last third of sealed7. ``--file``
measures any CSV with the columns text,is_problem,category,urgent (kind and label optional),
e.g. a new sealed set written by others.

The shipped taxonomy's second opinions learn from every row of the trainable parts
(bot/data/taxonomy_examples.csv), so its figures there are training figures. ``--cross``
measures each trainable part with opinions trained on the other trainable parts only, and
the untouched ones with all of them: figures of generalisation (for the n-gram opinions;
the keywords were written by people who had read the trainable parts). ``--train``
gives the second opinions only the named parts instead (and extra_examples.tsv, never
measured; ``none``: no part), to measure on a part they have not seen; ``--weight`` and
``--problem-weight`` override their weights.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify.classifier import Classifier  # noqa: E402
from bot.classify.evaluation import NOT_A_PROBLEM  # noqa: E402
from bot.classify.taxonomy import Taxonomy, load_taxonomy  # noqa: E402

DATA = ROOT / "tests" / "data" / "grid_eval"
PARTS = {
    "tune": "tune.csv",
    "holdout": "holdout.csv",
    "fresh": "fresh_tune.csv",
    "untouched": "fresh_untouched.csv",
    # written by a session that never saw the classifier; seen since its one measurement
    "sealed": "sealed/fresh.csv",
    # the third session's own messages, written before its changes
    "third": "third_tune.csv",
    "third_untouched": "third_untouched.csv",
    # the later sealed sets, seen since their one measurement each
    "sealed2": "sealed2/fresh2.csv",
    "sealed3": "sealed3/fresh3.csv",
    "sealed4": "sealed4/fresh4.csv",
    # the fifth session's own messages (mostly dangers and hard non-problems)
    "fresh5": "fresh5/tune.csv",
    "fresh5_untouched": "fresh5/untouched.csv",
    # the sixth session's own messages (shapes of non-reports, complaints asked as questions)
    "fresh6": "fresh6/tune.csv",
    "fresh6_untouched": "fresh6/untouched.csv",
    # the urgency opinion's rebuild (issue-18u): dangers of every kind, danger-word chat
    "urgent6": "urgent6/tune.csv",
    "urgent6_untouched": "urgent6/untouched.csv",
    # the sixth sealed set (written blind for task 23), seen since its one measurement
    "sealed6": "sealed6/fresh6.csv",
    # the seventh sealed set, split (seed 1822) after its one blind measurement: two thirds
    # tuned on, the last third measured only
    "tune7": "sealed7/tune7.csv",
    "untouched7": "sealed7/untouched7.csv",
    # the eighth sealed set, split (seed 1823) after its blind measurements: two thirds tuned
    # on, the last third measured only
    "tune8": "sealed8/tune8.csv",
    "untouched8": "sealed8/untouched8.csv",
    # the ninth sealed set, split (seed 1824) after its blind measurements: the last third
    # measured only
    "tune9": "sealed9/tune9.csv",
    "untouched9": "sealed9/untouched9.csv",
    # the tenth sealed set, split (seed 1825) after its blind measurements: the last third
    # measured only
    "tune10": "sealed10/tune10.csv",
    "untouched10": "sealed10/untouched10.csv",
    # issue 18c's category-labelled reports: the last third (the rest teach, never measured)
    "category_untouched": "category_untouched.csv",
}
# Measured, never inspected (--misses refused) nor trained on (--train refused).
UNTOUCHED = (
    "untouched", "third_untouched", "fresh5_untouched", "fresh6_untouched", "urgent6_untouched",
    "category_untouched", "untouched7", "untouched8", "untouched9", "untouched10",
)  # fmt: skip


def untouched_texts() -> set[str]:
    """Every text of an untouched part: --misses is refused on a file holding any of them
    (an untouched part by another path, or a whole set before its split, e.g. sealed7/fresh7)."""
    return {r["text"] for p in UNTOUCHED for r in read_rows(DATA / PARTS[p])}


def measure(classifier: Classifier, rows: list[dict[str, str]], misses: bool) -> dict:
    problems = [r for r in rows if r["is_problem"] == "1"]
    others = [r for r in rows if r["is_problem"] == "0"]
    urgent = [r for r in rows if r["urgent"] == "1"]
    found = right = registered = urgent_hit = false_urgent = 0
    for row in rows:
        result = classifier.classify(row["text"])
        wrong = []
        if row["is_problem"] == "1":
            found += result.is_problem
            right += result.category == row["category"]
            if not result.is_problem:
                wrong.append("missed")
            if result.category != row["category"]:
                wrong.append(f"category {result.category}")
        else:
            registered += result.is_problem
            if result.is_problem:
                wrong.append("registered")
        if row["urgent"] == "1":
            urgent_hit += result.urgent
            if not result.urgent:
                wrong.append("not urgent")
        elif result.urgent:
            false_urgent += 1
            wrong.append("urgent")
        if misses and wrong:
            kind, label = row.get("kind", ""), row.get("label", row["category"])
            print(f"{kind:<10} {label:<5} {'; '.join(wrong):<24} {row['text']}")
    return {
        "rows": len(rows),
        "problem recall": _share(found, len(problems)),
        "non-problems registered": _share(registered, len(others)),
        "category accuracy": _share(right, len(problems)),
        "urgent recall": _share(urgent_hit, len(urgent)),
        "non-urgent marked urgent": false_urgent,
    }


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else f"{part}/0"


REQUIRED = {"text", "is_problem", "category", "urgent"}


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a grid-set CSV; exits with one line if a needed column is missing."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = REQUIRED - set(reader.fieldnames or ())
            if missing:
                sys.exit(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except OSError as exc:
        sys.exit(f"{path}: cannot read: {exc.strerror or exc}")


def _examples_module() -> ModuleType:
    """tests/data/grid_eval/examples.py, which names the files written only to teach."""
    spec = importlib.util.spec_from_file_location("grid_examples", DATA / "examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def extra_examples() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """What was written only to teach, part of every training: the TSVs (label, tab, text)
    and the teaching CSVs (problem or not, and urgent). Returns the labelled pairs and the
    urgent texts; read once (--cross retrains for every part)."""
    examples = _examples_module()
    lines = [line for n in examples.TAUGHT for line in (DATA / n).read_text("utf-8").splitlines()]
    pairs = [(text, label) for label, text in (line.split("\t") for line in lines if line)]
    rows = [r for n in examples.TEACH for r in read_rows(DATA / n)]
    pairs += [(r["text"], r["category"] or NOT_A_PROBLEM) for r in rows]
    return tuple(pairs), tuple(r["text"] for r in rows if r["urgent"] == "1")


def retrained(
    taxonomy: Taxonomy, parts: str | None, weight: float | None, problem: float | None = None
) -> Taxonomy:
    """The taxonomy with its second opinion's examples and weight replaced as asked."""
    if parts is not None:
        names = [p for p in parts.split(",") if p and p != "none"]
        unknown = [p for p in names if p not in PARTS or p in UNTOUCHED]
        if unknown:
            known = ", ".join(p for p in PARTS if p not in UNTOUCHED)
            sys.exit(f"--train: unknown part {unknown[0]} ({known} or none)")
        rows = [r for p in names for r in read_rows(DATA / PARTS[p])]
        # non-problems teach the problem decision's n-grams (label 非诉求)
        pairs = [(r["text"], r["category"] or NOT_A_PROBLEM) for r in rows]
        taught, urgent = extra_examples()
        marked = (*(r["text"] for r in rows if r["urgent"] == "1"), *urgent)
        taxonomy = replace(taxonomy, examples=(*pairs, *taught), urgent_examples=marked)
    if weight is not None:
        taxonomy = replace(taxonomy, opinion_weight=weight)
    if problem is not None:
        taxonomy = replace(taxonomy, problem_weight=problem)
    return taxonomy


def cross(taxonomy: Taxonomy) -> None:
    """Each part measured with opinions that never saw it (see the module's docstring)."""
    trainable = [p for p in PARTS if p not in UNTOUCHED]
    for part in PARTS:
        others = ",".join(p for p in trainable if p != part)
        figures = measure(
            Classifier(retrained(taxonomy, others, None)), read_rows(DATA / PARTS[part]), False
        )
        shown = "  ".join(f"{k}: {v}" for k, v in figures.items() if k != "rows")
        print(f"{part} (trained on {others}): {shown}")


def loaded(args: argparse.Namespace) -> Taxonomy:
    """The taxonomy asked for, with the urgency opinion's parameters overridden as asked."""
    taxonomy = load_taxonomy(args.taxonomy)
    if args.urgent_lead is not None:
        taxonomy = replace(taxonomy, urgent_lead=args.urgent_lead)
    if args.urgent_clip is not None:
        taxonomy = replace(taxonomy, urgent_clip=args.urgent_clip)
    if args.problem_clip is not None:
        taxonomy = replace(taxonomy, problem_clip=args.problem_clip)
    # --cross retrains the examples only: the weights asked for hold for every part.
    return retrained(taxonomy, None, args.weight, args.problem_weight)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", default="tune", choices=sorted(PARTS))
    parser.add_argument("--file", type=Path, help="any CSV with the grid set's columns")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--taxonomy", type=Path)
    parser.add_argument("--train", help="parts the second opinion learns from, e.g. tune,holdout")
    parser.add_argument("--weight", type=float, help="the second opinion's weight")
    parser.add_argument("--problem-weight", type=float, help="the problem opinion's weight")
    parser.add_argument("--problem-clip", type=float, help="the problem opinion's clip")
    parser.add_argument("--cross", action="store_true", help="every part, trained without it")
    parser.add_argument("--urgent-lead", type=float, help="the urgency opinion's weight")
    parser.add_argument("--urgent-clip", type=float, help="the urgency opinion's clip")
    args = parser.parse_args()
    if args.cross:
        cross(loaded(args))
        return
    if args.misses and args.part in UNTOUCHED and args.file is None:
        parser.error("the untouched third is measured, never inspected")
    rows = read_rows(args.file or DATA / PARTS[args.part])
    if args.misses and args.file is not None and untouched_texts() & {r["text"] for r in rows}:
        parser.error(f"{args.file} holds rows of an untouched part: measured, never inspected")
    taxonomy = retrained(loaded(args), args.train, None)
    figures = measure(Classifier(taxonomy), rows, args.misses)
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
