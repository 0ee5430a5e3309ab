"""Online backup of the SQLite database (PostgreSQL deployments use pg_dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.database import DatabaseError


def backup_sqlite(url: str, target: Path) -> int:
    """Copy a live SQLite database page by page; returns the size of the copy in bytes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise DatabaseError("gridbot backup is for SQLite; back PostgreSQL up with pg_dump")
    source_path = Path(parsed.database or "")
    if not source_path.is_file():
        raise DatabaseError(f"no SQLite database at {source_path}")
    if target.exists():
        raise DatabaseError(f"{target} exists already; choose a new file")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target.stat().st_size
