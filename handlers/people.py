"""Turning Telegram users and messages into the plain values the core takes."""

from __future__ import annotations

from telegram import Message, User

from bot.workflow import Actor


def display_name(user: User | None) -> str:
    if user is None:
        return "?"
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


def actor(user: User) -> Actor:
    return Actor(telegram_id=user.id, name=display_name(user))


def thread_of(message: Message) -> int | None:
    """The forum topic a reply must go to; plain groups have none."""
    return message.message_thread_id if message.is_topic_message else None


def command_args(message: Message) -> str:
    """Everything after /command (and after /command@bot), kept as the user wrote it."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
