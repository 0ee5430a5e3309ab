"""Stopping background tasks for certain, even when a library swallows the cancel."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)

RECANCEL_EVERY = 1.0  # seconds before a task that outlived its cancel is cancelled again


async def cancel(*tasks: asyncio.Task[Any] | None) -> None:
    """Cancel each task and wait for its end, cancelling again until it ends.

    A cancel that lands inside a database driver's await can be swallowed there (asyncpg
    issue 873): the task goes on to its next loop and a single `await task` waits for ever,
    which once hung the shutdown after a test. A second cancel finds it elsewhere."""
    for task in tasks:
        if task is None:
            continue
        while not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=RECANCEL_EVERY)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("task %s ended with %r", task.get_name(), task.exception())
