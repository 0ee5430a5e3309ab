"""What every part of the emulator speaks: Bot API objects as JSON, a call's params, and the
error answer a call can get."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description, optional retry_after."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id


def public(params: JSON) -> JSON:
    """A call's params without the files uploaded with it."""
    return {k: v for k, v in params.items() if k != "_uploads"}
