"""Direct answers to a command: HTML, in the same topic, masked when others can read them."""

from __future__ import annotations

import logging

from telegram import Message
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError

from bot.privacy import mask

logger = logging.getLogger(__name__)

LIMIT = 4096


async def answer(message: Message, text: str) -> None:
    """Reply to a command; in a group phone and ID numbers are masked, long text is split."""
    if message.chat.type != ChatType.PRIVATE:
        text = mask(text)
    try:
        for part in split(text):
            await message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=True)
    except TelegramError as exc:  # a lost answer to a command is retried by the person
        logger.warning("answer in chat %s failed: %s", message.chat_id, exc)


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Cut at line ends so that no part exceeds Telegram's limit."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            parts.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    parts.append(current)
    return parts
