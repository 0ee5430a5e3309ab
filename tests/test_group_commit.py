"""Issue 9: small writes arriving together share one transaction, and every writer still
waits for its own commit (or hears that it failed)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.exc import IntegrityError

from storage.batching import GroupCommit
from storage.schema import updates
from storage.store import open_store

AT = datetime(2026, 12, 1, tzinfo=UTC)


async def test_concurrent_marks_share_one_commit(database_url: str) -> None:
    store = await open_store(database_url)
    await store.updates.record([(n, "{}") for n in range(1, 51)], AT)
    commits: list[int] = []
    event.listen(store.db.engine.sync_engine, "commit", lambda conn: commits.append(1))
    await asyncio.gather(*(store.updates.done(n, AT) for n in range(1, 51)))
    assert len(commits) < 5  # fifty marks, a handful of transactions
    async with store.db.read() as conn:
        unmarked = select(updates.c.update_id).where(updates.c.processed_at.is_(None))
        assert (await conn.execute(unmarked)).all() == []
    assert await store.updates.unhandled(AT) == []
    await store.close()


async def test_a_failed_group_commit_reaches_every_writer(database_url: str) -> None:
    store = await open_store(database_url)
    await store.updates.record([(1, "{}"), (2, "{}")], AT)
    # Every row given the same primary key: the database refuses the whole group.
    clash = GroupCommit(store.db, update(updates).values(update_id=bindparam("u_id")))
    outcomes = await asyncio.gather(
        clash.submit({"u_id": 7}), clash.submit({"u_id": 8}), return_exceptions=True
    )
    assert all(isinstance(outcome, IntegrityError) for outcome in outcomes)
    assert await store.updates.last_id() == 2  # nothing of the group was kept
    await store.close()


async def test_an_update_recorded_twice_is_fresh_once(database_url: str) -> None:
    store = await open_store(database_url)
    assert await store.updates.record([(1, "{}"), (2, "{}")], AT) == [1, 2]
    assert await store.updates.record([(2, "{}"), (3, "{}")], AT) == [3]
    await store.close()
