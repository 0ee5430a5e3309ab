"""`gridbot report sqmy`: 社情民意 drafts for the members who write them up."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.grids.codes import normalise_code
from bot.reports import sqmy, sqmy_render
from bot.reports.pdf import MISSING, PdfUnavailable, soffice
from bot.services import build_services
from bot.texts import plain
from handlers.cli.paths import output_file, output_format

DRAFT_FORMATS = {".docx": "docx", ".md": "md", ".pdf": "pdf"}


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="report_command", metavar="KIND", required=True)
    draft = kinds.add_parser("sqmy", help="社情民意 drafts, one per recurring topic")
    # Dates and choices are checked by the command, so a mistake is one line (exit 2).
    draft.add_argument("--from", dest="start", metavar="DATE")
    draft.add_argument("--to", dest="end", metavar="DATE")
    draft.add_argument("--grid", metavar="CODE", type=normalise_code)
    draft.add_argument("--community", metavar="NAME")
    draft.add_argument("--category", metavar="NAME")
    draft.add_argument("--format", dest="fmt", metavar="docx|md|pdf", help="default: from --out")
    draft.add_argument("--issue-no", metavar="TEXT", help="期号 (default: the month covered)")
    draft.add_argument("--unit", metavar="NAME", help="报送单位 (default GRIDBOT_REPORT_UNIT)")
    draft.add_argument("--author", metavar="NAME", help="报送人 (default GRIDBOT_REPORT_AUTHOR)")
    draft.add_argument("--out", type=Path, required=True, metavar="FILE")
    draft.set_defaults(func=report_sqmy)


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} must be a date like 2026-11-30, got {text!r}") from None


def filters_of(args: argparse.Namespace) -> sqmy.Filters:
    """The options as filters; ConfigError (one line, exit 2) for any that do not fit."""
    if args.grid and args.community:
        raise ConfigError("give --grid or --community, not both")
    start, end = _day("--from", args.start), _day("--to", args.end)
    if start and end and start > end:
        raise ConfigError("--from must not be after --to")
    return sqmy.Filters(start, end, args.grid, args.community, args.category)


def report_sqmy(args: argparse.Namespace) -> int:
    out = output_file(args.out)
    fmt = output_format(out, args.fmt, DRAFT_FORMATS)
    filters = filters_of(args)
    settings = load_settings(args.config)
    if fmt == "pdf" and soffice() is None:
        raise ConfigError(MISSING)
    masthead = sqmy_render.Masthead(
        issue_no=args.issue_no or settings.report_issue_no,
        unit=args.unit or settings.report_unit, author=args.author or settings.report_author,
    )  # fmt: skip
    return asyncio.run(_write(settings, filters, out, fmt, masthead))


async def _write(
    settings: Settings, filters: sqmy.Filters, out: Path, fmt: str,
    masthead: sqmy_render.Masthead,
) -> int:  # fmt: skip
    services = await build_services(settings)
    try:
        report = await sqmy.build(services, filters)
    except sqmy.ReportError as exc:
        raise ConfigError(str(exc)) from None
    finally:
        await services.close()
    texts, zone = services.texts, settings.timezone
    if not report.topics:
        print(plain(sqmy_render.nothing(report, texts, settings)))
        return 0
    try:
        sqmy_render.write(report, texts, zone, out, fmt, masthead)
    except PdfUnavailable as exc:
        raise ConfigError(str(exc)) from None
    numbers = sum(topic.count for topic in report.topics)
    topics = len(report.topics)
    print(f"{topics} 个议题（{numbers} 件诉求）已写入 {out} "
          f"({topics} topics ({numbers} issues) written to {out})")  # fmt: skip
    return 0
