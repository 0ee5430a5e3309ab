"""The outbox sender: delivers what the bot owes, retrying what Telegram refused for now."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.grids.binding import move
from bot.intake import coalesce
from bot.services import Services
from handlers.plumbing.claiming import first_chats
from handlers.plumbing.drawing import ChartDrawer
from handlers.plumbing.lanes import JOINS, Lane
from handlers.plumbing.limiter import limits_of, reserved, seconds_of
from handlers.plumbing.limits import SendLimits
from handlers.plumbing.pacing import paced
from handlers.plumbing.posting import post
from handlers.plumbing.stopping import cancel
from handlers.plumbing.transport import SendUncertain
from storage.records import OutgoingMessage

logger = logging.getLogger(__name__)

IDLE_WAIT = 5.0  # seconds between checks when nothing wakes the sender
MAX_BACKOFF = 300.0
# A chat whose own window is spent for longer than this sits out the pass; the others go on.
CHAT_WAIT = 1.5
# Sent one by one while the chat keeps this many sends in hand; bundled beyond that.
SPARE = 2
# Bot API calls in flight at once. Chats are served side by side, but each extra open
# connection makes every request dearer (httpcore looks over its whole pool each time):
# 200 chats at once cost 3x the CPU per send of 16, and 16 calls of ~100 ms each already
# carry more than Telegram's 30 messages a second.
IN_FLIGHT = 16
REFILLS = 6  # passes a second, at most, that lanes ending start in a wave
DUE_PAGE = 200  # due rows a pass reads


class OutboxSender:
    """One task per bot process; chats are served in parallel, each chat in order, within
    Telegram's limits (handlers.plumbing.limits); what a chat's budget cannot take one by one goes
    bundled (bot.intake.coalesce)."""

    def __init__(self, bot: Bot, services: Services, limits: SendLimits | None = None) -> None:
        self.bot = bot
        self.services = services
        settings = services.settings
        self.limits = limits or limits_of(
            bot, settings.send_limits, settings.senders, settings.sender_index is not None
        )
        # This process's chats, when each has its own (GRIDBOT_SENDER_INDEX).
        self._part = None if settings.sender_index is None else (
            settings.senders, settings.sender_index)  # fmt: skip
        self._alone: set[int] = set()  # rows whose bundle Telegram refused: sent singly
        self._resume_in: float | None = None  # when a chat that sat out a pass may go on
        self._left_due = False  # the last pass left due rows unclaimed: look again at once
        self._task: asyncio.Task[None] | None = None
        self._drawing: asyncio.Task[None] | None = None  # draws the owed charts
        self._drawer = ChartDrawer(services)
        self._charts_waiting = False  # ... and left them (and what follows in their chat)
        self._in_flight = asyncio.Semaphore(IN_FLIGHT)
        self._serving: dict[int, asyncio.Task[None]] = {}  # chats being sent to, by chat id
        self._lanes: dict[int, Lane] = {}  # what each still has to send
        self._freed = asyncio.Event()  # a chat's service ended: its newer rows may go now
        # Lanes' ends wake a pass once this much room is free: in a wave every send ended a
        # lane, and a pass a send (a page of due rows read to claim one) took the database
        # from the chart drawer. The rows in service last about a second meanwhile.
        self._refill = max(1, self.limits.ahead() // REFILLS)

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._run(), name="outbox-sender")
        self._drawing = loop.create_task(self._drawer.run(), name="outbox-charts")

    async def stop(self) -> None:
        await cancel(self._task, self._drawing, *self._serving.values())
        self._task = self._drawing = None

    async def _run(self) -> None:
        """Passes go on while chats are being served: a pass starts the chats that have
        something due and are not being served yet. Waiting for a whole pass to end (its
        slowest private chat at one message a second) left the overall budget idle while
        new acknowledgements waited for the next pass."""
        ready = self.services.outbox_ready
        try:
            self.services.moved_chats.update(await self.services.store.chat_moves.moves())
        except Exception:  # a database hiccup: a moved group answers ChatMigrated instead
            logger.exception("moved groups not loaded")
        while True:
            ready.clear()
            self._freed.clear()
            try:
                started = await self._start_due()
            except Exception:  # the sender must outlive a database hiccup
                logger.exception("outbox pass failed")
                started = 0
            if started == 0:
                await self._until_woken(await self._idle_time())
            elif not self._left_due:
                # Woken again by what changes what a pass would find: rows owed, or chats'
                # services ending (_freed). Passing again at once after a pass that claimed
                # all that was due found nothing new but doubled the queries of a wave.
                await self._until_woken(self._resume_wait())

    async def _until_woken(self, idle: float) -> None:
        """Until something is owed, a chat's service ends, or `idle` seconds pass."""
        waiters = [
            asyncio.ensure_future(e.wait()) for e in (self.services.outbox_ready, self._freed)
        ]
        try:
            await asyncio.wait(waiters, timeout=idle, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    def _resume_wait(self) -> float:
        """At most IDLE_WAIT, less when a chat that sat out a pass may go on sooner (0.0 is
        a time too: at once, not IDLE_WAIT)."""
        return IDLE_WAIT if self._resume_in is None else min(IDLE_WAIT, self._resume_in)

    async def _idle_time(self) -> float:
        """Sleep until the next retry is due or a waiting chat may send, at most IDLE_WAIT."""
        next_at = await self.services.store.outbox.next_due_at()
        wait = self._resume_wait()
        if next_at is not None:
            due_in = (next_at - self.services.clock()).total_seconds()
            # A row due already but not sent waits for its chat's window (_resume_in), or
            # for its chat's service to end (then _freed wakes the loop).
            if due_in > 0 or (
                self._resume_in is None and not self._serving and not self._charts_waiting
            ):
                wait = min(wait, due_in)
        return max(0.05, wait)

    async def deliver_due(self, after_id: int = 0) -> int:
        """Send what is due now (added after `after_id`) and wait until it is sent; returns
        how many rows were tried."""
        await self._drawer.draw(after_id)
        tried = 0
        while started := await self._start_due(after_id):  # a second's worth a round
            tried += started
            await asyncio.gather(*self._serving.values(), return_exceptions=True)
        return tried

    async def _start_due(self, after_id: int = 0) -> int:
        """Claim what is due and start serving each chat not served yet; a chat being served
        takes its urgent rows into its lane (handlers.plumbing.lanes). Returns how many rows
        were claimed."""
        # A chat that may not send yet is not claimed: what it is owed meanwhile joins it,
        # and goes in one bundle when its window opens.
        waiting = self.limits.waiting_chats(0.0)
        self._resume_in = min(waiting.values(), default=None)
        room = self.limits.ahead() - self._in_service()
        outbox, now = self.services.store.outbox, self.services.clock()
        # The store's whole page, though a pass claims less: with fewer rows a chat showed only
        # its first one or two acknowledgements of a burst, and bundled only those.
        found = await outbox.due(
            now, DUE_PAGE, after_id=after_id, skip_chats=waiting, part=self._part
        )
        due, undrawn = _drawn_only(found)
        due = self._joining(due)
        self._charts_waiting = undrawn
        if undrawn:
            self._drawer.wanted.set()
        # More due than a second's budget: every chat bundles what it can, not only the full.
        crowded = len(due) > self.limits.free_overall()
        chosen = first_chats(due, room, spare=self.limits.ahead())
        # One claim for the whole pass; what a chat does not get to, it gives back.
        held = await outbox.claim_many([m.id for m in chosen if m.id is not None], now)
        queues, not_mine = _held_queues(chosen, held)
        loop = asyncio.get_running_loop()
        for queue in queues:
            chat = queue[0].chat_id
            lane = self._lanes.get(chat)
            if lane is not None and lane.join(queue):
                continue
            if lane is not None:  # its service is ending: these are due again at once
                not_mine.extend(row.id for row in queue if row.id is not None)
                continue
            self._lanes[chat] = lane = Lane(queue)
            self._serving[chat] = loop.create_task(self._serve_chat(chat, lane, crowded))
        self._left_due = len(found) >= DUE_PAGE or len(held) < len(due) or bool(not_mine)
        await outbox.release(not_mine, now)
        return sum(len(queue) for queue in queues)

    def _joining(self, found: list[OutgoingMessage]) -> list[OutgoingMessage]:
        """The due rows a pass may take: in a chat being served, only those urgent enough
        to join its lane (its next digest post waits for its service to end)."""
        return [m for m in found if m.chat_id not in self._lanes or m.priority <= JOINS]

    def _in_service(self) -> int:
        """Rows claimed by chats being served and not sent yet."""
        return sum(len(lane) for lane in self._lanes.values())

    async def _serve_chat(self, chat: int, lane: Lane, crowded: bool) -> None:
        """One chat's claimed rows in order; those it did not get to are due again at once."""
        try:
            try:
                await self._deliver_chat(lane, crowded)
            finally:
                left = lane.close()  # at once: a row joining after this would be stranded
            untried = [row.id for row in left if row.id is not None]
            await self.services.store.outbox.release(untried, self.services.clock())
        except Exception:  # its claim runs out and the rows fall due again: late, not lost
            logger.exception("outbox: serving chat %s failed", chat)
        finally:
            self._serving.pop(chat, None)
            self._lanes.pop(chat, None)
            if not self._lanes or self.limits.ahead() - self._in_service() >= self._refill:
                self._freed.set()

    async def _deliver_chat(self, lane: Lane, crowded: bool) -> None:
        """Send one chat's rows in order; what is left in the lane waits for a later pass."""
        queue = lane.rows
        moved_to = self.services.moved_chats.get(queue[0].chat_id) if queue else None
        if moved_to is not None:
            # Owed to a group that became a supergroup: the rows now name the new id, and
            # go out from there on the next pass.
            await move(self.services, queue[0].chat_id, moved_to)
            return
        while queue:
            if (wait := self.limits.chat_delay(queue[0].chat_id)) > CHAT_WAIT:
                self._resume_in = wait if self._resume_in is None else min(wait, self._resume_in)
                break  # a later pass, when the chat's window has room again
            batch = self._batch(queue, crowded)
            granted = await self._turn(lane, batch)
            if granted is None:
                continue  # a more urgent row joined at the head: it takes this turn
            lane.sending = len(batch)
            try:
                delivered = await self._deliver(batch, granted)
            finally:
                del queue[: len(batch)]  # only now: until it is sent it counts as in service
                lane.sending = 0
            if not delivered:
                break  # keep this chat's order: the rest waits for the retry

    async def _turn(self, lane: Lane, batch: list[OutgoingMessage]) -> float | None:
        """Wait for the limits to let the batch go; None if a more urgent row became the
        lane's head meanwhile (its turn was given up)."""
        chat, priority = batch[0].chat_id, min(row.priority for row in batch)
        if (granted := self.limits.grant_now(chat, priority, paced(batch))) is not None:
            return granted
        lane.overtaken.clear()
        turn = asyncio.ensure_future(self.limits.acquire(chat, priority, paced(batch)))
        overtaken = asyncio.ensure_future(lane.overtaken.wait())
        try:
            await asyncio.wait({turn, overtaken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            overtaken.cancel()
            if not turn.done():
                turn.cancel()  # a grant that came meanwhile is given back (acquire)
        with contextlib.suppress(asyncio.CancelledError):
            granted = await turn
            if all(a is b for a, b in zip(lane.rows, batch, strict=False)):
                return granted
            # Granted as a row joined ahead of the batch: the turn is the newcomer's.
            self.limits.unused(chat, granted)
        return None

    def _batch(self, queue: list[OutgoingMessage], crowded: bool) -> list[OutgoingMessage]:
        """The next message, or a run of them to bundle when the budget cannot take each."""
        run = coalesce.run_at_head(queue, self._alone)
        if len(run) > 1 and (crowded or self.limits.free(run[0].chat_id) < len(run) + SPARE):
            return run
        return run[:1]

    async def _deliver(self, rows: list[OutgoingMessage], granted: float) -> bool:
        """Send one claimed row, or several as one message, in the turn `granted` by the
        limits; False when the chat must wait."""
        try:
            message = rows[0] if len(rows) == 1 else await coalesce.bundle(self.services, rows)
        except BaseException:
            self.limits.unused(rows[0].chat_id, granted)
            raise
        try:
            # Counted just now (reserved): PTB's limiter must not count it again.
            async with self._in_flight:
                with reserved():
                    try:
                        sent = await post(self.bot, self.services, message)
                    finally:
                        self.limits.sent(message.chat_id, granted)
        except RetryAfter as exc:
            seconds = seconds_of(exc.retry_after)
            await self._retry(rows, seconds, f"429 retry after {seconds:g}s")
            return False
        except ChatMigrated as exc:
            # The group became a supergroup: everything owed to it follows the new id.
            await move(self.services, rows[0].chat_id, exc.new_chat_id)
            await self._retry(rows, 0, str(exc))
            return False
        except Forbidden as exc:
            for row in rows:
                await self._refused(row, str(exc))
            return True
        except BadRequest as exc:
            return await self._bad_request(rows, exc)
        except SendUncertain as exc:
            # Out, and unanswered for SEND_READ seconds: Telegram may have posted it, and the
            # Bot API cannot say (no idempotency key, no reading the chat back). Sent again,
            # so that a step is never lost; the one way it can be seen twice, hence a warning.
            logger.warning("outbox %s: %s; sending again (it may appear twice)",
                           [row.id for row in rows], exc)  # fmt: skip
            await self._retry(rows, min(MAX_BACKOFF, 2.0 ** min(rows[0].attempts, 8)),
                              f"uncertain: {exc}")  # fmt: skip
            return False
        except Exception as exc:  # network, 5xx, or a bug: retried later, never lost
            if not isinstance(exc, TelegramError):
                logger.exception("outbox %s not sent", [row.id for row in rows])
            await self._retry(rows, min(MAX_BACKOFF, 2.0 ** min(rows[0].attempts, 8)), str(exc))
            return False
        outbox = self.services.store.outbox
        await outbox.mark_all_sent([row.id for row in rows if row.id], sent, self.services.clock())
        if message.chat_id > 0:
            await self._reached(message.chat_id)
        return True

    async def _reached(self, telegram_id: int) -> None:
        """A private message went through: the member can be written to (whoever they are,
        they started the bot at some time), so /stats stops listing them as unreachable."""
        members = self.services.store.members
        member = await members.by_telegram_id(telegram_id)  # the cached roster: no query
        if member is not None and not member.reachable:
            await members.set_reachable(telegram_id, True)

    async def _bad_request(self, rows: list[OutgoingMessage], exc: BadRequest) -> bool:
        """Telegram refused the message as it is: a single row fails, a bundle goes singly."""
        if len(rows) > 1:
            logger.warning("bundle of %s refused (%s); sending them one by one", len(rows), exc)
            self._alone.update(row.id for row in rows if row.id is not None)
            await self._retry(rows, 0, str(exc))
            return False
        logger.warning("outbox %s refused by Telegram: %s", rows[0].id, exc)
        await self.services.store.outbox.fail(rows[0].id or 0, str(exc))
        return True

    async def _retry(self, rows: list[OutgoingMessage], seconds: float, error: str) -> None:
        """Again after `seconds`; the chat pauses as long, so nothing overtakes these rows."""
        self.limits.pause(rows[0].chat_id, seconds)
        when = self.services.clock() + timedelta(seconds=seconds)
        for row in rows:
            if row.id is not None:
                await self.services.store.outbox.retry_later(row.id, when, error)

    async def _refused(self, message: OutgoingMessage, error: str) -> None:
        """403: the person never started the bot or blocked it; fall back to the group."""
        assert message.id is not None
        store = self.services.store
        if message.chat_id > 0:
            await store.members.set_reachable(message.chat_id, False)
        if message.fallback_chat_id is not None:
            await store.outbox.use_fallback(message, error)
            self.services.outbox_ready.set()
        else:
            await store.outbox.fail(message.id, error)


def _drawn_only(due: list[OutgoingMessage]) -> tuple[list[OutgoingMessage], bool]:
    """The due rows up to each chat's first chart not drawn yet (nothing after it may
    overtake it), and whether there was such a chart."""
    blocked: set[int] = set()
    ready = []
    for message in due:
        if message.media_kind == "chart":
            blocked.add(message.chat_id)
        elif message.chat_id not in blocked:
            ready.append(message)
    return ready, bool(blocked)


def _held_queues(
    due: list[OutgoingMessage], held: set[int]
) -> tuple[list[list[OutgoingMessage]], list[int]]:
    """Each chat's rows that this sender holds, up to the first it does not: another worker
    sends that one, and nothing after it may overtake it. Also the held rows left out."""
    by_chat: dict[int, list[OutgoingMessage]] = defaultdict(list)
    blocked: set[int] = set()
    not_mine: list[int] = []
    for message in due:
        chat = message.chat_id
        if message.id in held and chat not in blocked:
            by_chat[chat].append(message)
        elif message.id in held and message.id is not None:
            not_mine.append(message.id)
        else:
            blocked.add(chat)
    return list(by_chat.values()), not_mine
