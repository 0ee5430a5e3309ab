"""Issue 7: two real `gridbot run --webhook` processes on one database, fed the same stream."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from typing import Any

import httpx

from tests.test_exactly_once import SECRET, as_update, webhook_rig
from tests.world import A01, ZHANG, nothing_owed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_worker(env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    # A real worker reads the wall clock: quiet hours off, or at night the members' messages
    # would wait for 07:00 and the test with them.
    worker_env = {**os.environ, **env, "GRIDBOT_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
                  "GRIDBOT_QUIET_HOURS": "07:00-07:00"}  # fmt: skip
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "handlers.cli", "run", "--webhook", env=worker_env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def listening(client: httpx.AsyncClient, port: int, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            await client.post(f"http://127.0.0.1:{port}/telegram", json={})
            return
        except httpx.TransportError:
            assert asyncio.get_running_loop().time() < deadline, f"worker on {port} not up"
            await asyncio.sleep(0.1)


async def test_two_worker_processes_handle_each_update_once(database_url: str, clock: Any) -> None:
    async with webhook_rig(database_url, clock) as (emu, store), httpx.AsyncClient() as client:
        env = {
            "GRIDBOT_DATABASE_URL": database_url, "GRIDBOT_TELEGRAM_API": emu.base_url,
            "TELEGRAM_BOT_TOKEN": emu.token, "GRIDBOT_WEBHOOK_SECRET": SECRET,
            "GRIDBOT_WEBHOOK_URL": "https://bot.example.org/telegram",
        }  # fmt: skip
        ports = [free_port(), free_port()]
        workers = [await start_worker(env, port) for port in ports]
        try:
            for port in ports:
                await listening(client, port)
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            sent = []
            for n, text in enumerate(["路灯坏了好几天了", "垃圾没人清，臭死了", "楼顶漏水了"]):
                message = emu.post_message(A01, ZHANG.id, f"{n + 3}号楼{text}")
                sent.append(message["message_id"])
                for port in ports:  # the same update to both workers
                    url = f"http://127.0.0.1:{port}/telegram"
                    reply = await client.post(url, json=as_update(emu, message), headers=headers)
                    assert reply.status_code == 200
            for number in sent:
                await emu.wait_for(lambda s, n=number: s.reply_to_message_id == n, 15)
            await nothing_owed(store)  # a second acknowledgement, were one owed, is sent by now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(w.wait(), 30) for w in workers]
        acks = [s for s in emu.messages_in(A01) if s.reply_to_message_id in sent]
        assert len(acks) == 3 and await store.issues.count() == 3
        assert codes == [0, 0]
