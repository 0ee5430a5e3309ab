"""Issue 9 dropped the connection pre-ping (a round trip per query): a connection the server
dropped costs one operation, which fails cleanly, and the next one gets a fresh connection."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from storage import provision as admin
from storage.store import open_store
from tests.conftest import PG_URL


async def _drop_connections(database: str) -> int:
    admin = await asyncpg.connect(PG_URL.replace("postgresql://", "postgres://", 1))
    try:
        rows = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )
    finally:
        await admin.close()
    return len(rows)


@pytest.fixture
async def postgres_url(postgres_template: str) -> AsyncIterator[str]:
    """PostgreSQL only: SQLite is a file, with no connection for a server to drop."""
    name = f"gridbot_t_{uuid.uuid4().hex[:12]}"
    url = await admin.create_database(PG_URL, name, template=postgres_template)
    yield url
    await admin.drop_database(PG_URL, name)


async def test_server_dropping_connections_costs_one_operation(postgres_url: str) -> None:
    database_url = postgres_url
    store = await open_store(database_url)
    await store.grids.save("A01", "一网格", "东社区", "街道", "区", None)
    assert await store.issues.get(1) is None  # a pooled connection, now idle
    assert await _drop_connections(make_url(database_url).database or "") >= 1
    with pytest.raises(DBAPIError) as failed:
        await store.issues.get(1)
    assert failed.value.connection_invalidated  # so the pool replaces it, and its peers
    assert await store.issues.get(1) is None
    await store.grids.save("A02", "二网格", "东社区", "街道", "区", None)
    assert [g.code for g in await store.grids.all()] == ["A01", "A02"]
    await store.close()
