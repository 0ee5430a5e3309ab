"""The emulator's webhook delivery: pending updates POSTed to the bot's URL, as Telegram does,
over up to `max_connections` connections at once (Telegram's default is 40).

One connection at a time capped a city-scale benchmark at one update per round trip (about
6 a second with two workers behind a proxy on a loaded machine). Updates of one chat still
go one after another, each only once the one before it was answered, so a report and its
edit never overtake each other; different chats are delivered side by side.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from handlers.emulator.updates import UpdateQueue, _Queued

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 40
RETRY_AFTER = 0.5  # seconds before an update the bot refused is offered again


def chat_of(update: dict[str, Any]) -> object:
    """The chat (or, for an inline query, the user) an update is about."""
    body = next((v for k, v in update.items() if k != "update_id" and isinstance(v, dict)), {})
    for holder in (body, body.get("message") or {}):
        if isinstance(holder.get("chat"), dict):
            return holder["chat"].get("id")
    sender = body.get("from") or body.get("user") or {}
    return sender.get("id") if isinstance(sender, dict) else None


Webhook = Callable[[], dict[str, Any]]  # the webhook as set now: url, secret, connections


async def push(world: UpdateQueue, webhook: Webhook, closing: Callable[[], bool]) -> None:
    """Deliver pending updates until the webhook is removed or the emulator closes."""
    limit = int(webhook().get("max_connections") or MAX_CONNECTIONS)
    slots, busy_chats = asyncio.Semaphore(limit), set[object]()
    tasks: set[asyncio.Task[None]] = set()
    connector = aiohttp.TCPConnector(limit=limit)
    async with aiohttp.ClientSession(connector=connector) as session:
        try:
            while webhook()["url"] and not closing():
                await slots.acquire()
                queued = world.next_for_webhook(busy_chats)
                if queued is None:
                    slots.release()
                    await world._wait_change(1.0)
                    continue
                chat = chat_of(queued.update)
                busy_chats.add(chat)
                task = asyncio.create_task(_deliver(world, session, webhook, queued))
                tasks.add(task)
                task.add_done_callback(functools.partial(_freed, chat, tasks, busy_chats, slots))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def _freed(
    chat: object, tasks: set[asyncio.Task[None]], busy_chats: set[object],
    slots: asyncio.Semaphore, task: asyncio.Task[None],
) -> None:  # fmt: skip
    tasks.discard(task)
    busy_chats.discard(chat)
    slots.release()


async def _deliver(
    world: UpdateQueue, session: aiohttp.ClientSession, webhook: Webhook, queued: _Queued
) -> None:
    headers, now = {}, webhook()
    if secret := now["secret_token"]:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    try:
        async with session.post(
            now["url"], json=copy.deepcopy(queued.update), headers=headers
        ) as resp:
            ok = resp.status < 300
    except (aiohttp.ClientError, OSError):
        ok = False
    if ok:
        world.confirm(queued)
        return
    await asyncio.sleep(RETRY_AFTER)  # the chat waits too: its next update stays behind this
    queued.delivered = False
    world._notify()
