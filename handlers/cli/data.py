"""`gridbot export`: the issue ledger out for coordinators (the roster: handlers/cli/roster.py)."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.reports.ledger import Paper, export_ledger
from handlers.cli.paths import output_file, output_format
from storage.store import open_store


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    # Checked by the command, so a mistake is one line (exit 2); default: the file name's.
    parser.add_argument("--format", metavar="csv|xlsx", help="default: from the --out name")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    parser.add_argument("--from", dest="start", type=_day, metavar="DATE")
    parser.add_argument("--to", dest="end", type=_day, metavar="DATE")
    parser.add_argument("--by-grid", action="store_true", help="XLSX: one sheet per grid")
    parser.add_argument("--unit", metavar="NAME", help="the unit named in the XLSX title")
    parser.set_defaults(func=export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


LEDGER_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


def export(args: argparse.Namespace) -> int:
    out = output_file(args.out)
    fmt = output_format(out, args.format, LEDGER_FORMATS)
    if args.start and args.end and args.start > args.end:
        raise ConfigError("--from must not be after --to")
    if args.by_grid and fmt != "xlsx":
        raise ConfigError("--by-grid needs --format xlsx")
    settings = load_settings(args.config)
    # The date the paper is made is the operator's today: the command line's one clock.
    paper = Paper(unit=args.unit or settings.report_unit, made_at=datetime.now(UTC),
                  by_grid=args.by_grid)  # fmt: skip

    async def work() -> int:
        store = await open_store(settings.database_url)
        try:
            count = await export_ledger(
                store, fmt, out, settings.timezone, args.start, args.end, paper
            )
        finally:
            await store.close()
        print(f"{count} 件诉求已写入 {args.out} ({count} issues written to {args.out})")
        return 0

    return asyncio.run(work())
