"""The error handler: a handler that fails is logged and told to the operator chat, never
to the resident whose message it was (SPEC §10)."""

from __future__ import annotations

import logging

import pytest

from bot.issues import workflow
from tests.conftest import Clock
from tests.world import LI, ZHANG, World, grid_world

OPERATORS = -1008888888888
LAMP = "3号楼门口的路灯坏了好几天了，晚上出门很不方便"


async def _broken(*args: object, **kwargs: object) -> workflow.Answer:
    raise RuntimeError("数据库<连接>断了 & 重试")


async def _crash_on_take(world: World) -> tuple[dict[str, object], int]:
    """Issue #1 is reported and acknowledged; then the member's /take fails inside."""
    await world.reply_to(world.say(ZHANG, LAMP))
    await world.settle()
    return world.say(LI, "/take 1"), len(world.emu.sent)


async def test_failure_goes_to_the_log_and_the_operator_chat_only(
    database_url: str,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(workflow, "act", _broken)
    env = {"GRIDBOT_OPERATOR_CHAT": str(OPERATORS)}
    async with grid_world(database_url, clock, env=env) as world:
        world.emu.add_group(OPERATORS, "运维群")
        _, sent_before = await _crash_on_take(world)
        told = await world.in_group(OPERATORS, "RuntimeError")
        assert "数据库<连接>断了 & 重试" in (told.text or "")  # escaped, so Telegram took it
        await world.settle()
        assert [s.chat_id for s in world.emu.sent[sent_before:]] == [OPERATORS]
    failures = [r for r in caplog.records if r.name == "handlers.errors"]
    assert failures and failures[0].exc_info is not None


async def test_without_a_reachable_operator_chat_the_log_is_enough(
    database_url: str,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An operator chat the bot cannot write to must not make the error handler fail too."""
    monkeypatch.setattr(workflow, "act", _broken)
    env = {"GRIDBOT_OPERATOR_CHAT": str(OPERATORS)}  # never added: Telegram says chat not found
    async with grid_world(database_url, clock, env=env) as world:
        _, sent_before = await _crash_on_take(world)
        await world.settle()
        assert world.emu.sent[sent_before:] == []
        # The bot lives on: the next report is answered.
        await world.reply_to(world.say(ZHANG, "小区垃圾好几天没人清运了，臭气熏天"))
    names = [r.name for r in caplog.records if r.levelno >= logging.WARNING]
    assert "handlers.errors" in names
