"""The `gridbot` command: one subcommand module per concern, errors as one clear line."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.classify.taxonomy import TaxonomyError
from bot.config import ConfigError
from bot.grids.roster import RosterError
from handlers.cli import classify, data, doctor, jobs, report, roster, serve
from handlers.cli.helptext import bilingual
from handlers.plumbing import redact
from storage.database import DatabaseError

EXPECTED = (ConfigError, DatabaseError, RosterError, TaxonomyError)
LONG_RUNNING = {"run", "web"}
logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridbot", description="有事好商量 grid bot: intake, routing, progress, feedback."
    )
    parser.add_argument("--config", metavar="PATH", help="TOML settings file (or GRIDBOT_CONFIG)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (serve, roster, data, classify, doctor, jobs, report):
        module.add_parsers(commands)
    return bilingual(parser)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # A running bot logs what it does; a short command says its result and nothing more.
    quiet = logging.INFO if args.command in LONG_RUNNING else logging.WARNING
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else quiet,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Migrations say what they do at INFO; on every short command that is only noise.
    logging.getLogger("alembic").setLevel(logging.INFO if args.verbose else logging.WARNING)
    redact.install()
    try:
        return int(args.func(args))
    except EXPECTED as exc:
        print(f"gridbot: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file that cannot be read or written, a port in use ...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"gridbot: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line: a person sees one sentence, -v the traceback
        logger.debug("%s failed", args.command, exc_info=True)
        print(f"gridbot: {args.command} failed: {type(exc).__name__}: {exc} "
              "(run with -v for the details)", file=sys.stderr)  # fmt: skip
        return 1


if __name__ == "__main__":
    sys.exit(main())
