"""PTB's hook on every Bot API call (`LimitedRequests`): a direct answer to a command waits
its turn under the same limits (handlers.plumbing.limits) as the outbox sender's rows.

PTB's own AIORateLimiter stops every chat while one chat waits out a 429; it is not used.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from handlers.plumbing.limits import DIRECT, SendLimits, send_limits

logger = logging.getLogger(__name__)

# Longer than this and a direct answer is given up (logged as a 429 would be) rather than
# holding up the chat's later updates.
DIRECT_WAIT = 10.0
SEND_ENDPOINTS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendPoll", "sendLocation", "sendVenue",
        "sendContact", "sendMediaGroup", "sendVideo", "sendAnimation", "sendAudio",
        "sendVoice", "sendSticker", "sendDice", "copyMessage", "forwardMessage",
    }
)  # fmt: skip
_RESERVED: ContextVar[bool] = ContextVar("send_reserved", default=False)


def seconds_of(retry_after: int | float | timedelta) -> float:
    return (
        retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
    )


@contextlib.contextmanager
def reserved() -> Iterator[None]:
    """Sends inside this block were counted by the caller (the outbox sender)."""
    token = _RESERVED.set(True)
    try:
        yield
    finally:
        _RESERVED.reset(token)


class LimitedRequests(BaseRateLimiter[None]):
    """PTB's hook on every Bot API call: direct answers wait their turn too."""

    def __init__(self, limits: SendLimits | None = None) -> None:
        self.limits = limits or SendLimits()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        counted = endpoint in SEND_ENDPOINTS and isinstance(chat_id, int)
        granted: float | None = None
        if counted and not _RESERVED.get():
            assert isinstance(chat_id, int)
            wait = self.limits.delay(chat_id)
            if wait > DIRECT_WAIT:
                raise RetryAfter(math.ceil(wait))
            granted = await self.limits.acquire(chat_id, DIRECT)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            if isinstance(chat_id, int):
                self.limits.pause(chat_id, seconds_of(exc.retry_after))
            logger.warning("429 in chat %s: retry after %s", chat_id, exc.retry_after)
            raise
        finally:
            if granted is not None and isinstance(chat_id, int):
                self.limits.sent(chat_id, granted)


def limits_of(
    bot: object, enabled: bool = True, senders: int = 1, own_chats: bool = False
) -> SendLimits:
    """The limits a bot's requests already keep, or new ones for a bot without them."""
    limiter = getattr(bot, "rate_limiter", None)
    if isinstance(limiter, LimitedRequests):
        return limiter.limits
    return send_limits(enabled, senders, own_chats)
