"""Issue 22: what one resident's report asks of the database, counted (not timed).

A report costs: the update stored and marked handled, the resident's group noted, the
near-duplicate look-up, the issue with its first event and its two messages (three
statements; on PostgreSQL three more: the numbering lock, the last number, the check for
a re-delivered message), the claim and the marks of the two sends. The sender's looks for
due rows come on top: a few, however busy it is."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event

from tests.world import LI, LIU, ZHANG, World

# Set in the test's own task: the test's checks are not the bot's statements.
_THE_TEST = ContextVar("the_test", default=False)
SENDER_LOOKS = ("SELECT outbox.", "SELECT min(outbox.not_before)")


def _counting(world: World) -> list[str]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if not _THE_TEST.get():
            statements.append(" ".join(sql.split()))

    event.listen(world.store.db.engine.sync_engine, "before_cursor_execute", count)
    return statements


async def _reachable(world: World, telegram_id: int) -> None:
    """Until the member's reachable mark is in (it follows the send) and the roster read
    again after it."""
    for _ in range(250):
        member = await world.store.members.by_telegram_id(telegram_id)
        if member is not None and member.reachable:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the member was never marked reachable")


async def test_report_costs_at_most_n_statements(world: World) -> None:
    # The first report, uncounted: the start-up's own work (the jobs' catch-up) is over by
    # then, and the member is marked reachable (the roster read again after that mark).
    await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"))
    await world.private(LI, "#1")
    await world.settle()
    await _reachable(world, LI.id)
    statements = _counting(world)
    await world.reply_to(world.say(LIU, "5单元电梯又坏了，老人上下楼太难了"))
    await world.private(LI, "#2")
    _THE_TEST.set(True)
    await world.settle()  # until both sends are marked
    looks = [sql for sql in statements if sql.startswith(SENDER_LOOKS)]
    work = [sql for sql in statements if not sql.startswith(SENDER_LOOKS)]
    assert len(work) <= 10 + (3 if world.store.db.dialect == "postgresql" else 0), work
    assert len(looks) <= 12, looks
