"""What the bot sets and asks about: its commands and menu button; chats, their members and
administrators; files."""

from __future__ import annotations

import json
from typing import Any

from handlers.emulator.api import JSON, ApiError
from handlers.emulator.observed import Observed
from handlers.emulator.world import member_json

_GIFT_KINDS = frozenset({
    "unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
    "gifts_from_channels",
})  # fmt: skip


class Chats(Observed):
    """The bot's settings as it set them, and the chats, members and files it looks up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}  # by private chat; None the default

    def _find_chat(self, params: JSON) -> JSON:
        chat = self.chats.get(params.get("chat_id", 0))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    @staticmethod
    def _commands_key(params: JSON) -> str:
        key = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return key + (f":{params['language_code']}" if params.get("language_code") else "")

    async def _m_setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be a list")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be 1-256 characters")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _m_getMyCommands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    async def _m_deleteMyCommands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _m_setChatMenuButton(self, params: JSON) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if button.get("type") == "web_app":
            url = str((button.get("web_app") or {}).get("url", ""))
            if not button.get("text") or not url.startswith("https://"):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        elif button.get("type") not in ("commands", "default"):
            raise ApiError(400, "Bad Request: menu button type is invalid")
        chat_id = params.get("chat_id")
        if chat_id is not None and chat_id not in self.users:
            raise ApiError(400, "Bad Request: chat not found")
        self.menu_buttons[chat_id] = button
        return True

    async def _m_getChatMenuButton(self, params: JSON) -> JSON:
        found = self.menu_buttons.get(params.get("chat_id"))
        return found or self.menu_buttons.get(None) or {"type": "commands"}

    async def _m_getChat(self, params: JSON) -> JSON:
        extra = {"accent_color_id": 0, "max_reaction_count": 11}
        gifts = dict.fromkeys(sorted(_GIFT_KINDS), False)
        return self._find_chat(params) | extra | {"accepted_gift_types": gifts}

    async def _m_getChatMember(self, params: JSON) -> JSON:
        chat, user_id = self._find_chat(params), params.get("user_id", 0)
        if user_id != self.bot_id and user_id not in self.users:
            raise ApiError(400, "Bad Request: user not found")
        return self.chat_member(chat["id"], user_id)

    async def _m_getChatAdministrators(self, params: JSON) -> list[JSON]:
        chat = self._find_chat(params)
        if chat["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        admins = []
        for (chat_id, user_id), status in self.member_status.items():
            if chat_id == chat["id"] and status in ("administrator", "creator"):
                user = self.bot_user if user_id == self.bot_id else self.users[user_id]
                admins.append(member_json(user, status))
        return admins

    async def _m_getFile(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        info = self.files[file_id]
        file = {"file_id": file_id, "file_size": len(info["content"])}
        return file | {k: info[k] for k in ("file_unique_id", "file_path")}
