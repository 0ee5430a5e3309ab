"""`gridbot web` serves the web app and Open311 alone, against a database with a roster and
issues; `gridbot run` serves them beside the bot when GRIDBOT_WEB_LISTEN is set; a bad
setting is one line and exit 2."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.config import load_settings
from bot.grids.roster import import_roster
from bot.services import build_services
from handlers.emulator.local import DEMO_ROSTER
from handlers.emulator.server import BotApiEmulator
from storage.records import IssueDraft, IssueEvent
from tests.cli import gridbot
from tests.web_world import init_data
from tests.world import LI, ZHAO, ZHOU

TOKEN = "4242:WEB-CLI-TOKEN"
KEY = "cli-key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def county(url: str) -> None:
    """The demo roster and one issue in A01."""
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": url}))
    try:
        await import_roster(services.store, sorted(DEMO_ROSTER.glob("*.csv")))
        grid = await services.store.grids.by_code("A01")
        assert grid is not None
        now = datetime.now(UTC)
        draft = IssueDraft(
            grid_id=grid.id, category="市政设施", status="new", urgent=False,
            text="3号楼门口的路灯坏了", keywords=("路灯",), reporter_id=1001,
            reporter_name="张阿姨", assignee_id=None, chat_id=grid.chat_id or -1, message_id=1,
            thread_id=None, created_at=now, respond_by=now + timedelta(hours=24),
            solve_by=now + timedelta(days=7),
        )  # fmt: skip
        event = IssueEvent(issue_id=0, at=now, action="created", to_status="new")
        await services.store.issues.create(draft, event, lambda issue: [])
    finally:
        await services.close()


@asynccontextmanager
async def serving(args: list[str], env: dict[str, str], port: int) -> AsyncIterator[str]:
    """`gridbot ARGS` running until the block ends; yields the web app's base URL."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "handlers.cli", *args, env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    async with http.get(f"{base}/api/labels") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                assert process.returncode is None, await process.stderr.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the web app never answered"
                await asyncio.sleep(0.2)
        yield base
    finally:
        process.terminate()
        await process.wait()


async def me(base: str, init: str) -> tuple[int, dict[str, object] | None]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base}/api/me", headers={"Authorization": f"tma {init}"}) as answer,
    ):
        return answer.status, await answer.json() if answer.status == 200 else None


async def test_gridbot_web_serves_the_app_and_open311_alone(database_url: str) -> None:
    await county(database_url)
    port = free_port()
    env = {"GRIDBOT_DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": TOKEN,
           "GRIDBOT_WEB_LISTEN": f"127.0.0.1:{port}", "GRIDBOT_OPEN311_KEYS": KEY}  # fmt: skip
    now = datetime.now(UTC)
    async with serving(["web"], env, port) as base:
        status, coordinator = await me(base, init_data(ZHAO, TOKEN, now))
        assert status == 200 and coordinator is not None
        assert coordinator["role"] == "coordinator"
        status, member = await me(base, init_data(LI, TOKEN, now))
        assert status == 200 and member is not None and member["role"] == "member"
        assert (await me(base, init_data(ZHAO, "1:OTHER", now)))[0] == 401
        assert (await me(base, init_data(ZHAO, TOKEN, now - timedelta(days=2))))[0] == 401
        status, resident = await me(base, init_data(ZHOU, TOKEN, now))
        assert status == 200 and resident is not None and resident["role"] == "resident"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/open311/v2/requests.json") as refused:
                assert refused.status == 401
            url = f"{base}/open311/v2/requests.json?api_key={KEY}"
            async with http.get(url) as answer:
                [request] = await answer.json()
                assert request["service_code"] == "municipal" and request["status"] == "open"


async def test_gridbot_run_serves_the_web_app_beside_the_bot(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gridbot.db'}"
    await county(url)
    port = free_port()
    async with BotApiEmulator(token=TOKEN) as emu:
        env = {"GRIDBOT_DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": TOKEN,
               "GRIDBOT_TELEGRAM_API": emu.base_url, "GRIDBOT_SEND_LIMITS": "off",
               "GRIDBOT_WEB_LISTEN": f"127.0.0.1:{port}"}  # fmt: skip
        async with serving(["run"], env, port) as base:
            status, found = await me(base, init_data(ZHAO, TOKEN, datetime.now(UTC)))
            assert status == 200 and found is not None and found["role"] == "coordinator"
            deadline = time.monotonic() + 20
            while not any(method == "getUpdates" for method, _ in emu.calls):
                assert time.monotonic() < deadline, "the bot never polled"
                await asyncio.sleep(0.1)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "GRIDBOT_WEB_LISTEN"),
        ({"GRIDBOT_WEB_LISTEN": "nowhere"}, "GRIDBOT_WEB_LISTEN"),
        ({"GRIDBOT_WEB_LISTEN": "127.0.0.1:8080", "GRIDBOT_WEB_URL": "grid.example.org"},
         "GRIDBOT_WEB_URL"),
    ],
)  # fmt: skip
async def test_gridbot_web_refuses_bad_settings_in_one_line(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    ran = await gridbot("web", env={
        "GRIDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TELEGRAM_BOT_TOKEN": TOKEN,
        "GRIDBOT_WEB_LISTEN": "", "GRIDBOT_WEB_URL": "", **env,
    })  # fmt: skip
    assert ran.code == 2 and named in ran.err
    assert len(ran.err.strip().splitlines()) == 1 and "Traceback" not in ran.err


async def test_gridbot_web_needs_the_token_it_checks_with(tmp_path: Path) -> None:
    ran = await gridbot("web", env={
        "GRIDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TELEGRAM_BOT_TOKEN": "",
        "GRIDBOT_WEB_LISTEN": "127.0.0.1:8080",
    })  # fmt: skip
    assert ran.code == 2 and "TELEGRAM_BOT_TOKEN" in ran.err
