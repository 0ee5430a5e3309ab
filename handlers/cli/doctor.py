"""`gridbot doctor`: one line per check, and a non-zero exit when anything is wrong."""

from __future__ import annotations

import argparse
import asyncio
import re
from dataclasses import dataclass
from datetime import date, datetime

import chinese_calendar
from telegram import Bot
from telegram.error import Forbidden, InvalidToken, TelegramError

from bot.clock import utc_now
from bot.config import ConfigError, Settings, load_settings
from bot.workdays import FILE_SETTING, Calendar, load_calendar
from storage.database import Database
from storage.health import missing_sqlite, schema_state
from storage.store import Store

# What @BotFather hands out: the bot's numeric id, a colon, then URL-safe characters.
TOKEN_FORMAT = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{8,100}")


@dataclass(frozen=True)
class Check:
    ok: bool
    line: str
    warning: bool = False  # worth saying, not wrong: the exit status stays 0


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "doctor":
        parser.set_defaults(func=run_doctor)
    else:
        parser.add_argument("out", metavar="FILE")
        parser.set_defaults(func=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from handlers.cli.paths import output_file
    from storage.backup import backup_sqlite

    target = output_file(Path(args.out), "backup")
    size = backup_sqlite(load_settings(args.config).database_url, target)
    print(f"backup written to {args.out} ({size} bytes)")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    checks = asyncio.run(diagnose(args.config))
    for check in checks:
        print(("WARN " if check.warning else "ok   " if check.ok else "FAIL ") + check.line)
    return 0 if all(check.ok for check in checks) else 1


async def diagnose(config: str | None) -> list[Check]:
    """Every check, reading only: no database is created or migrated by asking."""
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        return [Check(False, f"settings: {exc}")]
    checks = [Check(True, "settings: loaded"), _calendar(settings, utc_now())]
    schema = await _schema(settings)
    checks.append(schema)
    store = Store(Database(settings.database_url)) if schema.ok else None
    try:
        if store is not None:
            checks.extend(await _roster(store))
        checks.extend(await _telegram(settings, store))
        if store is not None:
            checks.extend(await _unreachable_members(store))
    finally:
        if store is not None:
            await store.close()
    return checks


def _calendar(settings: Settings, now: datetime) -> Check:
    """Whether the holidays of the coming months are known (working-day limits need them)."""
    try:
        calendar = load_calendar(settings)
    except ConfigError as exc:
        return Check(False, f"calendar: {exc}")
    return calendar_check(calendar, now.astimezone(settings.timezone).date())


def calendar_check(calendar: Calendar, today: date) -> Check:
    missing = calendar.uncovered(today)
    if not missing:
        return Check(
            True, "calendar: holidays and make-up working days known for the coming months"
        )
    years = "、".join(str(year) for year in missing)
    return Check(
        True,
        f"calendar: China's holidays for {years} are not known yet (chinese-calendar "
        f"{chinese_calendar.__version__}): Monday-Friday are counted as working days; "
        f"upgrade chinesecalendar or list that year's days (休/班) in {FILE_SETTING}",
        warning=True,
    )


async def _schema(settings: Settings) -> Check:
    if (missing := missing_sqlite(settings.database_url)) is not None:
        return Check(
            False,
            f"database: {missing} does not exist yet (gridbot roster import FILE creates it)",
        )
    try:
        current, head = await schema_state(settings.database_url)
    except Exception as exc:  # any driver error means the same to the operator
        return Check(False, f"database: unreachable ({type(exc).__name__}: {exc})")
    if current is None:
        return Check(False, "database: empty, no schema yet (gridbot roster import FILE)")
    if current != head:
        return Check(False, f"database: schema at {current}, newest is {head} (start the bot)")
    return Check(True, f"database: reachable, schema at {head}")


async def _roster(store: Store) -> list[Check]:
    grids, members = await store.grids.all(), await store.members.all()
    waiting = await store.invitations.waiting()
    hint = "import a roster: gridbot roster import FILE"
    checks = [
        Check(True, f"grids: {len(grids)}") if grids else Check(False, f"grids: none ({hint})"),
    ]
    if not members and not waiting:
        checks.append(Check(False, f"members: none ({hint})"))
    else:
        checks.append(Check(True, f"members: {len(members)} joined, {len(waiting)} invited"))
    return checks


def _token_problem(token: str) -> str | None:
    if token != token.strip() or any(c in token for c in "\"' "):
        return "has spaces or quotes around it"
    if token.lower().startswith("bot"):
        return "starts with 'bot': give the token alone, without the prefix"
    if not TOKEN_FORMAT.fullmatch(token):
        return "is not of the form 123456789:ABC... that @BotFather gives"
    return None


async def _telegram(settings: Settings, store: Store | None) -> list[Check]:
    if settings.token is None:
        return [Check(False, "token: TELEGRAM_BOT_TOKEN is not set")]
    if problem := _token_problem(settings.token.value):
        return [Check(False, f"token: TELEGRAM_BOT_TOKEN {problem} (not sent to Telegram)")]
    api = settings.api_url
    bot = Bot(settings.token.value, base_url=api)
    try:
        async with bot:
            me = await bot.get_me()
            checks = [Check(True, f"token: valid, bot @{me.username}"), _privacy(me)]
            if store is not None:
                checks.extend(await _groups(bot, store))
            return checks
    except InvalidToken:
        return [Check(False, "token: rejected by Telegram (InvalidToken)")]
    except TelegramError as exc:
        return [Check(False, f"token: Bot API unreachable at {api} ({exc})")]


def _privacy(me: object) -> Check:
    if getattr(me, "can_read_all_group_messages", False):
        return Check(True, "privacy mode: off, the bot reads every group message")
    return Check(
        False,
        "privacy mode: on - the bot only sees commands in groups unless it is an admin; "
        "@BotFather /setprivacy -> Disable",
    )


async def _groups(bot: Bot, store: Store) -> list[Check]:
    checks = []
    for grid in await store.grids.all():
        if grid.chat_id is None:
            checks.append(Check(True, f"grid {grid.code}: no group bound yet (/bind {grid.code})"))
            continue
        checks.append(await _group(bot, grid.code, grid.chat_id))
    return checks


async def _group(bot: Bot, code: str, chat_id: int) -> Check:
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except (Forbidden, TelegramError) as exc:
        return Check(False, f"grid {code}: group {chat_id} unreachable ({exc})")
    status = getattr(member, "status", "?")
    if status in ("left", "kicked"):
        return Check(False, f"grid {code}: the bot is not in group {chat_id}")
    return Check(True, f"grid {code}: group {chat_id} reachable, bot is {status}")


async def _unreachable_members(store: Store) -> list[Check]:
    silent = [m.name for m in await store.members.all() if not m.reachable]
    if not silent:
        return [Check(True, "members: all have started the bot")]
    names = "、".join(silent)
    return [Check(False, f"members who never started the bot (/start): {names}")]
