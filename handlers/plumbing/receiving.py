"""Taking updates in durably: stored before they are confirmed, replayed if the process died.

PTB's own Updater confirms an update (by asking for the next offset) before it has been
handled, so a kill -9 loses it. Here every update is written to the update log first; the
next getUpdates (or the webhook's 200) confirms it only after that; and whatever was
stored but never handled is replayed at start-up and by a periodic sweep.

Each stored update is held by the process that took it: a lease in the update log, renewed
while the update waits behind its chat or runs. When Telegram is slow a chat's queue can
be minutes long; the sweep replays only updates whose holder has stopped renewing (died).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import ClientPayloadError
from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.services import Services
from handlers.context import GridApplication

if TYPE_CHECKING:
    # At run time imported by the webhook server alone: aiohttp's server side (with its
    # websockets) is a tenth of a polling bot's start-up, and polling never serves.
    from aiohttp import web

logger = logging.getLogger(__name__)

# How often the held updates' lease is renewed and free ones are looked for.
SWEEP_EVERY = 20.0
# A holder that has not renewed for this long is taken to be gone (several renewals missed).
LEASE = timedelta(minutes=2)
MAX_BACKOFF = 30.0
# What getUpdates answers (409) while a webhook is set.
WEBHOOK_SET = "webhook is active"
# Updates held here (queued or running) before the poller asks for more. Telegram keeps the
# rest until they are asked for; without a bound a burst of thousands sat in memory as
# parsed Updates at once (a third of the bot's peak memory), handled no sooner.
HELD_MAX = 256


class Receiver:
    """Stores raw updates and feeds the fresh ones to the application."""

    def __init__(self, app: GridApplication, services: Services) -> None:
        self.app = app
        self.services = services
        self.holder = uuid.uuid4().hex  # this process, in the update log's leases
        # Queued or running here: the only updates whose lease this process renews.
        self.held: set[int] = set()
        self._room = asyncio.Event()  # fewer than HELD_MAX held: the poller may ask again
        self._room.set()

    async def take(self, raw: list[dict[str, Any]]) -> int:
        """Store a batch; queue those never seen before. Returns how many were fresh."""
        if len(possible := [u for u in raw if update_id_of(u) is not None]) < len(raw):
            logger.warning("%d updates with an impossible update_id ignored",
                           len(raw) - len(possible))  # fmt: skip
            raw = possible
        # ASCII escapes keep a lone surrogate (which no database encoding accepts) storable.
        batch = [(int(u["update_id"]), json.dumps(u)) for u in raw]
        now = self.services.clock()
        fresh = set(await self.services.store.updates.record(batch, now, self.holder, now + LEASE))
        for item in raw:
            if int(item["update_id"]) in fresh:
                await self._queue(item)
        return len(fresh)

    async def done(self, update: object) -> None:
        if isinstance(update, Update):
            try:
                await self.services.store.updates.done(update.update_id, self.services.clock())
            finally:
                # Only after the mark: let go before it, and a sweep meanwhile found the lease
                # run out and the update not held here, and replayed it (it ran twice). Let go
                # even if the mark fails: the lease then runs out and a sweep replays it.
                self.held.discard(update.update_id)
                if len(self.held) < HELD_MAX:
                    self._room.set()

    async def replay(self, *, all_pending: bool = False) -> int:
        """Take and queue updates stored but never handled whose holder is gone (the process
        died in between); with `all_pending`, every unhandled one (the only poller starting)."""
        now = self.services.clock()
        payloads = await self.services.store.updates.claim_free(
            self.holder, now, now + LEASE, any_lease=all_pending
        )
        # One of this process's own may come back when its lease ran out (a stall longer
        # than the lease): it is queued here already and must not run twice.
        replayed = [raw for raw in map(json.loads, payloads) if raw["update_id"] not in self.held]
        for raw in replayed:
            await self._queue(raw)
        if replayed:
            logger.warning("replayed %d updates stored before a stop", len(replayed))
        return len(replayed)

    async def renew(self) -> int:
        """Keep holding what this process has taken and not yet handled."""
        now = self.services.clock()
        return await self.services.store.updates.renew(self.holder, self.held, now + LEASE)

    async def sweep(self) -> None:
        """Every few seconds: renew what this process holds, then pick up what a dead
        worker left behind (in that order, so a long queue here is never taken as dead)."""
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            try:
                await self.renew()
                await self.replay()
            except Exception:  # the sweep must survive a database hiccup
                logger.exception("update sweep failed")

    async def _queue(self, raw: dict[str, Any]) -> None:
        try:
            update = Update.de_json(raw, self.app.bot)
        except Exception:  # an update PTB cannot read is dropped, not retried forever
            logger.exception("unreadable update %s dropped", raw.get("update_id"))
            await self.services.store.updates.done(int(raw["update_id"]), self.services.clock())
            return
        self.held.add(update.update_id)
        if len(self.held) >= HELD_MAX:
            self._room.clear()
        await self.app.update_queue.put(update)

    async def room(self) -> None:
        """Until fewer than HELD_MAX updates are held here."""
        await self._room.wait()


class Poller:
    """Long polling that confirms a batch only after it is stored."""

    def __init__(
        self,
        receiver: Receiver,
        allowed: list[str],
        timeout: int = 30,
        polled: Callable[[], None] | None = None,
    ) -> None:
        self.receiver = receiver
        self.allowed = allowed
        self.timeout = timeout
        # Called once the first getUpdates is answered (or has failed): what a start defers
        # until the bot is receiving begins then (the classifier's build).
        self._polled = polled

    async def run(self) -> None:
        offset: int | None = None
        failures = 0
        starting = True  # no getUpdates answered yet
        while True:
            await self.receiver.room()
            try:
                batch = await self._fetch(offset, first=self._polled is not None)
                starting = False
                if batch:
                    await self.receiver.take(batch)
                    offset = int(batch[-1]["update_id"]) + 1
                failures = 0
            except InvalidToken:
                logger.critical("the bot token was rejected; no updates will be received")
                return
            except Conflict as exc:  # another process polls, or a webhook is set
                if starting and WEBHOOK_SET in str(exc):
                    starting = False  # once: a webhook set later is someone else's doing
                    await self._delete_webhook()
                    continue
                failures += 1
                logger.error("getUpdates conflict (%s); is another gridbot running?", exc)
                await asyncio.sleep(min(MAX_BACKOFF, 0.5 * 2**failures))
            except (NetworkError, TelegramError, OSError) as exc:
                failures += 1
                delay = min(MAX_BACKOFF, 0.5 * 2**failures)
                logger.warning("getUpdates failed (%s); again in %.1fs", exc, delay)
                await asyncio.sleep(delay)
            except Exception:  # e.g. the database is down: keep offset, Telegram keeps them
                failures += 1
                logger.exception("storing updates failed; they will be fetched again")
                await asyncio.sleep(min(MAX_BACKOFF, 0.5 * 2**failures))

    async def _delete_webhook(self) -> None:
        """The bot ran with --webhook before: polling now, as at start-up it always did. Only
        when Telegram says a webhook is set: a deleteWebhook before every first poll was
        one more round trip of each start (on a real network a tenth of a second or more)."""
        logger.info("a webhook is set; deleting it to poll instead")
        try:
            await self.receiver.app.bot.delete_webhook()
        except (TelegramError, OSError) as exc:  # the next poll's conflict says it again
            logger.warning("deleteWebhook failed (%s)", exc)

    async def _fetch(self, offset: int | None, first: bool = False) -> list[dict[str, Any]]:
        """Raw updates: one PTB cannot parse must not block the batch it came in. The
        `first` poll is a short one: its answer comes at once (with what is waiting), not
        after a long poll's 30 s, and `polled` is called on it."""
        timeout = 0 if first else self.timeout
        kwargs: dict[str, Any] = {"timeout": timeout, "allowed_updates": self.allowed}
        if offset is not None:
            kwargs["offset"] = offset
        # Raw on purpose (handlers.app quiets PTB's hint to use get_updates): get_updates
        # parses, and one unparsable update would then jam every later one.
        try:
            raw = await self.receiver.app.bot.do_api_request(
                "getUpdates", api_kwargs=kwargs, read_timeout=timeout + 10
            )
        finally:
            polled, self._polled = self._polled, None
            if first and polled is not None:
                polled()
        return [item for item in raw if isinstance(item, dict) and "update_id" in item]


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram sends an update in one go; a body trickling in longer than this is not Telegram.
BODY_TIMEOUT = 10.0
# update_id is stored as a signed 64-bit integer; Telegram's are positive and far smaller.
MAX_UPDATE_ID = 2**63 - 1


def update_id_of(raw: object) -> int | None:
    """The update's id, if it is one the update log can hold; None for anything else."""
    if not isinstance(raw, dict):
        return None
    value = raw.get("update_id")
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_UPDATE_ID else None


class WebhookServer:
    """The endpoint Telegram (or the reverse proxy) posts updates to."""

    def __init__(self, receiver: Receiver, secret: str | None, host: str, port: int) -> None:
        self.receiver = receiver
        self.secret = secret
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None

    async def start(self, path: str = "/telegram") -> None:
        from aiohttp import web

        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post(path, self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _authorised(self, request: web.Request) -> bool:
        if self.secret is None:
            return True
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        return hmac.compare_digest(given, self.secret.encode())  # no timing hint to a guesser

    async def handle(self, request: web.Request) -> web.Response:
        from aiohttp import web

        if not self._authorised(request):
            return web.Response(status=403, text="forbidden")
        try:
            body = await asyncio.wait_for(request.read(), BODY_TIMEOUT)
        except TimeoutError:
            logger.warning("webhook body from %s not read within %.0fs", request.remote,
                           BODY_TIMEOUT)  # fmt: skip
            return web.Response(status=408, text="too slow")
        except web.HTTPRequestEntityTooLarge:  # no update is that large
            logger.warning("webhook: oversized body from %s ignored", request.remote)
            return web.Response(text="ignored")
        except (ConnectionError, ClientPayloadError, web.HTTPException) as exc:
            logger.warning("webhook client %s went away: %s", request.remote, exc or type(exc))
            return web.Response(status=400, text="incomplete")
        raw = _parse(body)
        if (update_id := update_id_of(raw)) is None:
            # Answered 200 all the same: anything else makes Telegram send it again forever.
            logger.warning("webhook: not an update, ignored: %r", body[:200])
            return web.Response(text="ignored")
        assert isinstance(raw, dict)
        try:
            await self.receiver.take([raw])
        except Exception:  # not stored: a 500 makes Telegram send it again
            logger.exception("update %s not stored", update_id)
            return web.Response(status=500, text="try again")
        return web.Response(text="ok")


def _parse(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:  # includes bad UTF-8
        return None

