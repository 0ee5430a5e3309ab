"""One turn's send for the outbox sender (handlers.plumbing.delivery): a chat's next row,
or a run of them bundled (bot.intake.coalesce), posted in the turn the limits granted; and
what Telegram's answer makes of the rows: sent, retried later, sent singly, or refused (the
group's version instead, or failed)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.grids.binding import move
from bot.intake import coalesce
from bot.services import Services
from handlers.plumbing.limiter import reserved, seconds_of
from handlers.plumbing.limits import SendLimits
from handlers.plumbing.posting import post
from handlers.plumbing.transport import SendUncertain
from storage.records import OutgoingMessage

logger = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
# Sent one by one while the chat keeps this many sends in hand; bundled beyond that.
SPARE = 2
# Bot API calls in flight at once. Chats are served side by side, but each extra open
# connection makes every request dearer (httpcore looks over its whole pool each time):
# 200 chats at once cost 3x the CPU per send of 16, and 16 calls of ~100 ms each already
# carry more than Telegram's 30 messages a second.
IN_FLIGHT = 16


class RowSender:
    """Sends what a chat's turn takes and settles its rows by Telegram's answer."""

    def __init__(self, bot: Bot, services: Services, limits: SendLimits) -> None:
        self.bot, self.services, self.limits = bot, services, limits
        self._alone: set[int] = set()  # rows whose bundle Telegram refused: sent singly
        self._in_flight = asyncio.Semaphore(IN_FLIGHT)

    def batch(self, queue: list[OutgoingMessage], crowded: bool) -> list[OutgoingMessage]:
        """The next message, or a run of them to bundle when the budget cannot take each."""
        run = coalesce.run_at_head(queue, self._alone)
        if len(run) > 1 and (crowded or self.limits.free(run[0].chat_id) < len(run) + SPARE):
            return run
        return run[:1]

    async def deliver(self, rows: list[OutgoingMessage], granted: float) -> bool:
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
