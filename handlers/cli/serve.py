"""`gridbot run` and `gridbot demo`: the bot itself, and the whole flow on a local emulator."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import logging
import os
import re
import signal
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.services import Services, build_services
from handlers.app import build_application
from handlers.plumbing.runner import Webhook, running

logger = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's mallopt() parameter
ARENAS = 2


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "run":
        parser.add_argument("--webhook", action="store_true", help="receive updates by webhook")
        parser.set_defaults(func=run_bot)
    elif command == "web":
        parser.set_defaults(func=run_web)
    else:
        parser.add_argument(
            "--out", type=Path, default=Path("demo-out"), help="folder for outputs"
        )
        parser.set_defaults(func=run_demo)


def run_bot(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    token = settings.require_token()
    fewer_malloc_arenas()
    asyncio.run(serve(settings, token, webhook=args.webhook))
    return 0


def fewer_malloc_arenas() -> None:
    """glibc gives each thread that allocates a malloc arena of its own, and keeps what it
    grew to. Every SQLite connection is a thread of aiosqlite's: with eight of them, a bot
    taking in a burst kept ~5 MB more resident than with two arenas in all
    (bench_intake's peak 98 -> 93 MB), at no measurable cost in speed. MALLOC_ARENA_MAX set
    by the operator wins; where there is no mallopt (not glibc) nothing changes."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_ARENA_MAX, ARENAS)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def serve(settings: Settings, token: str, *, webhook: bool = False) -> None:
    """Run until SIGINT or SIGTERM; the database and the outbox are closed cleanly. With
    GRIDBOT_WEB_LISTEN set, the web app is served beside the bot."""
    hook = webhook_settings(settings) if webhook else None
    # The taxonomy and classifier are built once updates are being received (runner.py).
    services = await build_services(settings, classify_later=True)
    app = build_application(services, token)
    stop = _stop_on_signals()
    try:
        async with contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(running(app, services, webhook=hook))
            if settings.web_listen is not None:
                # Imported only when asked for, and once the bot is receiving: most bots
                # serve no web app, and its pages, queries and routes (and aiohttp's server
                # side) were a tenth of the start-up before the first getUpdates.
                from handlers.web.server import serving

                await stack.enter_async_context(serving(services, token, *settings.web_listen))
            logger.info("gridbot running as @%s (%s)", app.bot.username,
                        "webhook" if hook else "polling")  # fmt: skip
            await until_stopped(stop, services)
    finally:
        await services.close()


async def until_stopped(stop: asyncio.Event, services: Services) -> None:
    """Until SIGINT or SIGTERM; a taxonomy file that cannot be built stops the bot with its
    error, as it did when it was built before the first poll."""
    ready = asyncio.ensure_future(services.classifying.ready())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((ready, stopping), return_when=asyncio.FIRST_COMPLETED)
        if ready.done():
            ready.result()
            await stopping
    finally:
        ready.cancel()
        stopping.cancel()


def run_web(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    token = settings.require_token()  # initData and login links are checked with it
    if settings.web_listen is None:
        raise ConfigError("GRIDBOT_WEB_LISTEN is not set: give HOST:PORT to serve the web app")
    fewer_malloc_arenas()
    asyncio.run(serve_web(settings, token, *settings.web_listen))
    return 0


async def serve_web(settings: Settings, token: str, host: str, port: int) -> None:
    """The web app and Open311 alone, until SIGINT or SIGTERM."""
    from handlers.web.server import serving

    services = await build_services(settings)
    stop = _stop_on_signals()
    try:
        async with serving(services, token, host, port):
            await stop.wait()
    finally:
        await services.close()


# Telegram's rule for setWebhook's secret_token.
SECRET_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{1,256}")


def webhook_settings(settings: Settings) -> Webhook:
    """Where to listen and what Telegram must send; the secret is required, not optional."""
    if not settings.webhook_url:
        raise ConfigError("GRIDBOT_WEBHOOK_URL is required with --webhook")
    if settings.webhook_secret is None:
        raise ConfigError("GRIDBOT_WEBHOOK_SECRET is required with --webhook")
    if not SECRET_CHARACTERS.fullmatch(settings.webhook_secret.value):
        raise ConfigError(
            "GRIDBOT_WEBHOOK_SECRET must be 1-256 characters, each A-Z, a-z, 0-9, _ or -"
            " (what Telegram accepts as a secret_token)"
        )
    host, _, port = settings.webhook_listen.rpartition(":")
    if not port.isdigit():
        raise ConfigError(
            f"GRIDBOT_WEBHOOK_LISTEN must be HOST:PORT, got {settings.webhook_listen!r}"
        )
    return Webhook(
        settings.webhook_url, host or "127.0.0.1", int(port), settings.webhook_secret.value
    )


def run_demo(args: argparse.Namespace) -> int:
    from handlers.emulator.demo import run as demo

    return asyncio.run(demo(args.out))
