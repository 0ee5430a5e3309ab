"""Helpers for tests of scheduled jobs: run a job as the JobQueue would, and look at results."""

from __future__ import annotations

import asyncio

from handlers.emulator.server import SentMessage
from tests.world import Person, World, owed_now


async def run_job(world: World, name: str) -> None:
    """Run the named JobQueue job now (on the test's clock) and let the outbox deliver."""
    app = world.local.app
    assert app.job_queue is not None
    jobs = app.job_queue.get_jobs_by_name(name)
    assert len(jobs) == 1, f"expected one job named {name}, found {len(jobs)}"
    await jobs[0].run(app)
    await delivered(world)


async def delivered(world: World, timeout: float = 10.0) -> None:
    """Wait until the sender has sent everything due now, so absence can be asserted too."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while await owed_now(world):
        assert loop.time() < give_up, "the outbox still holds messages that are due"
        world.services.outbox_ready.set()
        await asyncio.sleep(0.05)
    await world.settle()


def sent_to(world: World, who: Person | int, contains: str) -> list[SentMessage]:
    chat = who if isinstance(who, int) else who.id
    return [s for s in world.emu.sent if s.chat_id == chat and contains in (s.text or "")]


async def reported(world: World, who: Person, text: str) -> int:
    """A resident reports a problem; returns the issue number from the acknowledgement."""
    ack = await world.reply_to(world.say(who, text))
    number = ack.text.split("#", 1)[1].split("【", 1)[0].strip()
    return int(number)
