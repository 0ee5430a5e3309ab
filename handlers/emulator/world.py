"""The state behind the Bot API emulator: people, chats, messages and the update queue.

Kept apart from the HTTP layer (handlers.emulator.server) so the world can be scripted — residents
post, edit, press buttons, add the bot — with plain method calls. Only stdlib here.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import html
import itertools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.emulator.webhook import chat_of

log = logging.getLogger(__name__)

JSON = dict[str, Any]

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
# Update kinds Telegram sends only when allowed_updates names them.
_OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description, optional retry_after."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id


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


@dataclass
class _Queued:
    update: JSON
    forced: bool = False  # a re-delivery: survives the offset that already confirmed it, once
    delivered: bool = False


def utf16_len(text: str) -> int:
    # Telegram measures entity offsets and text limits in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


# Word boundaries follow tdlib: an entity may not start right after a letter (Chinese included).
_AUTO_ENTITIES = (
    (
        "bot_command",
        re.compile(
            r"(?<![\w/<>])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?"
            r"(?![\w/<>])"
        ),
    ),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,32}")),
    ("hashtag", re.compile(r"(?<![\w#])#[\w·]{1,256}")),
)


def detect_entities(text: str) -> list[JSON]:
    """The entities Telegram adds by itself to a plain text: commands, mentions, hashtags."""
    found = []
    for kind, pattern in _AUTO_ENTITIES:
        for m in pattern.finditer(text):
            if kind == "hashtag" and m.group()[1:].isdigit():
                continue  # "#12" is an issue number, not a hashtag, for Telegram too
            offset = utf16_len(text[: m.start()])
            found.append({"type": kind, "offset": offset, "length": utf16_len(m.group())})
    return sorted(found, key=lambda e: (e["offset"], -e["length"]))


_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_CHAR_REF_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_SPECIAL_RE = re.compile("[<&]")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _cant_parse(text: str, pos: int, why: str) -> ApiError:
    where = len(text[:pos].encode())
    return ApiError(400, f"Bad Request: can't parse entities: {why} at byte offset {where}")


def _char_ref(ref: str) -> str:
    if ref in _NAMED_REFS:
        return _NAMED_REFS[ref]
    return chr(int(ref[2:], 16) if ref[1] == "x" else int(ref[1:]))


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Telegram's parse_mode=HTML, strictly: stray '<', unknown or unbalanced tags fail."""
    out: list[str] = []
    entities: list[JSON] = []
    stack: list[tuple[str, int, str, int]] = []
    pos = u16 = 0
    while pos < len(text):
        if text[pos] == "<":
            m = _TAG_RE.match(text, pos)
            if not m:
                raise _cant_parse(text, pos, 'unexpected "<"')
            name, attrs = m.group(2).lower(), m.group(3)
            if not m.group(1):
                if name not in _HTML_TAGS or (name == "span" and "tg-spoiler" not in attrs):
                    raise _cant_parse(text, pos, f'Unsupported start tag "{name}"')
                stack.append((name, u16, attrs, pos))
            elif not stack or stack[-1][0] != name:
                raise _cant_parse(text, pos, f'Unexpected end tag "{name}"')
            else:
                tag, start, tag_attrs, _ = stack.pop()
                if u16 > start:
                    entities.append(_html_entity(tag, start, u16 - start, tag_attrs))
            pos = m.end()
            continue
        if text[pos] == "&" and (ref := _CHAR_REF_RE.match(text, pos)):
            piece, pos = _char_ref(ref.group(1)), ref.end()
        else:
            special = _SPECIAL_RE.search(text, pos + 1)
            end = special.start() if special else len(text)
            piece, pos = text[pos:end], end
        out.append(piece)
        u16 += utf16_len(piece)
    if stack:
        tag, *_, start_pos = stack[-1]
        why = f'Can\'t find end tag corresponding to start tag "{tag}"'
        raise _cant_parse(text, start_pos, why)
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _html_entity(tag: str, offset: int, length: int, attrs: str) -> JSON:
    entity: JSON = {"type": _HTML_TAGS[tag], "offset": offset, "length": length}
    values = {
        m.group(1): html.unescape(m.group(2) or m.group(3) or "") for m in _ATTR_RE.finditer(attrs)
    }
    if tag == "a":
        entity["url"] = values.get("href", "")
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = values.get("emoji-id", "")
    return entity


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


def display_name(user: JSON) -> str:
    return " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)


# Telegram's membership statuses as a group's owner reads them in the app.
STATUS_NAMES = {
    "member": "普通成员", "administrator": "管理员", "creator": "群主", "restricted": "受限成员",
    "left": "已移出群", "kicked": "已移出并拉黑",
}  # fmt: skip


def buttons_of(message: JSON) -> list[JSON]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def describe(message: JSON) -> str:
    """One line of what a message shows, for the transcript."""
    parts = []
    if "photo" in message:
        parts.append("[图片]")
    if doc := message.get("document"):
        parts.append(f"[文件 {doc.get('file_name', '')}]")
    if loc := message.get("location"):
        parts.append(f"[位置 {loc['latitude']}, {loc['longitude']}]")
    if sticker := message.get("sticker"):
        parts.append(f"[贴纸 {sticker.get('emoji', '')}]")
    if poll := message.get("poll"):
        options = " / ".join(o["text"] for o in poll["options"])
        parts.append(f"[投票] {poll['question']} ({options})")
    if topic := message.get("forum_topic_created"):
        parts.append(f"[新话题 {topic['name']}]")
    if members := message.get("new_chat_members"):
        parts.append("[加入群] " + "、".join(display_name(u) for u in members))
    text = message.get("text") or message.get("caption")
    if text:
        parts.append(text)
    if buttons := buttons_of(message):
        parts.append("[按钮: " + " | ".join(b.get("text", "") for b in buttons) + "]")
    return " ".join(parts)


class EmulatorWorld:
    """Users, chats, memberships, messages and pending updates, as Telegram's server holds them."""

    def __init__(
        self, bot_user: JSON, can_read_all_group_messages: bool,
        clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
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
        self.allowed_updates: list[str] | None = None
        self.transcript: list[str] = []
        self.on_transcript: Callable[[str], None] | None = None
        self._last_message_id: dict[int, int] = {}
        self._pending: list[_Queued] = []
        self._history: dict[int, JSON] = {}
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._last_activity = time.monotonic()

    # -- plumbing --------------------------------------------------------------------------
    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _notify(self) -> None:
        """Something happened in the world: wake waiters and count it as activity."""
        self._last_activity = time.monotonic()
        self._wake()

    async def _wait_change(self, timeout: float) -> None:
        # Callers check their condition and then call this without awaiting in between,
        # so a notify cannot slip between the check and the wait.
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0))

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

    # -- the update queue ------------------------------------------------------------------
    def queue_update(self, kind: str, obj: JSON) -> JSON:
        update_id = next(self._update_ids)
        update: JSON = {"update_id": update_id, kind: copy.deepcopy(obj)}
        self._history[update_id] = update
        self._pending.append(_Queued(copy.deepcopy(update)))
        self._notify()
        return update

    def post_raw_update(self, update: JSON) -> int:
        update_id = next(self._update_ids)
        update = {**copy.deepcopy(update), "update_id": update_id}
        self._history[update_id] = update
        self._pending.append(_Queued(copy.deepcopy(update)))
        self._notify()
        return update_id

    @property
    def last_update_id(self) -> int:
        """The id of the newest update queued, for re-delivering it."""
        return max(self._history, default=0)

    def redeliver(self, update_id: int) -> None:
        if update_id not in self._history:
            raise ValueError(f"update {update_id} was never queued")
        if any(q.update["update_id"] == update_id and not q.delivered for q in self._pending):
            return
        self._pending.append(_Queued(copy.deepcopy(self._history[update_id]), forced=True))
        self._pending.sort(key=lambda q: q.update["update_id"])
        self._notify()

    def _allowed(self, update: JSON) -> bool:
        if not self.allowed_updates:
            return not (_OPT_IN_UPDATES & set(update))
        return bool(set(self.allowed_updates) & set(update))

    def take_updates(self, offset: int, limit: int) -> list[JSON]:
        """getUpdates: forget what `offset` confirms, hand out up to `limit` of the rest."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [
                q
                for q in self._pending
                if q.update["update_id"] >= offset or (q.forced and not q.delivered)
            ]
        self._pending = [q for q in self._pending if self._allowed(q.update)]
        batch = self._pending[:limit]
        for q in batch:
            q.delivered = True
        if batch:
            self._last_activity = time.monotonic()
        return [copy.deepcopy(q.update) for q in batch]

    def next_for_webhook(self, busy_chats: set[object]) -> _Queued | None:
        """The oldest update not handed out whose chat has none in flight (webhook); marked
        handed out. An update behind one in flight for its chat waits for it."""
        self._pending = [q for q in self._pending if self._allowed(q.update)]
        held = set(busy_chats)
        for queued in self._pending:
            chat = chat_of(queued.update)
            if not queued.delivered and chat not in held:
                queued.delivered = True
                self._last_activity = time.monotonic()
                return queued
            held.add(chat)  # in flight or refused for now: the chat's later ones wait
        return None

    def confirm(self, queued: _Queued) -> None:
        """The webhook answered 200 for this update: it is gone from the queue."""
        with contextlib.suppress(ValueError):
            self._pending.remove(queued)

    def undelivered(self) -> int:
        return sum(not q.delivered for q in self._pending)

    def unconfirmed(self) -> int:
        """Updates not yet confirmed by a later getUpdates offset: the bot confirms one only
        once it has stored it, so none left means every update is in the bot's hands."""
        return len(self._pending)

    # -- things residents do ---------------------------------------------------------------
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
