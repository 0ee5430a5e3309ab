"""Drawing the owed digest charts before they are sent (handlers.plumbing.delivery).

A chart row is due only once it is a photo, so a digest wave is sent no faster than its
charts are drawn: one chart per grid, half of a wave's messages. Drawn one after another,
each waiting for the write of the one before, a 600-grid wave drew 12 charts a second
(51 ms painting beside a busy event loop, 31 ms writing) where it sends 15: the wave took
1.25 x the least time. Pillow lets go of the GIL while it paints, so a batch is painted by
PAINTERS threads side by side, and each chart is written while the next are painted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

from bot.reports.charts import render_spec
from bot.services import Services

logger = logging.getLogger(__name__)

PAINTERS = 2  # the cores of a small server; more only queue for them
WAKE_EVERY = 5.0  # seconds between looks when nothing wakes the drawer


class ChartDrawer:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.wanted = asyncio.Event()  # a sender's pass found charts still to be drawn
        self._painters: ThreadPoolExecutor | None = None

    async def run(self) -> None:
        """Draws charts as they are owed (woken by `wanted`, or every WAKE_EVERY)."""
        try:
            while True:
                try:
                    await self.draw()
                except Exception:  # a database hiccup: the next round draws it
                    logger.exception("drawing charts failed")
                # asyncio.timeout, not wait_for: on 3.11 wait_for loses a cancel that arrives
                # as the event is set, and stop() then waited on this loop for ever.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(WAKE_EVERY):
                        await self.wanted.wait()
                self.wanted.clear()
        finally:
            if self._painters is not None:
                self._painters.shutdown(wait=False, cancel_futures=True)
                self._painters = None

    async def draw(self, after_id: int = 0) -> int:
        """Draw the owed charts not drawn yet (added after `after_id`); returns how many."""
        outbox, count = self.services.store.outbox, 0
        while charts := await outbox.charts_to_draw(after_id=after_id):
            loop = asyncio.get_running_loop()
            if self._painters is None:
                self._painters = ThreadPoolExecutor(PAINTERS, thread_name_prefix="charts")
            paintings = [
                loop.run_in_executor(self._painters, render_spec, chart.media or b"")
                for chart in charts
            ]
            try:
                for chart, painting in zip(charts, paintings, strict=True):
                    assert chart.id is not None
                    try:
                        png = await painting
                    except Exception as exc:  # a chart that cannot be drawn must not block
                        logger.exception("outbox %s: chart not drawn", chart.id)
                        await outbox.drawn(chart.id, None, f"chart not drawn: {exc}")
                    else:
                        await outbox.drawn(chart.id, png)
                    count += 1
            finally:
                for painting in paintings:
                    painting.cancel()  # stopped midway: the rest are drawn next time
        return count
