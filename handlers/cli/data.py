"""`gridbot export`: the issue ledger out for coordinators."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.reports.ledger import export_ledger
from storage.store import open_store


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ledger = commands.add_parser("export", help="the issue ledger (台账)")
    ledger.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ledger.add_argument("--out", type=Path, required=True)
    ledger.add_argument("--from", dest="start", type=_day, metavar="DATE")
    ledger.add_argument("--to", dest="end", type=_day, metavar="DATE")
    ledger.set_defaults(func=export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def export(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.start and args.end and args.start > args.end:
        raise ConfigError("--from must not be after --to")

    async def work() -> int:
        store = await open_store(settings.database_url)
        try:
            count = await export_ledger(
                store, args.format, args.out, settings.timezone, args.start, args.end
            )
        finally:
            await store.close()
        print(f"{count} issues written to {args.out}")
        return 0

    return asyncio.run(work())
