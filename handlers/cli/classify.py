"""`gridbot classify`, `gridbot eval` and `gridbot learn`: the classifier from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.classify.classifier import Classification, Classifier
from bot.classify.evaluation import DataError, evaluate, read_labelled_csv
from bot.classify.learning import learn, load_seed
from bot.classify.shared import shared_classifier
from bot.classify.taxonomy import TaxonomyError, dump_taxonomy
from bot.config import load_settings


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "classify":
        parser.add_argument("text", help="the message to classify")
        parser.add_argument("--taxonomy", type=Path, metavar="FILE", help=_TAXONOMY_HELP)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--staff", action="store_true", help="as posted by a grid member (notices lean away)"
        )
        parser.set_defaults(func=run_classify)
    elif command == "eval":
        parser.add_argument(
            "file", type=Path, metavar="FILE.csv", help="columns text (or title+text), label"
        )
        parser.add_argument("--taxonomy", type=Path, metavar="FILE", help=_TAXONOMY_HELP)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.set_defaults(func=run_eval)
    else:
        parser.add_argument(
            "file", type=Path, metavar="FILE.csv", help="columns text (or title+text), label"
        )
        parser.add_argument(
            "--seed", type=Path, metavar="FILE", help="taxonomy TOML or level1,level2 CSV"
        )
        parser.add_argument("--from-db", action="store_true", help="add members' /cat corrections")
        parser.add_argument("--out", type=Path, required=True, metavar="FILE.toml")
        parser.set_defaults(func=run_learn)


_TAXONOMY_HELP = "taxonomy TOML (default: GRIDBOT_TAXONOMY, else the shipped one)"


def run_classify(args: argparse.Namespace) -> int:
    try:
        result = _classifier(args).classify(args.text, staff=args.staff)
    except TaxonomyError as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(_as_dict(result), ensure_ascii=False))
    else:
        print(_as_line(result))
    return 0


def run_eval(args: argparse.Namespace) -> int:
    try:
        classifier = _classifier(args)
        report = evaluate(classifier, read_labelled_csv(args.file))
    except (TaxonomyError, DataError) as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(report.to_text())
    return 0


def run_learn(args: argparse.Namespace) -> int:
    try:
        rows = read_labelled_csv(args.file)
        if args.from_db:
            rows += _corrections(args)
        seed = load_seed(args.seed) if args.seed else None
        taxonomy = learn(rows, seed)
        args.out.write_text(dump_taxonomy(taxonomy, _provenance(args, len(rows))), "utf-8")
    except (TaxonomyError, DataError) as exc:
        return _fail(exc)
    except OSError as exc:
        return _fail(f"{args.out}: cannot write: {exc.strerror or exc}")
    words = sum(len(c.keywords) for c in taxonomy.categories)
    n_categories = len(taxonomy.categories)
    print(f"{args.out}: {n_categories} categories, {words} keywords from {len(rows)} rows")
    return 0


def _corrections(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Members' /cat corrections as (text, category) rows, appended to the CSV rows."""
    import asyncio

    from storage.store import open_store

    async def read() -> list[tuple[str, str]]:
        store = await open_store(load_settings(getattr(args, "config", None)).database_url)
        try:
            return await store.issues.corrections()
        finally:
            await store.close()

    return asyncio.run(read())


def _classifier(args: argparse.Namespace) -> Classifier:
    """The classifier of the chosen taxonomy, built as the bot builds its own."""
    path = args.taxonomy
    if path is None:
        path = load_settings(getattr(args, "config", None)).taxonomy
    return shared_classifier(path)[1]


def _provenance(args: argparse.Namespace, n_rows: int) -> str:
    seed = f", seeded from {args.seed.name}" if args.seed else ""
    db = " and the database's /cat corrections" if args.from_db else ""
    return (
        f"Learned by `gridbot learn` from {n_rows} labelled rows of {args.file.name}{db}{seed}.\n"
        "Keywords are 2-4 character phrases picked by chi-square, weighted by log-odds;\n"
        "seed words weigh 8. min_score = 0: every text gets its best category, never the\n"
        "fallback. Review and edit freely; `gridbot eval FILE.csv --taxonomy THIS` measures it."
    )


def _as_dict(result: Classification) -> dict[str, object]:
    return {
        "category": result.category,
        "score": result.score,
        "margin": result.margin,
        "keywords": list(result.keywords),
        "is_problem": result.is_problem,
        "urgent": result.urgent,
        "urgent_keywords": list(result.urgent_keywords),
        "borderline": result.borderline,
        "danger": result.danger,
        "advice": result.advice,
        "reasons": list(result.reasons),
    }


def _as_line(result: Classification) -> str:
    line = (
        f"{result.category}  score={result.score:.2f}  margin={result.margin:.2f}  "
        f"keywords={','.join(result.keywords) or '-'}  "
        f"problem={'yes' if result.is_problem else 'no'}"
    )
    if result.borderline:
        line += "  borderline=yes (the author is asked)"
    if result.urgent:
        line += f"  urgent=yes ({','.join(result.urgent_keywords)})"
        if result.danger:
            line += f"  danger={result.danger}"
        if result.advice:
            line += f"\nadvice: {result.advice}"
    return line + "".join(f"\n  {reason}" for reason in result.reasons)


def _fail(error: object) -> int:
    print(f"gridbot: {error}", file=sys.stderr)
    return 2
