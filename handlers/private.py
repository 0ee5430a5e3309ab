"""/start and /help: opening the private channel and saying what each person may do."""

from __future__ import annotations

from telegram import Update

from bot.language import of_chat, of_person
from handlers.context import GridContext
from handlers.replies import answer
from handlers.webapp import offer_app


async def start_private(update: Update, context: GridContext) -> None:
    """/start in private: members can now be written to privately."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    is_member = await services.store.members.set_reachable(user.id, True)
    member = await services.store.members.by_telegram_id(user.id) if is_member else None
    language = await of_person(services, user.id)
    if member is not None:
        text = services.texts.get(language, "start_member", name=member.name)
    else:
        text = services.texts.get(language, "start_resident")
    await answer(message, text)
    if member is not None:
        await offer_app(context.bot, services, member)


async def show_help(update: Update, context: GridContext) -> None:
    """/help: what this person may do here."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    texts = context.services.texts
    member = await context.services.store.members.by_telegram_id(user.id)
    language = await of_chat(context.services, message.chat_id, user.id)
    parts = [texts.get(language, "help_resident")]
    if member is not None:
        parts.append(texts.get(language, "help_member"))
        if member.is_coordinator:
            parts.append(texts.get(language, "help_coordinator"))
    await answer(message, "\n\n".join(parts))
