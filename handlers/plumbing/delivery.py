"""The outbox sender: delivers what the bot owes, retrying what Telegram refused for now."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot

from bot.grids.binding import move
from bot.services import Services
from handlers.plumbing.claiming import drawn_only, first_chats, held_queues
from handlers.plumbing.drawing import ChartDrawer
from handlers.plumbing.lanes import JOINS, Lane
from handlers.plumbing.limiter import limits_of
from handlers.plumbing.limits import SendLimits
from handlers.plumbing.pacing import paced
from handlers.plumbing.sending import RowSender
from handlers.plumbing.stopping import cancel
from storage.records import OutgoingMessage

logger = logging.getLogger(__name__)

IDLE_WAIT = 5.0  # seconds between checks when nothing wakes the sender
# A chat whose own window is spent for longer than this sits out the pass; the others go on.
CHAT_WAIT = 1.5
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
        self._resume_in: float | None = None  # when a chat that sat out a pass may go on
        self._left_due = False  # the last pass left due rows unclaimed: look again at once
        self._task: asyncio.Task[None] | None = None
        self._drawing: asyncio.Task[None] | None = None  # draws the owed charts
        self._drawer = ChartDrawer(services)
        self._charts_waiting = False  # ... and left them (and what follows in their chat)
        self._sending = RowSender(bot, services, self.limits)
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
        due, undrawn = drawn_only(found)
        due = self._joining(due)
        self._charts_waiting = undrawn
        if undrawn:
            self._drawer.wanted.set()
        # More due than a second's budget: every chat bundles what it can, not only the full.
        crowded = len(due) > self.limits.free_overall()
        chosen = first_chats(due, room, spare=self.limits.ahead())
        # One claim for the whole pass; what a chat does not get to, it gives back.
        held = await outbox.claim_many([m.id for m in chosen if m.id is not None], now)
        queues, not_mine = held_queues(chosen, held)
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
            batch = self._sending.batch(queue, crowded)
            granted = await self._turn(lane, batch)
            if granted is None:
                continue  # a more urgent row joined at the head: it takes this turn
            lane.sending = len(batch)
            try:
                delivered = await self._sending.deliver(batch, granted)
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
