"""The private chat: /start (with an invitation or not), /help, /invite for coordinators,
residents' /report and any other text they send."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.classify.textnorm import visible
from bot.grids.invitations import invite_by_name, looks_like_token, redeem
from bot.intake.private_report import report_privately, resident_grids
from bot.language import of_chat, of_grids, of_person
from bot.services import Services
from handlers.context import GridContext
from handlers.intake import incoming_of
from handlers.people import command_args
from handlers.plumbing.telemetry import outcome
from handlers.replies import alert, answer
from handlers.webapp import offer_app

CHOOSE = "preport:"
HELP = "help:"
ROLES = ("resident", "member", "coordinator")


async def start_private(update: Update, context: GridContext) -> None:
    """/start in private: an invitation binds this user to a member; members can now be
    written to privately."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    payload = context.args[0] if context.args else ""
    if looks_like_token(payload):
        await answer(message, await redeem(services, user.id, payload))
        return
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
    """/help: a short guide for this person's role, with a button for the longer one."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    texts = context.services.texts
    member = await context.services.store.members.by_telegram_id(user.id)
    role = "resident" if member is None else "coordinator" if member.is_coordinator else "member"
    language = await of_chat(context.services, message.chat_id, user.id)
    more = InlineKeyboardButton(texts.get(language, "help_more"), callback_data=f"{HELP}{role}")
    await answer(
        message, texts.get(language, f"help_{role}"), markup=InlineKeyboardMarkup([[more]])
    )


async def show_more_help(update: Update, context: GridContext) -> None:
    """The 更多说明 button under /help: the short guide becomes the whole guide of that role."""
    query = update.callback_query
    if query is None:
        return
    texts = context.services.texts
    role = (query.data or "").removeprefix(HELP)
    chat = query.message.chat.id if query.message is not None else None
    language = await of_chat(context.services, chat, query.from_user.id)
    if role not in ROLES or not isinstance(query.message, Message):
        await alert(query, texts.get(language, "stale_button"), show_alert=True)
        return
    await alert(query)
    try:
        await query.message.edit_text(
            texts.get(language, f"help_more_{role}"), parse_mode=ParseMode.HTML
        )
    except TelegramError:  # too old to edit: sent anew
        await answer(query.message, texts.get(language, f"help_more_{role}"))


async def invite_member(update: Update, context: GridContext) -> None:
    """/invite NAME in private: a coordinator gets a member's invitation link."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    if message.chat.type != "private":
        language = await of_chat(context.services, message.chat_id, message.from_user.id)
        await answer(message, context.services.texts.get(language, "invite_refused"))
        return
    await answer(
        message,
        await invite_by_name(context.services, message.from_user.id, command_args(message)),
    )


async def report_private(update: Update, context: GridContext) -> None:
    """/report TEXT in private: an issue in the resident's grid (asked when several)."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    texts = context.services.texts
    text = command_args(message)
    language = await _language(context.services, message.from_user.id)
    if not visible(text):
        await answer(message, texts.get(language, "report_usage"))
        return
    found = await report_privately(context.services, incoming_of(message, text, explicit=True))
    if found.result is not None:
        outcome(f"private-{found.result.outcome}")
        return
    if not found.choices:
        await answer(message, texts.get(language, "private_report_none"))
        return
    rows = [
        [InlineKeyboardButton(f"{grid.code} {grid.name}", callback_data=f"{CHOOSE}{grid.id}")]
        for grid in found.choices
    ]
    await _ask(message, texts.get(language, "private_report_choose"), InlineKeyboardMarkup(rows))


async def _ask(message: Message, text: str, markup: InlineKeyboardMarkup) -> None:
    try:
        await message.reply_text(text, reply_markup=markup, do_quote=True)
    except TelegramError:  # the resident sends /report again
        outcome("private-ask-lost")


async def choose_grid(update: Update, context: GridContext) -> None:
    """The resident's grid for a private /report, chosen with a button."""
    query = update.callback_query
    if query is None:
        return
    texts = context.services.texts
    language = await _language(context.services, query.from_user.id)
    question = query.message if isinstance(query.message, Message) else None
    original = question.reply_to_message if question else None
    grid_id = (query.data or "").removeprefix(CHOOSE)
    if question is None or original is None or not grid_id.isdigit():
        await alert(query, texts.get(language, "private_report_stale"), show_alert=True)
        return
    text = command_args(original)
    found = await report_privately(
        context.services, incoming_of(original, text, explicit=True), int(grid_id)
    )
    await alert(query)
    if found.result is None:
        await answer(question, texts.get(language, "private_report_stale"))
        return
    outcome(f"private-chosen-{found.result.outcome}")
    try:
        await question.delete()
    except TelegramError:
        outcome("private-question-kept")


async def answer_text(update: Update, context: GridContext) -> None:
    """Any other private text: a short pointer to /report and /help."""
    message = update.effective_message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return
    language = await _language(context.services, message.from_user.id)
    await answer(message, context.services.texts.get(language, "private_text"))


async def _language(services: Services, telegram_id: int) -> str:
    """A member's script is their grids'; a resident's, that of the groups they wrote in."""
    if await services.store.members.by_telegram_id(telegram_id) is not None:
        return await of_person(services, telegram_id)
    return of_grids(await resident_grids(services, telegram_id))
