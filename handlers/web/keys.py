"""What the web application holds (the core's services, the bot token) and its error form."""

from __future__ import annotations

import json
from typing import TypeVar

from aiohttp import web

from bot.services import Services

SERVICES = web.AppKey("services", Services)
TOKEN = web.AppKey("token", str)

E = TypeVar("E", bound=web.HTTPException)


def error(kind: type[E], message: str, **headers: str) -> E:
    """An HTTP error whose body is JSON: {"error": message}."""
    body = json.dumps({"error": message}, ensure_ascii=False)
    return kind(text=body, content_type="application/json", headers=headers or None)
