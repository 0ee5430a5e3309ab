"""The engine, its connection settings per backend, and schema migrations on start."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.revisions import script_head

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
OWED = "gridbot_owed"  # key in a connection's info: this transaction added outbox rows
# PostgreSQL connections kept open. Sixteen updates run at once and the sender's marks and
# the sweeps beside them: with SQLAlchemy's default of five, every busy moment opened (and
# then closed) overflow connections, each a TCP and TLS handshake plus statements prepared
# anew, which took a fifth of intake's time. Two workers keep 2 x 24 at most, well within
# the server's default of 100.
POOL_SIZE, POOL_OVERFLOW = 16, 8
SQLITE_POOL = 4


def mark_owed(conn: AsyncConnection) -> None:
    """Note on the transaction that it adds owed messages, so its commit wakes the sender."""
    conn.info[OWED] = True


class DatabaseError(Exception):
    """The database cannot be reached or migrated; the message says which and why."""


def async_url(url: str) -> str:
    """Map the configured URL to the async driver of its backend."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return str(parsed.set(drivername="sqlite+aiosqlite"))
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise DatabaseError(f"unsupported database backend {backend!r}")


def _pool_options(url: str) -> dict[str, Any]:
    # Connections are renewed every half hour, before idle-timeouts of proxies in between.
    options: dict[str, Any] = {"pool_recycle": 1800}
    if make_url(url).get_backend_name() in ("postgresql", "postgres"):
        options.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    elif make_url(url).database not in (None, "", ":memory:"):
        # SQLite writes one at a time whatever the pool; each connection is a thread of
        # aiosqlite's with its own page cache, so fewer of them keep the bot's memory down.
        options.update(pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL)
    return options


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while the outbox worker writes; NORMAL is durable enough in WAL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _explicit_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


class Database:
    """Owns the engine; the storage modules borrow connections from it."""

    def __init__(self, url: str) -> None:
        self.url = url
        # No pre-ping: it costs a round trip per checkout, most of a small query's cost. A
        # connection the server dropped fails its next statement instead; SQLAlchemy then
        # discards the pool's older connections, and that one operation is retried where it
        # always is (an update replayed, an outbox row sent on the next pass).
        self.engine: AsyncEngine = create_async_engine(async_url(url), **_pool_options(url))
        self.dialect = self.engine.dialect.name
        # PostgreSQL reads run outside a transaction: asyncpg would otherwise send BEGIN and
        # ROLLBACK around each one, two round trips for a single SELECT. Nothing is lost:
        # at READ COMMITTED every statement takes its own snapshot inside a transaction too.
        self._reader = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.dialect == "postgresql"
            else self.engine
        )
        # Called after every commit that added owed messages (the outbox sender's wake-up).
        self.on_owed: Callable[[], None] | None = None
        self._rehearsing: AsyncConnection | None = None  # the one connection of a dry run
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _tune_sqlite)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """One transaction; when it owed messages (`mark_owed`), the sender is woken after the
        commit, never before it: a message is sent only once it is stored."""
        if self._rehearsing is not None:  # a savepoint: its work is undone with the rest
            async with self._rehearsing.begin_nested():
                yield self._rehearsing
            return
        owed = False
        async with self.engine.begin() as conn:
            try:
                yield conn
            finally:
                owed = conn.info.pop(OWED, False)  # the pooled connection forgets it
        if owed and self.on_owed is not None:
            self.on_owed()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reading only (on PostgreSQL, outside any transaction)."""
        if self._rehearsing is not None:
            yield self._rehearsing
            return
        async with self._reader.connect() as conn:
            yield conn

    @asynccontextmanager
    async def rehearsal(self) -> AsyncIterator[None]:
        """Inside, every transaction is a savepoint of one outer transaction, rolled back at
        the end: a dry run reads and writes as the real run would, and leaves nothing behind.
        One connection serves it all, so the work inside must not run side by side."""
        if self.dialect == "sqlite":
            # pysqlite begins transactions lazily and would commit at the first RELEASE:
            # SQLAlchemy's recipe, explicit BEGIN, makes savepoints nest (new connections).
            await self.engine.dispose()
            event.listen(self.engine.sync_engine, "connect", _autocommit_driver)
            event.listen(self.engine.sync_engine, "begin", _explicit_begin)
        try:
            async with self.engine.connect() as conn:
                outer = await conn.begin()
                self._rehearsing = conn
                try:
                    yield
                finally:
                    self._rehearsing = None
                    await outer.rollback()
        finally:
            if self.dialect == "sqlite":
                event.remove(self.engine.sync_engine, "connect", _autocommit_driver)
                event.remove(self.engine.sync_engine, "begin", _explicit_begin)
                await self.engine.dispose()

    async def migrate(self) -> None:
        """Create or upgrade the schema to the newest revision; a database that has it
        already is only asked which it has (Alembic is not even imported then)."""
        try:
            if await self.at_head():
                return
            async with self.engine.begin() as conn:
                await conn.run_sync(_upgrade)
        except (SQLAlchemyError, OSError) as exc:
            raise DatabaseError(
                f"database {self.safe_url()} unavailable: {_first_line(exc)}"
            ) from exc

    async def at_head(self) -> bool:
        """Whether the stored revision is the newest migration's, by one SELECT."""
        head = script_head()
        if head is None:
            return False
        try:
            async with self.read() as conn:
                stored = (await conn.execute(_STORED_REVISION)).scalars().all()
        except SQLAlchemyError:  # no alembic_version table yet: a new database
            return False
        return stored == [head]

    async def revision(self) -> str | None:
        async with self.engine.connect() as conn:
            return await conn.run_sync(_current_revision)

    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    async def close(self) -> None:
        await self.engine.dispose()


_STORED_REVISION = text("SELECT version_num FROM alembic_version")


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        # Several workers may start at once: one migrates, the others wait for it.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(74470001)")
    command.upgrade(alembic_config(connection), "head")


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
