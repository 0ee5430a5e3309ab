"""INSERT ... ON CONFLICT for both backends, which spell it with the same words."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_for(dialect: str, table: Table) -> Any:
    """The backend's own INSERT (the one with ON CONFLICT). Its dialect module is imported
    here, not at the top: a SQLite bot need not load PostgreSQL's (~40 ms at start-up)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def _insert(conn: AsyncConnection, table: Table) -> Any:
    return insert_for(conn.dialect.name, table)


async def insert_ignore(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless a unique key already holds it; True when a row was added."""
    statement = _insert(conn, table).values(**values).on_conflict_do_nothing()
    result = await conn.execute(statement)
    return bool(result.rowcount)


async def insert_ignore_returning(
    conn: AsyncConnection, table: Table, rows: list[dict[str, Any]], column: Any
) -> list[Any]:
    """Insert many rows in one statement, skipping those a unique key already holds;
    returns `column` of the rows actually added."""
    statement = _insert(conn, table).values(rows).on_conflict_do_nothing().returning(column)
    return list((await conn.execute(statement)).scalars())


async def upsert(
    conn: AsyncConnection, table: Table, values: dict[str, Any], keys: list[str]
) -> None:
    """Insert, or update the non-key columns of the row with the same keys."""
    statement = _insert(conn, table).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in keys}
    await conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes))
