"""Issue 16: the webhook endpoint under a careless or hostile client, and its secret."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

import httpx
import pytest

from handlers.plumbing import receiving
from tests.cli import gridbot
from tests.test_exactly_once import SECRET, webhook_rig, webhook_worker

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
IMPOSSIBLE: list[Any] = [
    {"update_id": 2**70, "message": {}},
    {"update_id": -5},
    {"update_id": "12"},
    {"update_id": True},
    {"update_id": 1.5},
    [1, 2, 3],
    "update",
    {"message": {"text": "no id"}},
]


async def test_every_malformed_or_impossible_update_is_acknowledged_and_logged_once(
    database_url: str, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=receiving.__name__)
    async with (
        webhook_rig(database_url, clock) as (emu, store),
        webhook_worker(database_url, emu, clock) as port,
        httpx.AsyncClient() as client,
    ):
        url = f"http://127.0.0.1:{port}/telegram"
        for body in IMPOSSIBLE:
            reply = await client.post(url, json=body, headers=HEADERS)
            assert reply.status_code == 200, body
        for raw in (b"{", b"\xff\xfe", b""):
            reply = await client.post(url, content=raw, headers=HEADERS)
            assert reply.status_code == 200, raw
        assert await store.updates.last_id() is None
    ignored = [r for r in caplog.records if "not an update" in r.getMessage()]
    assert len(ignored) == len(IMPOSSIBLE) + 3
    assert all(r.exc_info is None for r in caplog.records)


async def test_a_slow_body_is_cut_off_and_a_vanished_client_logs_one_line(
    database_url: str, clock: Any, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(receiving, "BODY_TIMEOUT", 0.5)
    caplog.set_level(logging.WARNING)
    async with (
        webhook_rig(database_url, clock) as (emu, _),
        webhook_worker(database_url, emu, clock) as port,
    ):
        head = (
            f"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: 100\r\n\r\n"
            '{"update_id": 1'
        ).encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)  # held open: cut off in time
        assert b" 408 " in status
        writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head)
        await writer.drain()
        writer.close()  # gone before the body is complete
        await asyncio.sleep(1.0)
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    assert all("\n" not in r.getMessage() for r in caplog.records)


async def test_the_secret_is_compared_in_constant_time(
    database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(receiving.hmac, "compare_digest", spy)
    async with (
        webhook_rig(database_url, clock) as (emu, _),
        webhook_worker(database_url, emu, clock) as port,
        httpx.AsyncClient() as client,
    ):
        url = f"http://127.0.0.1:{port}/telegram"
        wrong = await client.post(url, json={"update_id": 1}, headers={
            "X-Telegram-Bot-Api-Secret-Token": SECRET[:-1] + "x"})  # fmt: skip
        assert wrong.status_code == 403
    assert compared and compared[-1][1] == SECRET.encode()


@pytest.mark.parametrize("secret", ["has space", "ünïcode", "x" * 257, "semi;colon"])
async def test_a_secret_telegram_would_refuse_stops_the_start_with_one_line(secret: str) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "123:abc", "GRIDBOT_WEBHOOK_URL": "https://bot.example.org/t",
        "GRIDBOT_WEBHOOK_SECRET": secret, "GRIDBOT_TELEGRAM_API": "http://127.0.0.1:9/bot",
    }  # fmt: skip
    ran = await gridbot("run", "--webhook", env=env)
    assert ran.code == 2 and "Traceback" not in ran.err, ran.err
    assert ran.err.strip().count("\n") == 0 and "GRIDBOT_WEBHOOK_SECRET" in ran.err
