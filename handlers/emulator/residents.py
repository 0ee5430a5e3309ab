"""What residents do in the emulator's world: post, edit, press a button, vote, open a topic, add
the bot; each queues the update Telegram would send the bot, if Telegram would send it."""

from __future__ import annotations

from handlers.emulator.api import JSON
from handlers.emulator.entities import detect_entities
from handlers.emulator.transcript import STATUS_NAMES, buttons_of, describe, display_name
from handlers.emulator.world import GONE, TINY_PNG, EmulatorWorld, member_json


class Residents(EmulatorWorld):
    """The world, scripted: residents act in it with plain method calls."""

    def _bot_sees(self, msg: JSON) -> bool:
        """Whether Telegram delivers this message to the bot (membership, privacy mode)."""
        chat = msg["chat"]
        if chat["type"] == "private":
            return True
        status = self.member_status.get((chat["id"], self.bot_id), "left")
        if status in GONE:
            return False
        if self.can_read_all_group_messages or status in ("administrator", "creator"):
            return True
        if "text" not in msg and "caption" not in msg and "sticker" not in msg:
            return "photo" not in msg and "location" not in msg  # service messages
        replied = msg.get("reply_to_message") or {}
        if replied.get("from", {}).get("id") == self.bot_id:
            return True
        text = msg.get("text") or msg.get("caption") or ""
        me = "@" + self.bot_user["username"].lower()
        for e in msg.get("entities") or msg.get("caption_entities") or []:
            word = text.encode("utf-16-le")[2 * e["offset"] : 2 * (e["offset"] + e["length"])]
            word = word.decode("utf-16-le").lower()
            if e["type"] == "mention" and word == me:
                return True
            if e["type"] == "bot_command" and ("@" not in word or word.endswith(me)):
                return True
        return False

    def post_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
        photo: bool | bytes = False,
        caption: str | None = None,
        location: tuple[float, float] | None = None,
        sticker: str | None = None,
    ) -> JSON:
        user = self._user(user_id)
        if chat_id not in self.chats:
            raise ValueError(f"unknown chat {chat_id}: call add_group first")
        if chat_id == user_id:
            self.start_private(user_id)  # writing to the bot is how a user starts it
        elif self.chats[chat_id]["type"] == "private":
            raise ValueError(f"chat {chat_id} is another user's private chat with the bot")
        else:
            self.member_status.setdefault((chat_id, user_id), "member")
        content: JSON = {}
        if text is not None:
            content |= {"text": text, "entities": detect_entities(text)}
        if photo:
            content["photo"] = self.make_photo(photo if isinstance(photo, bytes) else TINY_PNG)
            if caption:
                content |= {"caption": caption, "caption_entities": detect_entities(caption)}
        if location is not None:
            content["location"] = {"latitude": location[0], "longitude": location[1]}
        if sticker is not None:
            content["sticker"] = self._add_file(TINY_PNG, "stickers", "webp") | {
                "width": 512, "height": 512, "is_animated": False, "is_video": False,
                "type": "regular", "emoji": sticker,
            }  # fmt: skip
        if not content:
            raise ValueError("post_message needs text, photo, location or sticker")
        content = {k: v for k, v in content.items() if v != []}
        msg = self.new_message(chat_id, user, thread_id=thread_id, reply_to=reply_to, **content)
        label, name = self.chat_label(chat_id), display_name(user)
        self.note(f"[{label}] {name}{self._replied_marker(msg)}: {describe(msg)}")
        if self._bot_sees(msg):
            self.queue_update("message", msg)
        return msg

    def edit_message(self, chat_id: int, message_id: int, text: str) -> JSON:
        msg = self._message(chat_id, message_id)
        if msg["from"]["id"] == self.bot_id:
            raise ValueError("edit_message edits a resident's message; the bot edits via the API")
        key = "caption" if "caption" in msg or "photo" in msg else "text"
        msg[key] = text
        msg[f"{key}_entities" if key == "caption" else "entities"] = detect_entities(text)
        msg["edit_date"] = int(self.clock())
        self.note(f"[{self.chat_label(chat_id)}] {display_name(msg['from'])} ✏️ 改为: {text}")
        if self._bot_sees(msg):
            self.queue_update("edited_message", msg)
        return msg

    def press_button(
        self, chat_id: int, message_id: int, user_id: int, data: str, *, check: bool = True
    ) -> str:
        """A user presses an inline button; `check=False` lets tests send forged data."""
        msg, user = self._message(chat_id, message_id), self._user(user_id)
        if msg["from"]["id"] != self.bot_id:
            raise ValueError("buttons exist only on messages the bot sent")
        pressed = [b for b in buttons_of(msg) if b.get("callback_data") == data]
        if check and not pressed:
            have = [b.get("callback_data") for b in buttons_of(msg)]
            raise ValueError(f"message {message_id} has no button {data!r}; it has {have}")
        query_id = str(4_000_000_000_000_000 + next(self._query_ids))
        query: JSON = {"id": query_id, "from": user, "message": msg, "data": data}
        query["chat_instance"] = str(abs(chat_id) * 31 + self.bot_id)
        self.callback_queries[query_id] = {"query": query, "answered": False}
        label = pressed[0].get("text", data) if pressed else data
        self.note(f"[{self.chat_label(chat_id)}] {display_name(user)} 按下 «{label}»")
        self.queue_update("callback_query", query)
        return query_id

    def vote_poll(
        self, chat_id: int, message_id: int, user_id: int, option_ids: list[int]
    ) -> JSON:
        """A user votes in a poll the bot sent: poll_answer update (or poll, if anonymous)."""
        poll, user = self._message(chat_id, message_id)["poll"], self._user(user_id)
        for i in option_ids:
            poll["options"][i]["voter_count"] += 1
        poll["total_voter_count"] += 1
        chosen = "、".join(poll["options"][i]["text"] for i in option_ids)
        self.note(f"[{self.chat_label(chat_id)}] {display_name(user)} 投票: {chosen}")
        if poll["is_anonymous"]:
            return self.queue_update("poll", poll)
        answer = {"poll_id": poll["id"], "user": user, "option_ids": option_ids}
        answer["option_persistent_ids"] = [poll["options"][i]["persistent_id"] for i in option_ids]
        return self.queue_update("poll_answer", answer)

    def add_topic(self, chat_id: int, name: str, by_user_id: int) -> int:
        """Open a forum topic; returns its message_thread_id."""
        user = self._user(by_user_id)
        created = {"name": name, "icon_color": 7322096}
        msg = self.new_message(chat_id, user, forum_topic_created=created)
        msg |= {"message_thread_id": msg["message_id"], "is_topic_message": True}
        self.note(f"[{self.chat_label(chat_id)}] {display_name(user)}: {describe(msg)}")
        if self._bot_sees(msg):
            self.queue_update("message", msg)
        return int(msg["message_id"])

    def add_bot_to_group(self, chat_id: int, by_user_id: int, *, status: str = "member") -> JSON:
        """The bot's membership changes: a my_chat_member update (returned), and when it
        joins, the "X added gridbot" service message as Telegram sends it."""
        user = self._user(by_user_id)
        old = self.member_status.get((chat_id, self.bot_id), "left")
        old = "left" if old == status else old
        self.member_status[(chat_id, self.bot_id)] = status
        change = {"chat": self.chats[chat_id], "from": user, "date": int(self.clock())}
        change["old_chat_member"] = member_json(self.bot_user, old)
        change["new_chat_member"] = member_json(self.bot_user, status)
        update = self.queue_update("my_chat_member", change)
        shown = STATUS_NAMES.get(status, status)
        self.note(f"[{self.chat_label(chat_id)}] {display_name(user)} 把机器人设为{shown}")
        if old in GONE and status not in GONE:
            joined = self.new_message(chat_id, user, new_chat_members=[self.bot_user])
            self.queue_update("message", joined)
        return update
