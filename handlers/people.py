"""Turning Telegram users and messages into the plain values the core takes."""

from __future__ import annotations

import html

from telegram import CallbackQuery, Chat, Message, MessageEntity, User
from telegram.constants import ChatType

from bot.classify.textnorm import clean
from bot.issues.workflow import Actor
from bot.texts import Html

# Telegram's own account: it is the sender of channel posts forwarded into a discussion group.
TELEGRAM_SERVICE = 777000


def from_resident(message: Message) -> bool:
    """Whether a person wrote this: not a bot, not a channel's post forwarded into the group,
    not someone posting as a channel or as the group (they all share one sender)."""
    user = message.from_user
    if user is None or user.is_bot or user.id == TELEGRAM_SERVICE:
        return False
    return message.sender_chat is None and not message.is_automatic_forward


def command_of(message: Message) -> str | None:
    """The command the message starts with (`/done@bot 2` → "done"), if it starts with one."""
    text = message.text or message.caption or ""
    if not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()


def display_name(user: User | None) -> str:
    if user is None:
        return "?"
    return clean(user.full_name) or (f"@{user.username}" if user.username else str(user.id))


def actor(user: User, chat: Chat | None = None) -> Actor:
    """The person acting, and the group they act in (None in private): in a group the
    answer may only be about that group's grid."""
    where = chat.id if chat is not None and chat.type != ChatType.PRIVATE else None
    return Actor(telegram_id=user.id, name=display_name(user), chat_id=where)


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


def mention_of(user: User) -> Html:
    """A link that names the person and makes Telegram show them a selective prompt."""
    return Html(f'<a href="tg://user?id={user.id}">{html.escape(display_name(user))}</a>')
