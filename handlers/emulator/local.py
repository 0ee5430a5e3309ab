"""The real application wired to a local Bot API emulator: for `gridbot demo` and the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock, utc_now
from bot.config import load_settings
from bot.grids.roster import import_roster
from bot.services import Services, build_services
from handlers.app import build_application
from handlers.context import GridApplication
from handlers.emulator.server import BotApiEmulator
from handlers.plumbing.runner import Running, running

DEMO_ROSTER = Path(__file__).parents[2] / "bot" / "data" / "demo"


@dataclass
class LocalBot:
    emulator: BotApiEmulator
    services: Services
    app: GridApplication
    running: Running


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
    # As `gridbot run` does: the classifier is built after the first getUpdates.
    services = await build_services(settings, clock=clock, classify_later=True)
    try:
        files = roster if roster is not None else sorted(DEMO_ROSTER.glob("*.csv"))
        await import_roster(services.store, files)
        app = build_application(services, emulator.token)
        # A short long-poll keeps shutdown quick; the emulator answers at once anyway. The
        # scripts run the scheduled jobs themselves, on their clock, never the wall's.
        async with running(app, services, poll_timeout=1, jobs_paused=True) as handle:
            yield LocalBot(emulator, services, app, handle)
    finally:
        await services.close()
