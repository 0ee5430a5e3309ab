"""`gridbot jobs run digest|reminders|spotcheck [--at ISO_TIME] [--grid CODE] [--dry-run]`.

Runs one scheduled job now, as if at that time, and delivers what it sends: a PTB Bot
against the configured Bot API drains the rows this run added to the outbox, then exits.
With --dry-run the job runs inside a transaction that is rolled back: it prints what it
would send, sends nothing and leaves the database as it was (no token needed).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.clock import utc_now
from bot.config import ConfigError, Settings, load_settings
from bot.grids.codes import normalise_code
from bot.schedules import jobs
from bot.services import Services, build_services
from bot.texts import plain
from handlers.plumbing.delivery import OutboxSender
from storage.records import OutgoingMessage

logger = logging.getLogger(__name__)

DRAIN_SECONDS = 60.0  # retries due later than this are left to the running bot
POLL = 0.2


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="run one job now, as if at --at, and send its messages")
    # Checked by hand rather than by argparse, so a bad value is one line and exit 2.
    run.add_argument("job", nargs="?", default="", help=", ".join(jobs.NAMES))
    run.add_argument("--at", metavar="ISO_TIME", help="ISO 8601; no offset means GRIDBOT_TIMEZONE")
    run.add_argument("--grid", metavar="CODE", type=normalise_code, help="only this grid")
    run.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and change nothing"
    )
    run.set_defaults(func=run_job)


def parse_at(text: str | None, settings: Settings) -> datetime:
    """--at as an aware moment; a time without an offset is in GRIDBOT_TIMEZONE."""
    if text is None:
        return utc_now()
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"--at must be an ISO 8601 time like 2026-11-19T15:00, got {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.timezone)


def run_job(args: argparse.Namespace) -> int:
    if args.job not in jobs.NAMES:
        raise ConfigError(f"job must be one of {', '.join(jobs.NAMES)}, got {args.job!r}")
    jobs.check_scope(args.job, args.grid)
    settings = load_settings(args.config)
    at = parse_at(args.at, settings)
    if args.dry_run:
        return asyncio.run(_rehearse(settings, args.job, at, args.grid))
    token = settings.require_token()
    return asyncio.run(_run(settings, token, args.job, at, args.grid))


async def _rehearse(settings: Settings, kind: str, at: datetime, grid: str | None) -> int:
    """The job as it would run at `at`, rolled back: what it would send, printed."""
    services = await build_services(settings, clock=lambda: at)
    try:
        await jobs.grids_for(services, grid)
        async with services.store.db.rehearsal():
            mark = await services.store.outbox.last_id()
            outcome = await jobs.run_now(services, kind, at, grid)
            owed = await services.store.outbox.pending_after(mark)
            lines = [await _shown(services, message) for message in owed]
    finally:
        await services.close()
    print("\n\n".join(lines) if lines else "（无 / none）")
    print(f"\n{outcome.job} {outcome.period}：将发送 {len(owed)} 条消息，未发送，数据库未改动"
          f" / would send {len(owed)} messages; nothing sent, nothing changed")  # fmt: skip
    return 0


async def _shown(services: Services, message: OutgoingMessage) -> str:
    """One message as it would go: to whom, when if not now, what it says."""
    store = services.store
    grid = await store.grids.by_chat(message.chat_id) if message.chat_id < 0 else None
    member = await store.members.by_telegram_id(message.chat_id) if not grid else None
    to = f"{grid.code} {grid.name}" if grid else member.name if member else str(message.chat_id)
    later = ""
    if message.not_before is not None and message.not_before > services.clock():
        zone = services.settings.timezone
        later = f"（{message.not_before.astimezone(zone):%m-%d %H:%M} 起 / from then）"
    media = f"[{message.media_name or message.media_kind}] " if message.media_kind else ""
    return f"→ {to}{later}\n{media}{plain(message.text or '')}"


async def _run(settings: Settings, token: str, kind: str, at: datetime, grid: str | None) -> int:
    started = utc_now()
    # Time runs on from --at, so retries and quiet hours behave as they would then.
    services = await build_services(settings, clock=lambda: at + (utc_now() - started))
    api = settings.api_url
    files = api.replace("/bot", "/file/bot", 1) if api.endswith("/bot") else api
    try:
        await jobs.grids_for(services, grid)  # an unknown grid stops us before anything is sent
        async with Bot(token, base_url=api, base_file_url=files) as bot:
            services.bot_username = bot.username
            mark = await services.store.outbox.last_id()
            outcome = await jobs.run_now(services, kind, at, grid)
            await _drain(OutboxSender(bot, services), services, mark)
            states = await services.store.outbox.states_after(mark)
    except TelegramError as exc:
        raise ConfigError(f"GRIDBOT_TELEGRAM_API refused or unreachable: {exc}") from None
    finally:
        await services.close()
    sent, pending, failed = (states.get(state, 0) for state in ("sent", "pending", "failed"))
    print(f"{outcome.job} {outcome.period}：已发送 {sent} 条，待发 {pending} 条，失败 {failed} 条"
          f" / {sent} sent, {pending} pending, {failed} failed")  # fmt: skip
    return 0


async def _drain(sender: OutboxSender, services: Services, mark: int) -> None:
    """Deliver what this run queued. Retries Telegram asked for are awaited a while; what
    waits out quiet hours stays in the outbox for the running bot."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + DRAIN_SECONDS
    while loop.time() < give_up:
        await sender.deliver_due(after_id=mark)
        pending = await services.store.outbox.pending_after(mark)
        if not any(_worth_waiting(message, services) for message in pending):
            return
        await asyncio.sleep(POLL)


def _worth_waiting(message: OutgoingMessage, services: Services) -> bool:
    due = message.not_before or message.created_at
    now = services.clock()
    return due <= now or (message.attempts > 0 and due <= now + timedelta(seconds=DRAIN_SECONDS))
