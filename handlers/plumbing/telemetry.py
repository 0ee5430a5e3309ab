"""One log line per handled update: id, chat, kind, outcome and milliseconds."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update

logger = logging.getLogger(__name__)


@dataclass
class UpdateRecord:
    outcome: str = "ignored"


_current: ContextVar[UpdateRecord | None] = ContextVar("gridbot_update", default=None)


def outcome(text: str) -> None:
    """Say what handling this update came to; the line is written when it is done."""
    record = _current.get()
    if record is not None:
        record.outcome = text


def _kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    for name in ("message", "edited_message", "callback_query", "my_chat_member",
                 "message_reaction", "poll_answer", "channel_post"):  # fmt: skip
        if getattr(update, name) is not None:
            return name
    return "other"


async def timed(update: object, coroutine: Awaitable[Any]) -> None:
    """Run the handlers for one update and log how it went and how long it took."""
    record = UpdateRecord()
    token = _current.set(record)
    started = time.perf_counter()
    try:
        await coroutine
    finally:
        _current.reset(token)
        millis = (time.perf_counter() - started) * 1000
        update_id = update.update_id if isinstance(update, Update) else None
        chat = (
            update.effective_chat.id
            if isinstance(update, Update) and update.effective_chat
            else None
        )
        logger.info(
            "update=%s chat=%s kind=%s outcome=%s ms=%.1f",
            update_id, chat, _kind(update), record.outcome, millis,
        )  # fmt: skip
