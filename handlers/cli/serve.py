"""`gridbot run` and `gridbot demo`: the bot itself, and the whole flow on a local emulator."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.services import build_services
from handlers.app import (
    ALLOWED_UPDATES,
    GridApplication,
    build_application,
    start_background,
    stop_background,
)

logger = logging.getLogger(__name__)


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = commands.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook")
    run.set_defaults(func=run_bot)
    demo = commands.add_parser("demo", help="the whole flow locally: no token, no internet")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="folder for outputs")
    demo.set_defaults(func=run_demo)


def run_bot(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    token = settings.require_token()
    asyncio.run(serve(settings, token, webhook=args.webhook))
    return 0


async def serve(settings: Settings, token: str, *, webhook: bool = False) -> None:
    """Run until SIGINT or SIGTERM; the database and the outbox are closed cleanly."""
    services = await build_services(settings)
    app = build_application(services, token)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        async with app:
            await app.start()
            await start_background(app)
            await _receive(app, settings, webhook)
            logger.info("gridbot running as @%s", app.bot.username)
            await stop.wait()
            assert app.updater is not None
            await app.updater.stop()
            await stop_background(app)
            await app.stop()
    finally:
        await services.close()


async def _receive(app: GridApplication, settings: Settings, webhook: bool) -> None:
    assert app.updater is not None
    if not webhook:
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=30)
        return
    if not settings.webhook_url:
        raise ConfigError("GRIDBOT_WEBHOOK_URL is required with --webhook")
    host, _, port = settings.webhook_listen.rpartition(":")
    secret = settings.webhook_secret.value if settings.webhook_secret else None
    await app.updater.start_webhook(
        listen=host or "127.0.0.1",
        port=int(port),
        url_path="telegram",
        webhook_url=settings.webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
    )


def run_demo(args: argparse.Namespace) -> int:
    from handlers.demo import run as demo

    return asyncio.run(demo(args.out))
