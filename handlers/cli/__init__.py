"""The `gridbot` command: one subcommand module per concern, errors as one clear line.

A subcommand's module is imported only when it is chosen: `gridbot run` does not load the
roster importer, the ledger writer or the doctor, and `gridbot --help` loads none of them
(each one's imports reach SQLAlchemy, PTB or aiohttp, about a second for all of them).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Iterable, Sequence

from handlers.cli.helptext import bilingual
from handlers.plumbing import redact

# Each command: its module in handlers/cli (which adds its arguments), and its help line.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("serve", "run the bot (long polling, or --webhook)"),
    "web": ("serve", "serve the web app and Open311 alone (no polling)"),
    "demo": ("serve", "the whole flow locally: no token, no internet"),
    "roster": ("roster", "grids and members"),
    "export": ("data", "the issue ledger (台账)"),
    "classify": ("classify", "category, keywords and score of a text"),
    "eval": ("classify", "accuracy and macro-F1 on a labelled CSV"),
    "learn": ("classify", "learn weighted keywords from a labelled CSV"),
    "doctor": ("doctor", "check settings, database, token and groups"),
    "backup": ("doctor", "online copy of the SQLite database"),
    "jobs": ("jobs", "scheduled jobs: digests, reminders, spot checks, consultations"),
    "report": ("report", "reports drafted from the issues"),
}
# The errors a person can cause (a bad setting, file or row): one line and exit 2. Named,
# not imported: an error can only come from a module that the command has loaded.
EXPECTED = (
    ("bot.config", "ConfigError"),
    ("storage.database", "DatabaseError"),
    ("bot.grids.roster_files", "RosterError"),
    ("bot.classify.taxonomy", "TaxonomyError"),
)
LONG_RUNNING = {"run", "web"}
logger = logging.getLogger(__name__)


def build_parser(argv: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the commands it names get their arguments (and their
    modules imported). Every word that is a command's name counts, so an option's value
    that happens to be one costs an import, never a wrong parse."""
    parser = argparse.ArgumentParser(
        prog="gridbot", description="有事好商量 grid bot: intake, routing, progress, feedback."
    )
    parser.add_argument("--config", metavar="PATH", help="TOML settings file (or GRIDBOT_CONFIG)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    named = set(COMMANDS) if argv is None else set(argv) & set(COMMANDS)
    for name, (module, help_line) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_line)
        if name in named:
            importlib.import_module(f"handlers.cli.{module}").add_arguments(name, sub)
    return bilingual(parser)


def expected(exc: BaseException) -> bool:
    return any(
        isinstance(exc, getattr(sys.modules[module], name))
        for module, name in EXPECTED
        if module in sys.modules
    )


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
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
    except OSError as exc:  # a file that cannot be read or written, a port in use ...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"gridbot: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line: a person sees one sentence, -v the traceback
        if expected(exc):
            print(f"gridbot: {exc}", file=sys.stderr)
            return 2
        logger.debug("%s failed", args.command, exc_info=True)
        print(f"gridbot: {args.command} failed: {type(exc).__name__}: {exc} "
              "(run with -v for the details)", file=sys.stderr)  # fmt: skip
        return 1


if __name__ == "__main__":
    sys.exit(main())
