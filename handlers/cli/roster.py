"""`gridbot roster import|invites|remove`: the roster in, invitations out, members leaving."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot.config import ConfigError, Settings, load_settings
from bot.grids.codes import normalise_code
from bot.grids.invitations import DAYS, invite_all, shown_day
from bot.grids.roster import import_roster
from bot.issues.leaving import hand_over_from, remove_member
from bot.reports import invite_sheets
from bot.services import Services, build_services
from handlers.cli.paths import output_file, output_format


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    importer = actions.add_parser("import", help="import grids and members from CSV or XLSX")
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument(
        "--replace", action="store_true", help="the files are the whole roster: others leave"
    )
    importer.set_defaults(func=roster_import)
    invites = actions.add_parser("invites", help="invitation sheets with QR codes (.docx)")
    invites.add_argument("--grid", metavar="CODE", type=normalise_code)
    invites.add_argument("--out", type=Path, required=True, metavar="FILE")
    invites.add_argument("--days", type=int, default=DAYS, help=f"valid for (default {DAYS})")
    invites.set_defaults(func=roster_invites)
    remove = actions.add_parser("remove", help="a member leaves; their open issues move on")
    remove.add_argument("who", metavar="NAME|ID")
    remove.set_defaults(func=roster_remove)


def _run(settings: Settings, work: Callable[[Services], Awaitable[int]]) -> int:
    """The work with the core's services (the texts, the clock, the store), then closed."""

    async def main() -> int:
        services = await build_services(settings)
        try:
            return await work(services)
        finally:
            await services.close()

    return asyncio.run(main())


def roster_import(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)

    async def work(services: Services) -> int:
        report = await import_roster(services.store, list(args.files), replace=args.replace)
        handed = await hand_over_from(services, report.left_ids)
        for line in (*report.warnings, *report.errors):
            print(line, file=sys.stderr)
        print(
            f"网格：新增 {report.grids_new}，更新 {report.grids_updated}；"
            f"委员：新增 {report.members_new}，更新 {report.members_updated}，"
            f"离任 {report.members_left}（转交未办结诉求 {handed} 件）；"
            f"{len(report.errors)} 行未导入，{len(report.warnings)} 条提示\n"
            f"grids: {report.grids_new} new, {report.grids_updated} updated; "
            f"members: {report.members_new} new, {report.members_updated} updated, "
            f"{report.members_left} left ({handed} open issues handed over); "
            f"{len(report.errors)} rows rejected"
        )
        return 1 if report.errors else 0

    return _run(settings, work)


def roster_invites(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.days < 1:
        raise ConfigError(f"--days must be at least 1, got {args.days}")
    out = output_file(args.out)
    output_format(out, None, {".docx": "docx"})  # one printable page per member
    username = asyncio.run(bot_username(settings))

    async def work(services: Services) -> int:
        if args.grid and await services.store.grids.by_code(args.grid) is None:
            raise ConfigError(f"--grid：没有编码为 {args.grid} 的网格 (no grid {args.grid!r})")
        made = await invite_all(services, username, args.grid, args.days)
        if not made:
            print("没有尚未加入的委员 (every member has joined)")
            return 0
        expires = shown_day(services, made[0].expires_at)
        out.write_bytes(invite_sheets.to_docx(made, services.texts, expires))
        print(f"{len(made)} 份邀请已写入 {args.out}（{expires} 前有效）\n"
              f"{len(made)} invitations written to {args.out}")  # fmt: skip
        return 0

    return _run(settings, work)


async def bot_username(settings: Settings) -> str:
    """GRIDBOT_BOT_USERNAME if set, else the bot's own name from getMe."""
    if settings.bot_username:
        return settings.bot_username
    if settings.token is None:
        raise ConfigError(
            "set GRIDBOT_BOT_USERNAME (the bot's @name) or TELEGRAM_BOT_TOKEN to make links"
        )
    try:
        async with Bot(settings.token.value, base_url=settings.api_url) as bot:
            return str(bot.username)
    except TelegramError as exc:
        raise ConfigError(
            f"getMe failed ({exc}); set GRIDBOT_BOT_USERNAME to make links offline"
        ) from None


def roster_remove(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)

    async def work(services: Services) -> int:
        found = await remove_member(services, args.who)
        if found is None:
            raise ConfigError(f"花名册里没有在任的「{args.who}」 (no active member {args.who!r})")
        name, handed = found
        print(f"{name} 已离任，{handed} 件未办结诉求已转交 ({name} left; {handed} handed over)")
        return 0

    return _run(settings, work)
