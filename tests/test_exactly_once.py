"""SPEC §10 / issue 8: every update handled once, nothing lost across a kill, webhook secret."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.config import load_settings
from bot.grids.roster import import_roster
from bot.services import build_services
from handlers.app import build_application
from handlers.emulator.local import DEMO_ROSTER
from handlers.emulator.server import BotApiEmulator
from handlers.plumbing.runner import Webhook, running
from storage.store import open_store
from tests.world import A01, LI, ZHANG, grid_world, nothing_owed

SECRET = "s3cret-token-for-tests"


def group_update(update_id: int, message_id: int, text: str) -> dict[str, Any]:
    """A group message update as Telegram would post it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": int(datetime(2026, 11, 19, 2, tzinfo=UTC).timestamp()),
            "chat": {"id": A01, "type": "supergroup", "title": "幸福里第一网格群"},
            "from": {"id": ZHANG.id, "is_bot": False, "first_name": ZHANG.name},
            "text": text,
        },
    }


async def test_update_stored_before_a_crash_is_handled_after_restart(
    database_url: str, clock: Any
) -> None:
    store = await open_store(database_url)
    raw = group_update(500, 77, "3号楼门口的路灯坏了好几天了")
    await store.updates.record([(500, json.dumps(raw, ensure_ascii=False))], clock())
    await store.close()
    async with grid_world(database_url, clock) as world:
        # The emulator never saw message 77, so the reply anchor is dropped, not the ack.
        ack = await world.in_group(A01, "已受理 #1")
        assert "市政设施" in ack.text
        assert (await world.store.issues.get(1)).message_id == 77  # type: ignore[union-attr]
        for _ in range(100):  # marked handled right after its handlers have run
            if not await world.store.updates.unhandled(clock()):
                break
            await asyncio.sleep(0.05)
        assert await world.store.updates.unhandled(clock()) == []


@asynccontextmanager
async def webhook_rig(database_url: str, clock: Any) -> AsyncIterator[tuple[BotApiEmulator, Any]]:
    """An emulator with the demo roster and no polling bot: updates come by webhook only."""
    async with BotApiEmulator() as emu:
        emu.add_user(ZHANG.id, ZHANG.name)
        emu.add_user(LI.id, LI.name)
        emu.start_private(LI.id)
        emu.add_group(A01, "幸福里第一网格群")
        store = await open_store(database_url)
        await import_roster(store, sorted(DEMO_ROSTER.glob("*.csv")))
        yield emu, store
        await store.close()


@asynccontextmanager
async def webhook_worker(database_url: str, emu: BotApiEmulator, clock: Any) -> AsyncIterator[int]:
    """A worker like `gridbot run --webhook`; yields the port it listens on."""
    settings = load_settings(env={
        "GRIDBOT_DATABASE_URL": database_url, "GRIDBOT_TELEGRAM_API": emu.base_url,
        "TELEGRAM_BOT_TOKEN": emu.token,
    })  # fmt: skip
    services = await build_services(settings, clock=clock)
    try:
        app = build_application(services, emu.token)
        hook = Webhook("https://bot.example.org/telegram", "127.0.0.1", 0, SECRET)
        async with running(app, services, webhook=hook) as handle:
            assert handle.webhook is not None
            yield handle.webhook.port
    finally:
        await services.close()


def as_update(emu: BotApiEmulator, message: dict[str, Any]) -> dict[str, Any]:
    return {"update_id": emu.last_update_id, "message": message}


async def test_two_webhook_workers_fed_the_same_stream_handle_each_update_once(
    database_url: str, clock: Any
) -> None:
    async with (
        webhook_rig(database_url, clock) as (emu, store),
        webhook_worker(database_url, emu, clock) as one,
        webhook_worker(database_url, emu, clock) as two,
        httpx.AsyncClient() as client,
    ):
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        sent = []
        for number in range(3):
            message = emu.post_message(A01, ZHANG.id, f"{number + 3}号楼门口路灯坏了好几天")
            sent.append(message["message_id"])
            for port in (one, two):
                url = f"http://127.0.0.1:{port}/telegram"
                reply = await client.post(url, json=as_update(emu, message), headers=headers)
                assert reply.status_code == 200
        for number in sent:
            await emu.wait_for(lambda s, n=number: s.reply_to_message_id == n)
        await nothing_owed(store)  # a second acknowledgement, were one owed, is sent by now
        acks = [s for s in emu.messages_in(A01) if s.reply_to_message_id in sent]
        assert len(acks) == 3
        assert await store.issues.count() == 3


async def test_webhook_refuses_a_request_without_the_secret(database_url: str, clock: Any) -> None:
    async with (
        webhook_rig(database_url, clock) as (emu, store),
        webhook_worker(database_url, emu, clock) as port,
        httpx.AsyncClient() as client,
    ):
        url = f"http://127.0.0.1:{port}/telegram"
        update = as_update(emu, emu.post_message(A01, ZHANG.id, "路灯坏了好几天了"))
        refused = await client.post(url, json=update)
        wrong = await client.post(url, json=update, headers={
            "X-Telegram-Bot-Api-Secret-Token": "guess"})  # fmt: skip
        garbage = await client.post(url, content=b"{", headers={
            "X-Telegram-Bot-Api-Secret-Token": SECRET})  # fmt: skip
        # Garbage with the secret is acknowledged, or Telegram would send it again forever.
        assert (refused.status_code, wrong.status_code, garbage.status_code) == (403, 403, 200)
        assert emu.webhook["secret_token"] == SECRET
        await asyncio.sleep(0.3)
        assert await store.issues.count() == 0


async def test_a_burst_larger_than_the_bot_holds_at_once_is_handled_in_full(
    database_url: str, clock: Any, monkeypatch: Any
) -> None:
    """The poller asks for more only while fewer than HELD_MAX updates wait here: the rest
    stay with Telegram until there is room, and none is lost or handled twice."""
    monkeypatch.setattr("handlers.plumbing.receiving.HELD_MAX", 3)
    async with grid_world(database_url, clock) as world:
        for n in range(8):
            world.emu.post_message(A01, ZHANG.id, f"{n + 1}号楼门口的路灯坏了好几天了，晚上看不见")
        for n in range(1, 9):
            await world.in_group(A01, f"#{n}", timeout=20)
        await nothing_owed(world.store)
        assert await world.store.issues.count() == 8
        assert await world.store.updates.unhandled(clock()) == []
