"""The page itself (/app/, its script, styles and the vendored chart library) and the door
from a /web login link to a browser session."""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from bot.texts import DEFAULT
from handlers.web import auth
from handlers.web.keys import SERVICES, TOKEN

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
LINK_JOB = "web_link"  # job_runs rows claim each login link's nonce once (storage/jobs.py)


async def show_app(request: web.Request) -> web.FileResponse:
    """GET /app/: the single page; it asks /api/me who is looking."""
    return web.FileResponse(STATIC / "app.html", headers={"Cache-Control": "no-cache"})


async def to_app(request: web.Request) -> web.Response:
    """GET / and /app: the page lives at /app/."""
    raise web.HTTPFound("/app/")


async def open_session(request: web.Request) -> web.Response:
    """GET /web/login?t=TOKEN: a genuine, fresh, unused link opens a session cookie."""
    services, token = request.app[SERVICES], request.app[TOKEN]
    now = services.clock()
    found = auth.read_link_token(request.query.get("t", ""), token, now)
    if found is None or not await services.store.jobs.claim(LINK_JOB, found[1], now):
        text = services.texts.get(DEFAULT, "web_login_failed")
        return web.Response(status=401, text=text, content_type="text/plain", charset="utf-8")
    logger.info("web session opened for %s", found[0])
    response = web.HTTPFound("/app/")
    response.set_cookie(
        auth.SESSION_COOKIE, auth.make_session(found[0], token, now),
        max_age=int(auth.SESSION_LIFE.total_seconds()), httponly=True, samesite="Lax",
        secure=request.secure or (services.settings.web_url or "").startswith("https:"),
    )  # fmt: skip
    raise response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", to_app)
    app.router.add_get("/app", to_app)
    app.router.add_get("/app/", show_app)
    app.router.add_static("/app/static/", STATIC)
    app.router.add_get("/web/login", open_session)
