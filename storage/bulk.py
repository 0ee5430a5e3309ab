"""Bulk loading for benchmarks and load tests: many rows per statement, no per-row work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, text

from storage.database import Database
from storage.schema import metadata

CHUNK = 5000


async def insert_rows(db: Database, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows into a table by name, in chunks, in one transaction."""
    target = metadata.tables[table]
    async with db.transaction() as conn:
        for start in range(0, len(rows), CHUNK):
            await conn.execute(insert(target), list(rows[start : start + CHUNK]))


async def settle(db: Database) -> None:
    """After a bulk load on PostgreSQL, what autovacuum does by itself within a minute or so:
    table statistics, and the visibility map that lets index-only scans skip the table.
    SQLite keeps no statistics unless asked, and gridbot never asks: nothing to do."""
    if db.dialect != "postgresql":
        return
    async with db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))
