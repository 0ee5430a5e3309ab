"""Turning Telegram users and messages into the plain values the core takes."""

from __future__ import annotations

from telegram import CallbackQuery, Message, MessageEntity, User

from bot.classify.textnorm import clean
from bot.issues.workflow import Actor


def display_name(user: User | None) -> str:
    if user is None:
        return "?"
    return clean(user.full_name) or (f"@{user.username}" if user.username else str(user.id))


def actor(user: User) -> Actor:
    return Actor(telegram_id=user.id, name=display_name(user))


def chat_of(query: CallbackQuery) -> int | None:
    """The chat a button was pressed in; None for a message Telegram no longer shows."""
    return query.message.chat.id if query.message is not None else None


def text_of(message: Message) -> str:
    """The message's text or caption, cleaned of what cannot be stored or sent back."""
    return clean(message.text or message.caption or "")


def entities_of(message: Message) -> list[tuple[MessageEntity, str]]:
    """Each entity with the text it covers, cleaned.

    PTB's parse_entities() raises on a lone surrogate (a forged update); encoding with
    surrogatepass keeps Telegram's UTF-16 offsets and never raises."""
    raw = (message.text or message.caption or "").encode("utf-16-le", "surrogatepass")
    found = []
    for entity in message.entities or message.caption_entities:
        piece = raw[2 * entity.offset : 2 * (entity.offset + entity.length)]
        found.append((entity, clean(piece.decode("utf-16-le", "surrogatepass"))))
    return found


def thread_of(message: Message) -> int | None:
    """The forum topic a reply must go to; plain groups have none."""
    return message.message_thread_id if message.is_topic_message else None


def command_args(message: Message) -> str:
    """Everything after /command (and after /command@bot), as the user wrote it, cleaned."""
    text = clean(message.text or message.caption or "")
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
