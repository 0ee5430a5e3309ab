"""The web application (SPEC §11) on its own aiohttp server: beside the bot in `gridbot run`
when GRIDBOT_WEB_LISTEN is set, alone in `gridbot web`. PTB's webhook mode serves with
tornado; this stays apart from it, so either runs without the other."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

from bot.services import Services
from handlers.web import api, open311, pages
from handlers.web.keys import SERVICES, TOKEN

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Only our own scripts and styles: no CDN, nothing inline. Telegram shows the page in a
# frame on its web clients, so framing is not forbidden.
COMPRESS_FROM = 1024
POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer; answers about people are never cached."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith(("/api/", "/open311/")):
        response.headers["Cache-Control"] = "no-store"
        # A county's overview is ~400 KB of JSON, ~40 KB compressed: it matters on a phone.
        body = response.body if isinstance(response, web.Response) else None
        text = response.content_type in ("application/json", "text/xml")
        if text and isinstance(body, bytes | bytearray) and len(body) > COMPRESS_FROM:
            response.enable_compression()
    if isinstance(response, web.HTTPException):
        raise response
    return response


def build_web_app(services: Services, token: str) -> web.Application:
    app = web.Application(middlewares=[guard])
    app[SERVICES] = services
    app[TOKEN] = token
    pages.add_routes(app)
    api.add_routes(app)
    open311.add_routes(app)
    return app


@asynccontextmanager
async def serving(
    services: Services, token: str, host: str, port: int
) -> AsyncIterator[int]:
    """Serve the web app until the block ends; yields the port (0 picks a free one)."""
    runner = web.AppRunner(build_web_app(services, token), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]
        logger.info("web app on http://%s:%s/app/", host, bound)
        yield bound
    finally:
        await runner.cleanup()
