"""What `gridbot doctor` asks of the database: reachable, migrated, who cannot be reached."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from storage.database import Database, alembic_config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def schema_state(url: str) -> tuple[str | None, str | None]:
    """(revision in the database, newest revision shipped); raises if unreachable."""
    db = Database(url)
    try:
        return await db.revision(), head_revision()
    finally:
        await db.close()
