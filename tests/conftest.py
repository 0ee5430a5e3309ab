"""Fixtures: a fresh database per test on SQLite and on PostgreSQL, and a controllable clock."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from storage import provision as admin
from storage.database import Database

T = TypeVar("T")

PG_URL = os.environ.get("GRIDBOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEMPLATE = f"gridbot_tpl_{os.getpid()}"
DATA = Path(__file__).parent / "data"


def run_aside(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on its own loop, even from inside a running one."""
    result: list[T] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(coro)))
    thread.start()
    thread.join()
    if not result:
        raise RuntimeError("background coroutine failed; see the log above")
    return result[0]


async def migrated(url: str) -> bool:
    """The database at `url` brought to the newest schema (a template for the tests)."""
    db = Database(url)
    await db.migrate()
    await db.close()
    return True


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated template database; each test copies it (much faster than migrating)."""
    reason = run_aside(admin.server_answers(PG_URL))
    if reason is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL must run in CI but does not answer at {PG_URL}: {reason}")
        pytest.skip(f"PostgreSQL not answering at {PG_URL} ({reason}); set CI=true to require it")

    async def prepare() -> bool:
        return await migrated(await admin.create_database(PG_URL, TEMPLATE))

    run_aside(prepare())
    yield TEMPLATE
    run_aside(admin.drop_database(PG_URL, TEMPLATE))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test copies it, as PostgreSQL tests copy their template."""
    path = tmp_path_factory.mktemp("template") / "gridbot.db"
    run_aside(migrated(f"sqlite:///{path}"))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database of each backend, migrated to the newest schema."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "gridbot.db")
        yield f"sqlite:///{tmp_path / 'gridbot.db'}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"gridbot_t_{uuid.uuid4().hex[:12]}"
    url = await admin.create_database(PG_URL, name, template=template)
    yield url
    await admin.drop_database(PG_URL, name)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 19, 2, 0, tzinfo=UTC)  # Thu 10:00 Shanghai

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[Any]:
    """The real bot, polling the emulator, with the demo roster and a hand-moved clock."""
    from tests.world import grid_world

    async with grid_world(database_url, clock) as running:
        yield running


@pytest.fixture
async def web(database_url: str, clock: Clock) -> AsyncIterator[Any]:
    """The world with the web app beside it (GRIDBOT_WEB_URL and Open311 keys set)."""
    from tests.web_world import WEB_ENV, web_app
    from tests.world import grid_world

    async with grid_world(database_url, clock, env=WEB_ENV) as running, web_app(running) as app:
        yield app
