"""Issue 9: sending stays under Telegram's limits by design (handlers/plumbing/limits.py), and
a burst is answered by bundling acknowledgements and notices instead of queueing dozens."""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from bot.config import ConfigError, load_settings
from bot.services import build_services
from handlers.plumbing.claiming import first_chats
from handlers.plumbing.limits import SendLimits, send_limits
from handlers.plumbing.windows import GROUP, OVERALL, PRIVATE, Limit, Window
from storage.outbox import TAKEOVER, OutboxStore
from storage.records import Issue, MessageKind, OutgoingMessage, Priority
from tests.conftest import Clock
from tests.world import A01, LI, LIU, WANG, ZHANG, ZHOU, World, grid_world


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_counts_a_sliding_span_not_a_leaky_bucket() -> None:
    window, now = Window(GROUP, margin=0.0), 0.0
    for second in range(20):
        assert window.delay(now + second) == 0
        window.record(now + second)
    assert window.free(now + 20) == 0
    # A leaky bucket would let one through after 3 s; a sliding minute waits for the first.
    assert window.delay(now + 23) == 37
    assert window.delay(now + 60) == 0 and window.free(now + 60) == 1


def test_each_chat_has_its_own_window_within_the_overall_one() -> None:
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0)
    limits._window(-1).record(ticks.now)
    limits._window(7).record(ticks.now)
    assert limits.chat_delay(7) == PRIVATE.seconds
    assert limits.free(-1) == GROUP.count - 1
    assert limits.free(8) == PRIVATE.count
    limits.pause(-2, 5)
    assert limits.waiting_chats(1.5) == {-2: 5}


def test_workers_sending_for_one_bot_each_keep_their_share_of_every_limit() -> None:
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0, share=2)
    assert limits.free_overall() == OVERALL.count // 2
    assert limits.free(-1) == GROUP.count // 2
    limits._window(7).record(ticks.now)
    assert limits.chat_delay(7) == 2 * PRIVATE.seconds  # one a second between two workers


async def test_a_send_counts_from_when_its_answer_came_back_not_from_its_grant() -> None:
    """Telegram counts a send when it arrives, which may be well after it was granted."""
    ticks = Ticks()
    limits = SendLimits(clock=ticks, margin=0.0)
    granted = await limits.acquire(7)
    ticks.now += 0.4  # the answer came back 0.4 s later
    limits.sent(7, granted)
    ticks.now = granted + PRIVATE.seconds
    assert limits.chat_delay(7) == pytest.approx(0.4)
    assert limits.free_overall() == OVERALL.count - 1


def test_the_overall_window_counts_a_send_half_the_quickest_trip_before_its_answer() -> None:
    """It arrived before its answer came back, and the next send takes a way out too."""
    window = Window(Limit(1, 1.0), margin=0.0, credit=True)
    window.open(0.0)
    window.close(0.0, 0.1)  # a 0.1 s round trip: counted from 0.05
    assert window.delay(0.1) == pytest.approx(0.95)
    window.open(2.0)
    window.close(2.0, 4.0)  # a slow upload: only the quickest trip's half is credited
    assert window.delay(4.0) == pytest.approx(0.95)


async def test_the_most_urgent_waiter_goes_first_and_a_waiting_chat_holds_up_no_one() -> None:
    limits = SendLimits(margin=0.0)
    for _ in range(OVERALL.count):  # the overall second is spent
        limits._overall.record(time.monotonic())
    limits.pause(-1, 30)  # this group may not send for a while
    order: list[str] = []

    async def send(name: str, chat: int, priority: int) -> None:
        await limits.acquire(chat, priority)
        order.append(name)

    tasks = [
        asyncio.create_task(send("paused group", -1, 1)),
        asyncio.create_task(send("notice", 5, 4)),
        asyncio.create_task(send("urgent", 6, 1)),
    ]
    await asyncio.wait(tasks, timeout=2.5)
    assert order == ["urgent", "notice"]
    tasks[0].cancel()


PROBLEMS = [
    "门口的路灯坏了好几天了", "垃圾桶满了没人清运", "电梯又坏了老人下不了楼",
    "楼顶漏水墙都泡了", "下水道堵了污水流到路上", "公交站牌被撞歪了",
    "楼道里有人给电动车充电", "隔壁装修从早吵到晚", "养老金这个月还没到账",
    "健身器材螺丝松了", "灌溉渠塌了秧田放不了水", "社区卫生站的疫苗约不上",
]  # fmt: skip
BURST = 45  # more than a group may be sent in a minute, and a minute of notices per member


def told(world: World, issue: Issue, members: dict[int, int]) -> bool:
    """Whether #N was acknowledged in its group and reached its member privately."""
    number = re.compile(rf"#{issue.id}(?!\d)")
    chats = {s.chat_id for s in world.emu.sent if number.search(s.text or "")}
    return issue.chat_id in chats and members.get(issue.assignee_id or 0) in chats


async def test_a_burst_into_one_group_gets_no_429_and_every_issue_acknowledged(
    database_url: str, clock: Clock
) -> None:
    async with grid_world(database_url, clock, limits=True) as world:
        members = {m.id: m.telegram_id for m in await world.store.members.all()}
        residents = (ZHANG, LIU, ZHOU)
        for i in range(BURST):
            problem = PROBLEMS[i % len(PROBLEMS)]
            world.say(residents[i % 3], f"/report {i + 1}号楼{problem}")
        deadline = asyncio.get_running_loop().time() + 90
        while True:
            issues = [await world.issue(n) for n in range(1, await world.store.issues.count() + 1)]
            if len(issues) == BURST and all(told(world, i, members) for i in issues):
                break
            assert asyncio.get_running_loop().time() < deadline, "not all told in time"
            await asyncio.sleep(0.2)
        assert world.emu.too_many_requests == 0
        in_group = [s.text or "" for s in world.emu.messages_in(A01)]
        assert any("件诉求" in text for text in in_group), "no bundled acknowledgement"
        assert len(in_group) < BURST
        for member in (LI, WANG):
            assert len(world.emu.messages_in(member.id)) < BURST


def test_a_worker_with_chats_of_its_own_keeps_each_chats_whole_limit() -> None:
    ticks = Ticks()
    shared_chats = send_limits(True, senders=2)
    own_chats = send_limits(True, senders=2, own_chats=True)
    for limits in (shared_chats, own_chats):
        limits.clock = ticks
    assert shared_chats._window(-1).count == GROUP.count // 2
    assert own_chats._window(-1).count == GROUP.count  # nobody else sends into it
    assert own_chats.free_overall() == OVERALL.count // 2  # the bot's 30/s is still shared


async def test_a_worker_takes_its_own_chats_and_anothers_only_once_long_overdue(
    database_url: str, clock: Clock
) -> None:
    services = await build_services(load_settings(env={"GRIDBOT_DATABASE_URL": database_url}))
    try:
        await owed_by_chat(services.store.outbox, clock)
    finally:
        await services.close()


async def owed_by_chat(outbox: OutboxStore, clock: Clock) -> None:
    chats = (-1001, -1002, 5001, 5002)
    owed = [OutgoingMessage(MessageKind.NOTICE, chat, "通知", clock.now) for chat in chats]
    await outbox.add(owed)
    mine = await outbox.due(clock.now, part=(2, 0))
    assert sorted(m.chat_id for m in mine) == [-1002, 5002]
    theirs = await outbox.due(clock.now, part=(2, 1))
    assert sorted(m.chat_id for m in theirs) == [-1001, 5001]
    later = clock.now + TAKEOVER
    assert len(await outbox.due(later, part=(2, 0))) == 4  # the other worker is gone: late


def test_the_sender_index_is_one_of_the_senders() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:x", "GRIDBOT_SENDERS": "2"}
    assert load_settings(env={**env, "GRIDBOT_SENDER_INDEX": "1"}).sender_index == 1
    assert load_settings(env=env).sender_index is None
    with pytest.raises(ConfigError, match="GRIDBOT_SENDER_INDEX"):
        load_settings(env={**env, "GRIDBOT_SENDER_INDEX": "2"})


def test_a_pass_claims_about_a_seconds_sends_but_every_acknowledgement() -> None:
    at = Clock().now

    def row(n: int, chat: int, priority: Priority) -> OutgoingMessage:
        return OutgoingMessage(MessageKind.DIGEST, chat, f"{n}", at, id=n, priority=priority)

    digests = [row(n, -(n // 2), Priority.DIGEST) for n in range(2, 12)]  # two in each group
    acks = [row(20 + n, -1, Priority.ACK) for n in range(3)]
    claimed = first_chats(acks + digests, room=2, spare=2)
    # The acknowledgements may go past the room; then one chat's first digest post.
    assert [m.id for m in claimed] == [20, 21, 22, 2]
    assert first_chats([*acks, row(30, -9, Priority.ACK)], room=2, spare=1) == acks
    assert [m.id for m in first_chats(digests, room=10)] == [2, 4, 6, 8, 10]
