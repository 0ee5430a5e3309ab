"""The outbox sender: delivers what the bot owes, retrying what Telegram refused for now."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.charts import render_spec
from bot.services import Services
from storage.records import Buttons, OutgoingMessage
from storage.supporters import COUNT_EDIT

logger = logging.getLogger(__name__)

IDLE_WAIT = 5.0  # seconds between checks when nothing wakes the sender
MAX_BACKOFF = 300.0


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


class OutboxSender:
    """One task per bot process; chats are served in parallel, each chat in order."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self._task: asyncio.Task[None] | None = None
        # matplotlib is not thread-safe: one chart is drawn at a time, off the event loop.
        self._drawing = asyncio.Lock()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        ready = self.services.outbox_ready
        while True:
            ready.clear()
            try:
                sent = await self.deliver_due()
            except Exception:  # the sender must outlive a database hiccup
                logger.exception("outbox pass failed")
                sent = 0
            if sent == 0:
                idle = await self._idle_time()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ready.wait(), idle)

    async def _idle_time(self) -> float:
        """Sleep until the next retry is due, but never longer than IDLE_WAIT."""
        next_at = await self.services.store.outbox.next_due_at()
        if next_at is None:
            return IDLE_WAIT
        return max(0.05, min(IDLE_WAIT, (next_at - self.services.clock()).total_seconds()))

    async def deliver_due(self, after_id: int = 0) -> int:
        """Send every message due now (added after `after_id`); returns how many were tried."""
        due = await self.services.store.outbox.due(self.services.clock(), after_id=after_id)
        by_chat: dict[int, list[OutgoingMessage]] = defaultdict(list)
        for message in due:
            by_chat[message.chat_id].append(message)
        await asyncio.gather(*(self._deliver_chat(queue) for queue in by_chat.values()))
        return len(due)

    async def _deliver_chat(self, queue: list[OutgoingMessage]) -> None:
        for message in queue:
            if not await self._deliver(message):
                return  # keep this chat's order: the rest waits for the retry

    async def _deliver(self, message: OutgoingMessage) -> bool:
        assert message.id is not None
        outbox = self.services.store.outbox
        try:
            sent = await self._send(message)
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
            await self._retry(message, seconds, f"429 retry after {seconds:g}s")
            return False
        except Forbidden as exc:
            await self._refused(message, str(exc))
            return True
        except BadRequest as exc:
            logger.warning("outbox %s refused by Telegram: %s", message.id, exc)
            await outbox.fail(message.id, str(exc))
            return True
        except (NetworkError, TelegramError) as exc:
            backoff = min(MAX_BACKOFF, 2.0 ** min(message.attempts, 8))
            await self._retry(message, backoff, str(exc))
            return False
        await outbox.mark_sent(message.id, sent, self.services.clock())
        return True

    async def _send(self, message: OutgoingMessage) -> int:
        reply = None
        if message.reply_to_message_id is not None:
            reply = ReplyParameters(message.reply_to_message_id, allow_sending_without_reply=True)
        if message.media_kind is not None:
            return await self._send_media(message, reply)
        if message.poll is not None:
            return await self._send_poll(message, reply)
        if message.kind == COUNT_EDIT:
            return await self._edit_acknowledgement(message)
        sent = await self.bot.send_message(
            chat_id=message.chat_id,
            text=message.text,
            parse_mode=ParseMode.HTML,
            message_thread_id=message.thread_id,
            reply_parameters=reply,
            reply_markup=keyboard(message.buttons),
            disable_web_page_preview=True,
        )
        return sent.message_id

    async def _send_poll(self, message: OutgoingMessage, reply: ReplyParameters | None) -> int:
        """A native poll; its answers name only the poll id, so that is kept with the row."""
        assert message.poll is not None and message.id is not None
        sent = await self.bot.send_poll(
            chat_id=message.chat_id, question=message.poll.question,
            options=list(message.poll.options), is_anonymous=message.poll.anonymous,
            message_thread_id=message.thread_id, reply_parameters=reply,
        )  # fmt: skip
        if sent.poll is not None:
            await self.services.store.outbox.record_poll(message.id, sent.poll.id)
        return sent.message_id

    async def _edit_acknowledgement(self, message: OutgoingMessage) -> int:
        """The issue's acknowledgement, rewritten (its supporter count) instead of a new post."""
        assert message.issue_id is not None
        target = await self.services.store.outbox.sent_message_id("ack", message.issue_id)
        if target is None:
            raise BadRequest("acknowledgement not sent: nothing to edit")
        await self.bot.edit_message_text(
            text=message.text, chat_id=message.chat_id, message_id=target,
            parse_mode=ParseMode.HTML, disable_web_page_preview=True,
        )  # fmt: skip
        return target

    async def _send_media(self, message: OutgoingMessage, reply: ReplyParameters | None) -> int:
        """A photo or document with the text as caption; a queued chart is drawn only now."""
        content = message.media or b""
        if message.media_kind == "chart":
            async with self._drawing:
                try:
                    content = await asyncio.to_thread(render_spec, content)
                except Exception as exc:  # a chart that cannot be drawn must not block the chat
                    logger.exception("outbox %s: chart not drawn", message.id)
                    raise BadRequest(f"chart not drawn: {exc}") from exc
        upload = InputFile(content, filename=message.media_name or "file")
        common = dict(
            chat_id=message.chat_id,
            caption=message.text or None,
            parse_mode=ParseMode.HTML,
            message_thread_id=message.thread_id,
            reply_parameters=reply,
            reply_markup=keyboard(message.buttons),
        )
        if message.media_kind == "document":
            sent = await self.bot.send_document(document=upload, **common)  # type: ignore[arg-type]
        else:
            sent = await self.bot.send_photo(photo=upload, **common)  # type: ignore[arg-type]
        return sent.message_id

    async def _retry(self, message: OutgoingMessage, seconds: float, error: str) -> None:
        assert message.id is not None
        when = self.services.clock() + timedelta(seconds=seconds)
        await self.services.store.outbox.retry_later(message.id, when, error)

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
