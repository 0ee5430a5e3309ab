"""`gridbot roster import` and `gridbot export`: data in and out for coordinators."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.grids.roster import import_roster
from bot.reports.ledger import export_ledger
from handlers.cli.paths import output_file, output_format
from storage.store import open_store


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    roster = commands.add_parser("roster", help="grids and members")
    actions = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    importer = actions.add_parser("import", help="import grids and members from CSV or XLSX")
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.set_defaults(func=roster_import)
    ledger = commands.add_parser("export", help="the issue ledger (台账)")
    # Checked by the command, so a mistake is one line (exit 2); default: the file name's.
    ledger.add_argument("--format", metavar="csv|xlsx", help="default: from the --out name")
    ledger.add_argument("--out", type=Path, required=True, metavar="FILE")
    ledger.add_argument("--from", dest="start", type=_day, metavar="DATE")
    ledger.add_argument("--to", dest="end", type=_day, metavar="DATE")
    ledger.set_defaults(func=export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def roster_import(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)

    async def work() -> int:
        store = await open_store(settings.database_url)
        try:
            report = await import_roster(store, list(args.files))
        finally:
            await store.close()
        for error in report.errors:
            print(error, file=sys.stderr)
        print(
            f"grids: {report.grids_new} new, {report.grids_updated} updated; "
            f"members: {report.members_new} new, {report.members_updated} updated; "
            f"{len(report.errors)} rows rejected"
        )
        return 1 if report.errors else 0

    return asyncio.run(work())


LEDGER_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


def export(args: argparse.Namespace) -> int:
    out = output_file(args.out)
    fmt = output_format(out, args.format, LEDGER_FORMATS)
    if args.start and args.end and args.start > args.end:
        raise ConfigError("--from must not be after --to")
    settings = load_settings(args.config)

    async def work() -> int:
        store = await open_store(settings.database_url)
        try:
            count = await export_ledger(store, fmt, out, settings.timezone, args.start, args.end)
        finally:
            await store.close()
        print(f"{count} issues written to {args.out}")
        return 0

    return asyncio.run(work())
