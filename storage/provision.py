"""Creating and dropping whole PostgreSQL databases: for tests, benchmarks and doctor."""

from __future__ import annotations

import re

import asyncpg
from sqlalchemy.engine import make_url

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _check(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a safe database name: {name!r}")
    return name


async def _connect(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database=parsed.database or "postgres",
        timeout=5,
    )


async def server_answers(url: str) -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        conn = await _connect(url)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


async def create_database(url: str, name: str, template: str | None = None) -> str:
    """Create database `name` on the server of `url`; returns the URL of the new database."""
    conn = await _connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{_check(name)}" WITH (FORCE)')
        clause = f' TEMPLATE "{_check(template)}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{clause}')
    finally:
        await conn.close()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str, name: str) -> None:
    conn = await _connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{_check(name)}" WITH (FORCE)')
    finally:
        await conn.close()
