"""The page's JSON API: who I am, the overview, the issue list, one timeline, downloads.

Every request names its caller by `Authorization: tma <initData>` or the session cookie;
without either (or with a wrong one) the answer is 401 and nothing else."""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.reports import dashboard, issue_search, sqmy
from bot.reports.viewers import Viewer, viewer_for
from bot.texts import DEFAULT, VARIANTS
from handlers.web import auth, render
from handlers.web.keys import SERVICES, TOKEN, error

logger = logging.getLogger(__name__)

# Chinese as it is (not \uXXXX) and no padding: a county's overview is half the size.
_DUMPS = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def answer(data: Any) -> web.Response:
    return web.json_response(data, dumps=_DUMPS)


async def viewer_of(request: web.Request) -> Viewer:
    """The verified caller as a viewer; raises 401 when there is none."""
    services, token = request.app[SERVICES], request.app[TOKEN]
    now = services.clock()
    header = request.headers.get("Authorization", "")
    caller = None
    if header.startswith("tma "):
        caller = auth.check_init_data(header[4:].strip(), token, now)
    elif cookie := request.cookies.get(auth.SESSION_COOKIE):
        caller = auth.read_session(cookie, token, now)
    if caller is None:
        raise error(web.HTTPUnauthorized, "unauthorized", **{"WWW-Authenticate": "tma"})
    return await viewer_for(services, caller.telegram_id, caller.name, caller.language_code)


def _bad(message: str) -> web.HTTPBadRequest:
    return error(web.HTTPBadRequest, message)


def _filter(request: web.Request) -> issue_search.WebFilter:
    try:
        return issue_search.parse_filter(request.query)
    except issue_search.FilterError as exc:
        raise _bad(str(exc)) from None


async def get_labels(request: web.Request) -> web.Response:
    """GET /api/labels?lang=zh-Hans|zh-Hant: the page's words, before anyone is known."""
    language = request.query.get("lang", DEFAULT)
    return answer(render.labels(language if language in VARIANTS else DEFAULT))


async def get_me(request: web.Request) -> web.Response:
    """GET /api/me: the caller's role, grids and the page's labels."""
    viewer = await viewer_of(request)
    return answer(render.me(request.app[SERVICES], viewer))


async def get_overview(request: web.Request) -> web.Response:
    """GET /api/overview?days=N: figures for staff; residents have only their issues."""
    viewer = await viewer_of(request)
    if not viewer.staff:
        raise error(web.HTTPForbidden, "staff only")
    days = request.query.get("days", str(dashboard.DEFAULT_DAYS))
    if not days.isdigit() or int(days) not in dashboard.PERIODS:
        raise _bad(f"days must be one of {dashboard.PERIODS}")
    services = request.app[SERVICES]
    found = await dashboard.overview(services, viewer, int(days))
    return answer(render.overview(services, viewer, found))


async def get_issues(request: web.Request) -> web.Response:
    """GET /api/issues?grid=&category=&status=&days=&from=&to=&overdue=&urgent=&q=&page="""
    viewer = await viewer_of(request)
    services = request.app[SERVICES]
    page = await issue_search.search(services, viewer, _filter(request))
    now = services.clock()
    return answer({
        "total": page.total, "page_size": issue_search.PAGE,
        "rows": [render.item(services, viewer, row, now) for row in page.rows],
    })  # fmt: skip


async def get_issue(request: web.Request) -> web.Response:
    """GET /api/issues/{n}: one issue's timeline, if the caller may see it."""
    viewer = await viewer_of(request)
    number = request.match_info["n"]
    services = request.app[SERVICES]
    found = None
    if number.isdigit():
        found = await issue_search.timeline(services, viewer, int(number))
    if found is None:
        raise error(web.HTTPNotFound, "no such issue")
    return answer(render.timeline(services, viewer, found))


def _attachment(body: bytes, name: str, kind: str) -> web.Response:
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return web.Response(body=body, content_type=kind,
                        headers={"Content-Disposition": disposition})  # fmt: skip


async def get_ledger(request: web.Request) -> web.Response:
    """GET /api/download/ledger.xlsx?filters: the 台账 of the issues the filter finds."""
    viewer = await viewer_of(request)
    body = await issue_search.ledger_xlsx(request.app[SERVICES], viewer, _filter(request))
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _attachment(body, "ledger.xlsx", kind)


async def get_sqmy(request: web.Request) -> web.Response:
    """GET /api/download/sqmy.docx?filters: the 社情民意 draft, for staff."""
    viewer = await viewer_of(request)
    if not viewer.staff:
        raise error(web.HTTPForbidden, "staff only")
    try:
        name, body = await issue_search.sqmy_docx(request.app[SERVICES], viewer, _filter(request))
    except sqmy.ReportError as exc:
        raise _bad(str(exc)) from None
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _attachment(body, name, kind)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/labels", get_labels)
    app.router.add_get("/api/me", get_me)
    app.router.add_get("/api/overview", get_overview)
    app.router.add_get("/api/issues", get_issues)
    app.router.add_get("/api/issues/{n}", get_issue)
    app.router.add_get("/api/download/ledger.xlsx", get_ledger)
    app.router.add_get("/api/download/sqmy.docx", get_sqmy)
