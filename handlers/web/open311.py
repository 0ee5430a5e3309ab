"""Open311 GeoReport v2, read side, under /open311/v2/: discovery, services, requests and
requests/{id}, each as .json or .xml, for callers with an api_key from GRIDBOT_OPEN311_KEYS.

Element and field names follow the GeoReport v2 specification
(http://wiki.open311.org/GeoReport_v2); errors are its list of {code, description}."""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import asdict
from typing import Any
from xml.etree import ElementTree

from aiohttp import web

from bot.reports import open311
from handlers.web.keys import SERVICES

logger = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+08:00"  # when these endpoints last changed
FORMATS = {"json": "application/json", "xml": "text/xml"}
PREFIX = "/open311/v2"


def _xml(root: str, item: str, rows: list[dict[str, Any]] | dict[str, Any]) -> bytes:
    """A list as <root><item>...</item>...</root>; one record (discovery) as <root>...</root>."""
    top = ElementTree.Element(root)
    if isinstance(rows, dict):
        _fill(top, rows)
    for row in rows if isinstance(rows, list) else []:
        _fill(ElementTree.SubElement(top, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top, "utf-8")


def _fill(element: ElementTree.Element, row: dict[str, Any]) -> None:
    for key, value in row.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, list):  # discovery: endpoints of endpoint, formats of format
            for part in value:
                inner = ElementTree.SubElement(child, key[:-1])
                _fill(inner, part) if isinstance(part, dict) else _text(inner, part)
        else:
            _text(child, value)


def _text(element: ElementTree.Element, value: Any) -> None:
    element.text = str(value).lower() if isinstance(value, bool) else str(value)


def _answer(fmt: str, rows: Any, root: str, item: str, status: int = 200) -> web.Response:
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False).encode()
    else:
        body = _xml(root, item, rows)
    return web.Response(body=body, status=status, content_type=FORMATS[fmt], charset="utf-8")


def _error(fmt: str, code: int, description: str) -> web.Response:
    return _answer(fmt, [{"code": code, "description": description}], "errors", "error", code)


def _allowed(request: web.Request) -> bool:
    given = request.query.get("api_key", "")
    keys = request.app[SERVICES].settings.open311_keys
    return bool(given) and any(hmac.compare_digest(given, key.value) for key in keys)


def _request_row(found: open311.ServiceRequest) -> dict[str, Any]:
    row = asdict(found)
    for key in ("lat", "long"):
        if row[key] is None:
            del row[key]  # only for issues a resident attached a location to
    return row


async def serve_open311(request: web.Request) -> web.Response:
    """GET /open311/v2/{discovery,services,requests,requests/ID}.{json,xml}?api_key=..."""
    fmt, name = request.match_info["fmt"], request.match_info["name"]
    if not _allowed(request):
        return _error(fmt, 401, "api_key missing or not accepted")
    services = request.app[SERVICES]
    if name == "discovery":
        return _answer(fmt, _discovery(request), "discovery", "discovery")
    if name == "services":
        rows = [asdict(service) for service in open311.services_of(services)]
        return _answer(fmt, rows, "services", "service")
    params = dict(request.query)
    if "id" in request.match_info:
        if not request.match_info["id"].isdigit():
            return _error(fmt, 404, "no such service request")
        params = {"service_request_id": request.match_info["id"]}
    try:
        found = await open311.requests(services, open311.parse_requests(params, services))
    except open311.RequestError as exc:
        return _error(fmt, 400, str(exc))
    if "id" in request.match_info and not found:
        return _error(fmt, 404, "no such service request")
    return _answer(fmt, [_request_row(r) for r in found], "service_requests", "request")


def _discovery(request: web.Request) -> dict[str, Any]:
    settings = request.app[SERVICES].settings
    base = (settings.web_url or f"{request.scheme}://{request.host}") + PREFIX + "/"
    return {
        "changeset": CHANGESET, "contact": "", "key_service": "",
        "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET,
                       "type": "production", "formats": list(FORMATS.values())}],
    }  # fmt: skip


def add_routes(app: web.Application) -> None:
    pattern = r"{fmt:json|xml}"
    app.router.add_get(PREFIX + r"/{name:discovery|services|requests}." + pattern, serve_open311)
    app.router.add_get(PREFIX + r"/{name:requests}/{id}." + pattern, serve_open311)
