"""The world behind the Bot API emulator: people, chats, memberships, messages and files, as
Telegram's server holds them.

Kept apart from the HTTP layer (handlers.emulator.server) so the world can be scripted — residents
post, edit, press buttons, add the bot (handlers.emulator.residents) — with plain method calls.
Only stdlib here.
"""

from __future__ import annotations

import base64
import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

from handlers.emulator.api import JSON
from handlers.emulator.transcript import display_name
from handlers.emulator.updates import UpdateQueue

log = logging.getLogger(__name__)

# getFile downloads need real bytes; a valid image keeps image libraries in the bot happy.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
ADMIN_RIGHTS = [
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories", "can_pin_messages", "can_manage_topics",
]  # fmt: skip
GONE = ("left", "kicked")


def member_json(user: JSON, status: str) -> JSON:
    """A ChatMember object; PTB insists on every field its status requires."""
    member: JSON = {"user": user, "status": status}
    if status == "administrator":
        member |= dict.fromkeys(ADMIN_RIGHTS, True)
        member |= {"can_be_edited": False, "is_anonymous": False, "can_promote_members": False}
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


class EmulatorWorld(UpdateQueue):
    """Users, chats, memberships, messages and pending updates, as Telegram's server holds them."""

    def __init__(
        self, bot_user: JSON, can_read_all_group_messages: bool,
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        super().__init__()
        self.bot_user = bot_user
        # Seconds since the epoch: messages are dated by it (a demo runs on a scripted day).
        self.clock = clock
        self.can_read_all_group_messages = can_read_all_group_messages
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, JSON] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}  # group id → the supergroup it became
        self.files: dict[str, JSON] = {}  # file_id → {file_unique_id, file_path, content}
        self.callback_queries: dict[str, JSON] = {}
        self.transcript: list[str] = []
        self.on_transcript: Callable[[str], None] | None = None
        self._last_message_id: dict[int, int] = {}
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    def note(self, line: str) -> None:
        self.transcript.append(line)
        log.debug("%s", line)
        if self.on_transcript is not None:
            try:
                self.on_transcript(line)
            except Exception:
                log.exception("on_transcript hook failed")

    def chat_label(self, chat_id: int) -> str:
        chat = self.chats[chat_id]
        return chat["title"] if chat["type"] != "private" else f"私聊 {display_name(chat)}"

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    def _user(self, user_id: int) -> JSON:
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}: call add_user first")
        return self.users[user_id]

    def _message(self, chat_id: int, message_id: int) -> JSON:
        if (chat_id, message_id) not in self.messages:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        return self.messages[(chat_id, message_id)]

    # -- the world -------------------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "zh-hans",
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        user |= {"last_name": last_name} if last_name else {}
        user |= {"username": username} if username else {}
        user["language_code"] = language_code
        self.users[user_id] = user
        private: JSON = {k: user[k] for k in ("first_name", "last_name", "username") if k in user}
        self.chats[user_id] = {"id": user_id, "type": "private", **private}
        return user

    def add_group(
        self, chat_id: int, title: str, *, is_forum: bool = False, bot_status: str = "member"
    ) -> JSON:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative (supergroups look like -100…)")
        chat: JSON = {"id": chat_id, "type": "supergroup", "title": title}
        if is_forum:
            chat["is_forum"] = True
        self.chats[chat_id] = chat
        self.member_status[(chat_id, self.bot_id)] = bot_status
        return chat

    def migrate_group(self, old: int, new: int, by_user_id: int, *, notify: bool = True) -> None:
        """A group becomes a supergroup with a new id, as Telegram does it: sends to the old
        id are refused with migrate_to_chat_id, and (with `notify`) the two service messages
        (migrate_to_chat_id in the old chat, migrate_from_chat_id in the new) come as updates."""
        user, chat = self._user(by_user_id), self.chats[old]
        self.chats[new] = {"id": new, "type": "supergroup", "title": chat["title"]}
        for (chat_id, user_id), status in list(self.member_status.items()):
            if chat_id == old:
                self.member_status[(new, user_id)] = status
        self.migrated[old] = new
        self.note(f"[{chat['title']}] 群升级为超级群：{old} → {new}")
        if notify:
            self.queue_update("message", self.new_message(old, user, migrate_to_chat_id=new))
            self.queue_update("message", self.new_message(new, user, migrate_from_chat_id=old))

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Make a user 'creator', 'administrator', 'member', 'left' or 'kicked' in a group."""
        if user_id != self.bot_id:
            self._user(user_id)
        self.member_status[(chat_id, user_id)] = status

    def start_private(self, user_id: int) -> None:
        self._user(user_id)
        self.started.add(user_id)
        self.blocked.discard(user_id)

    def block_bot(self, user_id: int) -> None:
        self._user(user_id)
        self.blocked.add(user_id)

    def chat_member(self, chat_id: int, user_id: int) -> JSON:
        user = self.bot_user if user_id == self.bot_id else self._user(user_id)
        default = "member" if chat_id == user_id else "left"
        return member_json(user, self.member_status.get((chat_id, user_id), default))

    def new_message(
        self,
        chat_id: int,
        sender: JSON,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
        **content: Any,
    ) -> JSON:
        """Store a message with the next id of its chat, embedding what it replies to."""
        chat = self.chats[chat_id]
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        msg: JSON = {"message_id": message_id, "from": sender, "chat": dict(chat)}
        msg |= {"date": int(self.clock()), **content}
        replied = self.messages.get((chat_id, reply_to)) if reply_to is not None else None
        if replied is not None:
            msg["reply_to_message"] = {k: v for k, v in replied.items() if k != "reply_to_message"}
            thread_id = thread_id or replied.get("message_thread_id")
        if thread_id is not None:
            msg["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                msg["is_topic_message"] = True
                # In a forum, Telegram makes every topic message a reply to the topic's start.
                topic = self.messages.get((chat_id, thread_id))
                if replied is None and topic is not None:
                    msg["reply_to_message"] = dict(topic)
        self.messages[(chat_id, message_id)] = msg
        return msg

    def _replied_marker(self, msg: JSON) -> str:
        replied = msg.get("reply_to_message")
        if not replied or "forum_topic_created" in replied:
            return ""
        return f" (↩ {display_name(replied['from'])})"

    def _add_file(self, content: bytes, folder: str, ext: str) -> JSON:
        n = next(self._file_ids)
        file_id = f"AgAC{n:06d}{folder[:3]}-emu"
        unique_id = f"AQAD{n:06d}"
        path = f"{folder}/file_{n}.{ext}"
        self.files[file_id] = {"file_unique_id": unique_id, "file_path": path, "content": content}
        return {"file_id": file_id, "file_unique_id": unique_id, "file_size": len(content)}

    def make_photo(self, content: bytes) -> list[JSON]:
        sizes = ((90, 68), (320, 240), (1280, 960))
        files = [self._add_file(content, "photos", "jpg") for _ in sizes]
        return [f | {"width": w, "height": h} for f, (w, h) in zip(files, sizes, strict=True)]
