"""Opening the web app from Telegram: /web sends a one-time login link (for a browser), and
the menu button of members' and coordinators' private chats opens the app as a Mini App."""

from __future__ import annotations

import logging

from telegram import Bot, MenuButtonWebApp, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.language import of_chat, of_person
from bot.services import Services
from handlers.context import GridContext
from handlers.replies import answer
from handlers.web.auth import make_link_token
from storage.records import Member

logger = logging.getLogger(__name__)


async def send_web_link(update: Update, context: GridContext) -> None:
    """/web in private: a signed login link, valid ten minutes, good for one session."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    texts, url = services.texts, services.settings.web_url
    language = await of_chat(services, message.chat_id, user.id)
    if message.chat.type != ChatType.PRIVATE:
        await answer(message, texts.get(language, "web_link_private"))
        return
    if not url:
        await answer(message, texts.get(language, "web_link_unset"))
        return
    token = make_link_token(user.id, services.settings.require_token(), services.clock())
    await answer(message, texts.get(language, "web_link_sent", url=f"{url}/web/login?t={token}"))
    member = await services.store.members.by_telegram_id(user.id)
    if member is not None:
        await offer_app(context.bot, services, member)


async def offer_app(bot: Bot, services: Services, member: Member) -> None:
    """Make the member's private menu button open the web app (when it has an address)."""
    url = services.settings.web_url
    if not url:
        return
    language = await of_person(services, member.telegram_id)
    button = MenuButtonWebApp(
        services.texts.get(language, "web_menu_button"), WebAppInfo(url=f"{url}/app/")
    )
    try:
        await bot.set_chat_menu_button(chat_id=member.telegram_id, menu_button=button)
    except TelegramError as exc:  # only the button is lost; the /web link still works
        logger.warning("menu button for %s not set: %s", member.telegram_id, exc)


async def offer_app_to_all(bot: Bot, services: Services) -> None:
    """At start: every member who can be written to gets the button (the address may be new)."""
    if not services.settings.web_url:
        return
    for member in await services.store.members.all():
        if member.reachable:
            await offer_app(bot, services, member)
