"""Getting updates, as the Bot API hands them out: getMe, the long poll (getUpdates) and the
webhook (set, removed, and pushed to by handlers.emulator.webhook)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from handlers.emulator import webhook
from handlers.emulator.api import JSON, ApiError
from handlers.emulator.observed import Observed

_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501


class Polling(Observed):
    """Updates handed to the bot by getUpdates or by its webhook, one way at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.webhook: JSON = {"url": "", "secret_token": None}
        self._poll_generation = 0
        self._closing = False
        self._webhook_task: asyncio.Task[None] | None = None

    async def _m_getMe(self, params: JSON) -> JSON:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook["url"]:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older long poll still waiting now ends with a Conflict
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"] or None
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, _CONFLICT)
            batch = self.take_updates(offset, max(1, min(limit, 100)))
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                return batch
            await self._wait_change(remaining)

    async def _m_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = {"url": "", "secret_token": None}
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setWebhook(self, params: JSON) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token"),
                        "max_connections": params.get("max_connections")}  # fmt: skip
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"] or None
        if self.webhook["url"] and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.create_task(self._push_webhook())
        return True

    async def _m_getWebhookInfo(self, params: JSON) -> JSON:
        info = {"url": self.webhook["url"], "has_custom_certificate": False}
        return info | {"pending_update_count": len(self._pending)}

    async def _push_webhook(self) -> None:
        """Deliver pending updates to the webhook (handlers.emulator.webhook)."""
        await webhook.push(self, lambda: self.webhook, lambda: self._closing)
