"""What the emulator keeps of the bot's calls, for the demo and tests to look at, and waiting
for the bot to have done something (or nothing more)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from handlers.emulator.api import JSON
from handlers.emulator.residents import Residents
from handlers.emulator.transcript import buttons_of


@dataclass
class SentMessage:
    method: str
    chat_id: int
    message_id: int
    text: str | None
    reply_to_message_id: int | None
    thread_id: int | None
    reply_markup: JSON | None
    parse_mode: str | None
    entities: list[JSON] | None
    payload: JSON
    at: float = field(default_factory=time.monotonic)


class Observed(Residents):
    """The world with what the bot did in it: sent, called, edited, answered, deleted."""

    def __init__(
        self, bot_user: JSON, can_read_all_group_messages: bool,
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        super().__init__(bot_user, can_read_all_group_messages, clock)
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, JSON]] = []
        self.callback_answers: list[JSON] = []
        self.edits: list[JSON] = []
        self.polls: list[JSON] = []  # {"chat_id", "message_id", "poll"}; poll is live
        self.deleted: list[tuple[int, int]] = []
        self.too_many_requests = 0
        self.refused: list[tuple[str, object, str]] = []  # (method, chat_id, description)
        self._inflight = 0

    def messages_in(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def describe_sent(self) -> str:
        lines = [
            f"  {m.method} chat={m.chat_id} id={m.message_id} reply_to={m.reply_to_message_id}"
            f" thread={m.thread_id}: {(m.text or '')[:120]!r}"
            for m in self.sent
        ]
        return "\n".join(lines) or "  (nothing)"

    async def wait_for(
        self, predicate: Callable[[SentMessage], bool], timeout: float = 5.0
    ) -> SentMessage:
        deadline, seen = time.monotonic() + timeout, 0
        while True:
            for message in self.sent[seen:]:
                seen += 1
                with contextlib.suppress(Exception):  # a predicate tripping on None ≠ match
                    if predicate(message):
                        return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no sent message matched within {timeout}s; sent:\n{self.describe_sent()}"
                )
            await self._wait_change(remaining)

    def idle(self) -> bool:
        """No Bot API call in flight and every update handed out."""
        return not self._inflight and not self.undelivered()

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = self._inflight or self.undelivered()
            if not busy and now - self._last_activity >= quiet:
                return
            if now >= deadline:
                raise AssertionError(
                    f"not idle after {timeout}s: {self._inflight} calls in flight, "
                    f"{self.undelivered()} updates undelivered"
                )
            await asyncio.sleep(min(0.02, quiet))

    def file_bytes(self, file_id: str) -> bytes:
        """The content behind a file_id (e.g. a chart the bot uploaded), for demo and tests."""
        return bytes(self.files[file_id]["content"])

    def buttons(self, chat_id: int, message_id: int) -> list[JSON]:
        """The inline buttons currently on a message (after any edits)."""
        return buttons_of(self.messages.get((chat_id, message_id), {}))
