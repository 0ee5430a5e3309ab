"""The web app beside the emulator-fed bot: signed initData for the world's people, and a
client for the app's HTTP endpoints."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp

from handlers.web.auth import sign_init_data
from handlers.web.server import serving
from tests.world import Person, World

WEB_URL = "https://grid.example.org"
OPEN311_KEY = "k-open311-test"
WEB_ENV = {"GRIDBOT_WEB_URL": WEB_URL, "GRIDBOT_OPEN311_KEYS": f"{OPEN311_KEY},other-key"}


def init_data(person: Person, token: str, at: datetime, language: str = "zh-hans") -> str:
    """initData as Telegram signs it when `person` opens the Mini App at `at`."""
    user = {"id": person.id, "first_name": person.name, "language_code": language}
    fields = {
        "auth_date": str(int(at.timestamp())), "query_id": f"AAH{person.id}",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
    }  # fmt: skip
    return sign_init_data(fields, token)


@dataclass
class WebApp:
    world: World
    base: str
    http: aiohttp.ClientSession

    @property
    def token(self) -> str:
        return self.world.emu.token

    def signed(self, person: Person, at: datetime | None = None) -> str:
        return init_data(person, self.token, at or self.world.services.clock())

    async def get(
        self, path: str, who: Person | str | None = None, **params: str
    ) -> tuple[int, Any]:
        """Status and body (JSON when it is JSON, else bytes) of a GET as `who`."""
        headers = {}
        if isinstance(who, Person):
            headers["Authorization"] = "tma " + self.signed(who)
        elif isinstance(who, str):
            headers["Authorization"] = "tma " + who
        async with self.http.get(self.base + path, headers=headers, params=params,
                                 allow_redirects=False) as response:  # fmt: skip
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.read()


@asynccontextmanager
async def web_app(world: World) -> AsyncIterator[WebApp]:
    """Serve the web app on a free port with the world's services and the emulator's token."""
    async with (
        serving(world.services, world.emu.token, "127.0.0.1", 0) as port,
        aiohttp.ClientSession() as http,
    ):
        yield WebApp(world, f"http://127.0.0.1:{port}", http)
