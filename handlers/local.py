"""The real application wired to a local Bot API emulator: for `gridbot demo` and the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.config import load_settings
from bot.roster import import_roster
from bot.services import Clock, Services, build_services, utc_now
from handlers.app import (
    ALLOWED_UPDATES,
    GridApplication,
    build_application,
    start_background,
    stop_background,
)
from handlers.emulator import BotApiEmulator

DEMO_ROSTER = Path(__file__).parents[1] / "bot" / "data" / "demo"


@dataclass
class LocalBot:
    emulator: BotApiEmulator
    services: Services
    app: GridApplication


@asynccontextmanager
async def local_bot(
    database_url: str,
    emulator: BotApiEmulator,
    *,
    clock: Clock = utc_now,
    roster: list[Path] | None = None,
    env: dict[str, str] | None = None,
) -> AsyncIterator[LocalBot]:
    """Start gridbot polling the emulator with a roster loaded; stop it cleanly afterwards."""
    settings = load_settings(
        env={
            "GRIDBOT_DATABASE_URL": database_url,
            "GRIDBOT_TELEGRAM_API": emulator.base_url,
            "TELEGRAM_BOT_TOKEN": emulator.token,
            **(env or {}),
        }
    )
    services = await build_services(settings, clock=clock)
    try:
        files = roster if roster is not None else sorted(DEMO_ROSTER.glob("*.csv"))
        await import_roster(services.store, files)
        app = build_application(services, emulator.token)
        async with app:
            await app.start()
            await start_background(app)
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES
            )
            try:
                yield LocalBot(emulator, services, app)
            finally:
                await app.updater.stop()
                await stop_background(app)
                await app.stop()
    finally:
        await services.close()
