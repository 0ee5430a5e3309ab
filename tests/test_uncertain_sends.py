"""SPEC §10: a step Telegram took but answered late is posted once, never twice.

The Bot API has no idempotency key, so a post whose answer the bot stopped waiting for
cannot be told apart from one that never arrived. Posts wait for their answer longer than
other calls (handlers/plumbing/transport.py, SEND_READ); with PTB's 5 s for everything, a
post answered after 5 s was retried by the outbox and the group saw the step twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from handlers.plumbing import transport
from tests.world import A01, LI, ZHANG, grid_world

NOTE = "已联系施工队明天修"
# Stands for PTB's 5 s here, kept short so the test is quick: the late answer comes after it.
OTHER_CALLS = 2.0
LATE = 3.0


def progress_posts(world: Any) -> list[Any]:
    return [s for s in world.emu.messages_in(A01) if (s.text or "").startswith("#1 办理中：")]


async def test_a_step_answered_after_the_ordinary_timeout_is_posted_once(
    database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "READ", OTHER_CALLS)
    async with grid_world(database_url, clock) as world:
        await world.reply_to(world.say(ZHANG, "/report 3号楼门口路灯坏了好几天"))
        await world.settle()
        world.emu.delay_next("sendMessage", LATE, chat_id=A01)
        world.say(LI, f"/progress 1 {NOTE}")
        await world.settle()
        clock.now += timedelta(minutes=10)  # a retry, had one been owed, would be due now
        world.services.outbox_ready.set()
        await world.settle()
        asked = [p for name, p in world.emu.calls if name == "sendMessage"
                 and str(p.get("text")).startswith("#1 办理中：")]  # fmt: skip
        assert len(progress_posts(world)) == 1
        assert len(asked) == 1  # asked of Telegram once: no retry at all
        states = await world.store.outbox.states_after(0)
        assert set(states) == {"sent"}, states


async def test_a_post_never_answered_is_sent_again_and_said_to_be_uncertain(
    database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """The remaining risk, as documented: past SEND_READ the bot cannot know, and a step
    lost is worse than one seen twice, so it posts again and warns."""
    caplog.set_level(logging.WARNING)
    async with grid_world(database_url, clock) as world:
        await world.reply_to(world.say(ZHANG, "/report 3号楼门口路灯坏了好几天"))
        await world.settle()
        monkeypatch.setattr(transport, "SEND_READ", 1.0)  # only the step's post runs late
        world.emu.delay_next("sendMessage", LATE, chat_id=A01)
        world.say(LI, f"/progress 1 {NOTE}")
        await world.settle()
        assert len(progress_posts(world)) == 1  # taken by Telegram, unanswered
        clock.now += timedelta(minutes=10)
        world.services.outbox_ready.set()
        await world.settle()
        assert len(progress_posts(world)) == 2
    warned = [r.getMessage() for r in caplog.records if "may appear twice" in r.getMessage()]
    assert len(warned) == 1 and "no answer to the post" in warned[0]
