"""Group commit: many small writes that arrive together share one transaction.

Each caller still waits until its own write is committed, so nothing is acknowledged
earlier than before; what is saved is the per-transaction cost (a connection checkout,
BEGIN, COMMIT, each a round trip to the driver's thread) and, where the statement allows,
the per-statement cost too (one executemany, one multi-row INSERT), paid once per group.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy.sql import Executable

from storage.database import Database

T = TypeVar("T")
R = TypeVar("R")
Params = dict[str, Any]


class Combined(Generic[T, R]):
    """Calls that arrive while a group is being written form the next group.

    `group` writes a whole group and returns one result per item, in order. If it raises
    and `alone` is given, each item of that group is written alone, so one bad item (a
    message stored already) costs only itself; without `alone` every caller hears of it."""

    def __init__(
        self,
        group: Callable[[list[T]], Awaitable[Sequence[R]]],
        alone: Callable[[T], Awaitable[R]] | None = None,
        limit: int = 200,
    ) -> None:
        self.group, self.alone, self.limit = group, alone, limit
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """Queue one item and wait for its result (or its error)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        # One turn of the loop lets the writers that are ready right now join this group.
        await asyncio.sleep(0)
        while self._pending:
            batch, self._pending = self._pending[: self.limit], self._pending[self.limit :]
            try:
                results = await self.group([item for item, _ in batch])
            except Exception as exc:
                await self._after_failure(batch, exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _after_failure(
        self, batch: list[tuple[T, asyncio.Future[R]]], exc: Exception
    ) -> None:
        for item, future in batch:
            if future.done():
                continue
            if self.alone is None:
                future.set_exception(exc)
                continue
            try:
                future.set_result(await self.alone(item))
            except Exception as own:  # this item's own trouble, for its caller alone
                future.set_exception(own)


class GroupCommit:
    """One statement executed for many parameter sets (executemany) in one transaction."""

    def __init__(self, db: Database, statement: Executable, limit: int = 500) -> None:
        self.db, self.statement = db, statement
        self._combined: Combined[Params, None] = Combined(self._write, limit=limit)

    async def submit(self, params: Params) -> None:
        """Queue one parameter set and wait until it is committed (or the commit failed)."""
        await self._combined.submit(params)

    async def submit_many(self, many: Sequence[Params]) -> None:
        await asyncio.gather(*(self.submit(params) for params in many))

    async def _write(self, group: list[Params]) -> list[None]:
        async with self.db.transaction() as conn:
            await conn.execute(self.statement, group)
        return [None] * len(group)
