"""Command menus per scope: what residents see in groups, members in private, admins more."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from bot.services import Services
from bot.texts import SIMPLIFIED, TRADITIONAL
from handlers.webapp import offer_app_to_all

logger = logging.getLogger(__name__)

RESIDENT = ["report", "my", "help"]
MEMBER = ["take", "progress", "ask", "plan", "escalate", "done", "reject", "dup", "assign", "cat",
          "issue", "mine", "open", "stats", "digest", "consult"]  # fmt: skip
ADMIN = ["bind", "lang", "mode"]
SCOPES: list[tuple[BotCommandScope, list[str]]] = [
    (BotCommandScopeAllGroupChats(), RESIDENT),
    (
        BotCommandScopeAllPrivateChats(),
        ["start", "help", "report", "my", *MEMBER, "sqmy", "invite", "web"],
    ),
    (BotCommandScopeAllChatAdministrators(), [*RESIDENT, *MEMBER, *ADMIN]),
]
# Telegram picks the menu by the user's app language; Traditional for those who use it.
LANGUAGE_CODES = {SIMPLIFIED: None, TRADITIONAL: "zh-hant"}


async def publish_menus(bot: Bot, services: Services) -> None:
    """Set the command lists, then members' web app buttons; a failure only costs a menu."""
    texts = services.texts
    try:
        for scope, names in SCOPES:
            for language, code in LANGUAGE_CODES.items():
                commands = [BotCommand(n, texts.get(language, f"cmd_{n}")) for n in names]
                await bot.set_my_commands(commands, scope=scope, language_code=code)
    except TelegramError as exc:
        logger.warning("command menus not published: %s", exc)
    await offer_app_to_all(bot, services)
