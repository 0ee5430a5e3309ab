"""Group commit: many small writes that arrive together share one transaction.

Each caller still waits until its own write is committed, so nothing is acknowledged
earlier than before; what is saved is the per-transaction cost (a connection checkout,
BEGIN, COMMIT, each a round trip to the driver's thread), paid once for the whole group.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy.sql import Executable

from storage.database import Database

Params = dict[str, Any]


class GroupCommit:
    """One statement executed for many parameter sets (executemany) in one transaction."""

    def __init__(self, db: Database, statement: Executable, limit: int = 500) -> None:
        self.db = db
        self.statement = statement
        self.limit = limit
        self._pending: list[tuple[Params, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, params: Params) -> None:
        """Queue one parameter set and wait until it is committed (or the commit failed)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((params, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        await future

    async def submit_many(self, many: Sequence[Params]) -> None:
        await asyncio.gather(*(self.submit(params) for params in many))

    async def _flush(self) -> None:
        # One turn of the loop lets the writers that are ready right now join this group.
        await asyncio.sleep(0)
        while self._pending:
            group, self._pending = self._pending[: self.limit], self._pending[self.limit :]
            try:
                async with self.db.transaction() as conn:
                    await conn.execute(self.statement, [params for params, _ in group])
            except Exception as exc:  # every waiter hears of it; none is told "done"
                for _, future in group:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, future in group:
                if not future.done():
                    future.set_result(None)
