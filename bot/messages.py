"""Plain values the handlers hand to the core: a message as intake and supporters see it,
stripped of Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Incoming:
    """A group message, stripped of Telegram: what intake needs to know."""

    chat_id: int
    chat_title: str
    message_id: int
    thread_id: int | None
    user_id: int
    user_name: str
    text: str
    explicit: bool
    sent_at: datetime
    photo_file_id: str | None = None
