"""Running the application: start, receive (polling or webhook), and stop in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.services import Services
from handlers.app import ALLOWED_UPDATES, start_background, start_menus, stop_background
from handlers.context import GridApplication
from handlers.plumbing.ordering import PerChatUpdateProcessor
from handlers.plumbing.receiving import Poller, Receiver, WebhookServer
from handlers.plumbing.stopping import cancel


@dataclass(frozen=True)
class Webhook:
    url: str
    host: str
    port: int
    secret: str | None


@dataclass
class Running:
    receiver: Receiver
    webhook: WebhookServer | None = None


@asynccontextmanager
async def running(
    app: GridApplication,
    services: Services,
    *,
    webhook: Webhook | None = None,
    poll_timeout: int = 30,
    jobs_paused: bool = False,
) -> AsyncIterator[Running]:
    """The bot is up inside the block; on leaving it stops taking updates, then sending."""
    async with app:
        await app.start()
        await start_background(app, jobs_paused=jobs_paused)
        receiver = Receiver(app, services)
        processor = app.update_processor
        if isinstance(processor, PerChatUpdateProcessor):
            processor.before = services.classifying.ready
            processor.on_done = receiver.done
        # A single poller owns every stored update; webhook workers leave young ones alone.
        await receiver.replay(all_pending=webhook is None)
        sweep = asyncio.get_running_loop().create_task(receiver.sweep(), name="update-sweep")
        server, poller = None, None
        if webhook is None:
            loop = asyncio.get_running_loop()
            # The classifier is built once the first getUpdates is answered, not before it
            # (bot/classify/deferred.py).
            polling = Poller(receiver, ALLOWED_UPDATES, poll_timeout, services.classifying.start)
            poller = loop.create_task(polling.run())
        else:
            server = WebhookServer(receiver, webhook.secret, webhook.host, webhook.port)
            await server.start()
            await app.bot.set_webhook(
                webhook.url, secret_token=webhook.secret, allowed_updates=ALLOWED_UPDATES
            )
            services.classifying.start()
        start_menus(app)
        try:
            yield Running(receiver, server)
        finally:
            await cancel(poller)
            if server is not None:
                await server.stop()
            await cancel(sweep)
            await app.stop()  # handles what is already queued
            await stop_background(app)
