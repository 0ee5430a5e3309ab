"""A stop always ends: a background task whose cancel is swallowed (as a database driver can
swallow one mid-query) is cancelled again until it ends, instead of holding shutdown for ever."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from handlers.plumbing import receiving, stopping
from tests.world import grid_world


async def test_a_task_that_swallows_its_first_cancel_still_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stopping, "RECANCEL_EVERY", 0.05)
    swallowed = []

    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed.append(True)

    task = asyncio.get_running_loop().create_task(stubborn())
    await asyncio.sleep(0.02)
    await asyncio.wait_for(stopping.cancel(task, None), timeout=5)
    assert swallowed == [True]
    assert task.cancelled()


async def test_the_bot_stops_though_its_sweep_swallowed_the_cancel(
    database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receiving, "SWEEP_EVERY", 0.05)
    monkeypatch.setattr(stopping, "RECANCEL_EVERY", 0.1)
    inside, swallowed = asyncio.Event(), []

    async def renew_swallowing_a_cancel(self: receiving.Receiver) -> int:
        inside.set()
        if swallowed:
            return 0
        try:
            await asyncio.sleep(30)  # a query that outlasts the stop
        except asyncio.CancelledError:
            swallowed.append(True)  # and the driver carries on, the cancel lost
        return 0

    monkeypatch.setattr(receiving.Receiver, "renew", renew_swallowing_a_cancel)
    world = grid_world(database_url, clock)
    await world.__aenter__()
    await asyncio.wait_for(inside.wait(), timeout=10)
    await asyncio.wait_for(world.__aexit__(None, None, None), timeout=20)
    assert swallowed, "the stop never reached the sweep's query"
