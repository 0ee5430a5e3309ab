"""Issue 22: a digest wave never delays residents. Its sends are paced, so the overall
window comes free a few places at a time (handlers/plumbing/pacing.py); a report's
acknowledgement joins its group's lane while the group's digest post waits, and goes first
(handlers/plumbing/lanes.py); one group at its own limit holds up no other."""

from __future__ import annotations

import asyncio

from handlers.plumbing.limits import PACE_BURST, SendLimits
from handlers.plumbing.pacing import paced
from handlers.plumbing.windows import OVERALL
from storage.records import MessageKind, OutgoingMessage, Priority
from tests.conftest import Clock
from tests.test_limits import Ticks
from tests.world import A01, A02, LI, ZHANG, World, grid_world


def test_a_wave_is_paced_so_an_acknowledgement_finds_a_place_at_once() -> None:
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0)
    digests = [limits.grant_now(-n, Priority.DIGEST) for n in range(1, OVERALL.count + 1)]
    # Not the whole second at once: a report arriving now must not wait for the next one.
    assert sum(g is not None for g in digests) == OVERALL.count // PACE_BURST
    assert limits.grant_now(-99, Priority.ACK) is not None


def test_a_reports_notices_go_unpaced_while_a_waves_reminders_are_paced() -> None:
    """A burst's members' notices are told like its acknowledgements: paced, its last second
    of them was spread over the whole second."""
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0)
    clock = Clock()
    notice = OutgoingMessage(MessageKind.NOTICE, 7, "#3", clock.now, priority=Priority.NOTICE)
    reminder = OutgoingMessage(MessageKind.REMINDER, 7, "#3", clock.now, priority=Priority.NOTICE)
    assert not paced([notice]) and paced([reminder]) and paced([notice, reminder])
    assert paced([digest_to(-1, clock)])
    notices = [limits.grant_now(n, Priority.NOTICE, paced([notice])) for n in range(1, 31)]
    assert all(g is not None for g in notices)


def test_pacing_costs_a_wave_nothing_of_the_overall_rate() -> None:
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0)
    granted, chat = 0, 0
    for _ in range(3 * 100):  # three seconds, looked at every hundredth of a second
        while (at := limits.grant_now(-(chat % 1000) - 1, Priority.DIGEST)) is not None:
            limits.sent(-(chat % 1000) - 1, at)
            granted, chat = granted + 1, chat + 1
        ticks.now += 0.01
    assert granted >= 3 * OVERALL.count


async def test_a_turn_given_up_as_it_is_granted_frees_its_place() -> None:
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0)
    for _ in range(OVERALL.count):
        limits._overall.open(ticks.now)  # every place in flight
    waiting = asyncio.create_task(limits.acquire(-1, Priority.ACK))
    await asyncio.sleep(0)
    limits.unused(-2, ticks.now)  # one place comes free: granted to the waiter...
    waiting.cancel()  # ...which gave up its turn at that moment
    await asyncio.gather(waiting, return_exceptions=True)
    assert limits.free_overall() == 1


def digest_to(chat: int, clock: Clock) -> OutgoingMessage:
    return OutgoingMessage(
        MessageKind.DIGEST, chat, "本周小结", clock.now, priority=Priority.DIGEST
    )


def limits_of_world(world: World) -> SendLimits:
    limits = world.local.app.bot.rate_limiter.limits  # type: ignore[attr-defined]
    assert isinstance(limits, SendLimits)
    return limits


async def until_waiting(limits: SendLimits, chat: int, priority: Priority) -> None:
    """Until the chat's next send, of this priority, waits for its turn (and none other)."""
    for _ in range(1000):
        waiting = [w.priority for w in limits._waiting if w.chat_id == chat]
        if waiting == [priority]:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"chat {chat} never waited with a send of priority {priority}")


async def test_acknowledgement_overtakes_digest_wave(database_url: str, clock: Clock) -> None:
    async with grid_world(database_url, clock, limits=True) as world:
        limits = limits_of_world(world)
        full_at = limits.clock()
        for _ in range(OVERALL.count):  # the wave's second is spent: its sends in flight
            limits._overall.open(full_at)
        await world.store.outbox.add([digest_to(A01, clock)])
        await until_waiting(limits, A01, Priority.DIGEST)  # the group's digest post waits
        report = world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
        await until_waiting(limits, A01, Priority.ACK)  # the report's answer took its turn
        for _ in range(OVERALL.count):  # the wave's sends are answered
            limits.unused(0, full_at)
        await world.reply_to(report)
        await world.in_group(A01, "本周小结")
        order = [s.reply_to_message_id == report["message_id"] for s in world.emu.messages_in(A01)]
        assert order == [True, False], "the acknowledgement waited behind the digest post"


async def test_one_group_at_its_limit_does_not_hold_others(
    database_url: str, clock: Clock
) -> None:
    async with grid_world(database_url, clock, limits=True) as world:
        limits = limits_of_world(world)
        spent = limits._window(A01)
        for _ in range(spent.count):  # A01 had its 20 posts this minute
            spent.record(limits.clock())
        await world.store.outbox.add([digest_to(A01, clock), digest_to(A02, clock)])
        world.say(ZHANG, "/report 3号楼门口的路灯坏了好几天了")
        await world.in_group(A02, "本周小结")
        await world.private(LI, "#1")  # A01's member is told at once
        assert world.emu.messages_in(A01) == []
