"""What `gridbot doctor` asks of the database: reachable, migrated, who cannot be reached."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from storage.database import Database, alembic_config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory  # only doctor asks; `gridbot run` need not load it

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def schema_state(url: str) -> tuple[str | None, str | None]:
    """(revision in the database, newest revision shipped); raises if unreachable."""
    db = Database(url)
    try:
        return await db.revision(), head_revision()
    finally:
        await db.close()


def missing_sqlite(url: str) -> Path | None:
    """The SQLite file named by the URL when it does not exist (connecting would create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    return None if path.exists() else path
