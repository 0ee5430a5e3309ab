"""Issue 22: an IN-list is one bound parameter (storage/lists.py), so a statement has one
SQL text whatever the length of its list, and means what `IN` / `NOT IN` mean."""

from __future__ import annotations

from sqlalchemy import event, insert, select

from storage.database import Database
from storage.lists import among, not_among
from storage.schema import grids


async def _grids(url: str) -> Database:
    db = Database(url)
    rows = [{"id": n, "code": f"G{n}", "name": "网格", "community": "社区", "street": "街道",
             "district": "区"} for n in range(1, 6)]  # fmt: skip
    async with db.transaction() as conn:
        await conn.execute(insert(grids), rows)
    return db


async def test_among_and_not_among_split_the_rows(database_url: str) -> None:
    db = await _grids(database_url)
    ids = select(grids.c.id).order_by(grids.c.id)
    async with db.read() as conn:
        for chosen, rest in (([1, 3], [2, 4, 5]), ([], [1, 2, 3, 4, 5]), ([5], [1, 2, 3, 4])):
            assert (await conn.execute(ids.where(among(grids.c.id, chosen)))).scalars().all() == (
                chosen
            )
            assert (
                await conn.execute(ids.where(not_among(grids.c.id, chosen)))
            ).scalars().all() == (rest)
        codes = ids.where(among(grids.c.code, ["G2", "G4", "G9"]))
        assert (await conn.execute(codes)).scalars().all() == [2, 4]
    await db.close()


async def test_a_named_list_is_given_at_execution(database_url: str) -> None:
    db = await _grids(database_url)
    statement = select(grids.c.id).where(among(grids.c.id, "ids")).order_by(grids.c.id)
    async with db.read() as conn:
        assert (await conn.execute(statement, {"ids": [4, 2]})).scalars().all() == [2, 4]
    await db.close()


async def test_every_length_of_list_is_one_sql_text(database_url: str) -> None:
    db = await _grids(database_url)
    texts: set[str] = set()
    event.listen(db.engine.sync_engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: texts.add(sql))  # fmt: skip
    async with db.read() as conn:
        for length in range(1, 6):
            await conn.execute(select(grids.c.id).where(among(grids.c.id, range(length))))
    assert len(texts) == 1
    await db.close()
