"""Direct answers to a command: HTML, in the same topic, masked when others can read them."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError

from bot.chunks import clip, cut
from bot.privacy import mask
from bot.texts import plain

logger = logging.getLogger(__name__)

LIMIT = 4096
ALERT_LIMIT = 200  # Telegram's limit for the text of a button's answer


async def answer(
    message: Message, text: str, *, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Reply to a command; in a group phone and ID numbers are masked, long text is split
    (buttons go under the last part)."""
    if message.chat.type != ChatType.PRIVATE:
        text = mask(text)
    parts = [part for part in split(text) if part.strip()]  # Telegram refuses an empty one
    try:
        for index, part in enumerate(parts):
            last = markup if index == len(parts) - 1 else None
            await message.reply_text(
                part, parse_mode=ParseMode.HTML, do_quote=True, reply_markup=last
            )
    except TelegramError as exc:  # a lost answer to a command is retried by the person
        logger.warning("answer in chat %s failed: %s", message.chat_id, exc)


async def alert(query: CallbackQuery, text: str = "", *, show_alert: bool = False) -> None:
    """Answer a button press; the text is plain there, so the markup is taken out."""
    try:
        await query.answer(clip(plain(text), ALERT_LIMIT) or None, show_alert=show_alert)
    except TelegramError as exc:  # too old (the bot was down) or answered already
        logger.warning("button answer %s failed: %s", query.id, exc)


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Parts within Telegram's limit, cut at line ends and never inside markup; they join
    back to `text` exactly (a part may hold only a line break, which is not sent)."""
    return cut(text, limit)
