"""Chats the bot has seen, and updates it has already taken in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from storage.database import Database
from storage.schema import chats, updates
from storage.upsert import insert_ignore


class ChatStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def hint_once(self, chat_id: int, title: str, now: datetime) -> bool:
        """True the first time an unbound chat is seen: it gets one /bind hint, no more."""
        async with self.db.transaction() as conn:
            await insert_ignore(conn, chats, {"chat_id": chat_id, "title": title})
            result = await conn.execute(
                update(chats)
                .where(chats.c.chat_id == chat_id, chats.c.hinted_at.is_(None))
                .values(hinted_at=now, title=title)
            )
        return bool(result.rowcount)

    async def greet_once(self, chat_id: int, title: str, now: datetime) -> bool:
        """True the first time the bot is added to a chat, so re-adds do not greet again."""
        async with self.db.transaction() as conn:
            await insert_ignore(conn, chats, {"chat_id": chat_id, "title": title})
            result = await conn.execute(
                update(chats)
                .where(chats.c.chat_id == chat_id, chats.c.greeted_at.is_(None))
                .values(greeted_at=now, title=title)
            )
        return bool(result.rowcount)

    async def first_delivery(self, update_id: int, now: datetime) -> bool:
        """True unless this update id was taken in before (Telegram re-delivers)."""
        async with self.db.transaction() as conn:
            return await insert_ignore(conn, updates, {"update_id": update_id, "received_at": now})
