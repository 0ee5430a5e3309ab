"""Members acting on issues, by command or by the buttons on their notices."""

from __future__ import annotations

import logging

from telegram import Update

from bot.issues import feedback, listing, workflow
from bot.issues.parsing import COMMANDS, parse_number, parse_request
from bot.language import of_chat
from handlers.context import GridContext
from handlers.people import actor, chat_of, command_args
from handlers.plumbing.telemetry import outcome
from handlers.replies import alert, answer

logger = logging.getLogger(__name__)

BUTTON_VERBS = ("take", "view")


async def act_on_issue(update: Update, context: GridContext) -> None:
    """/take, /progress, /plan, /escalate, /done, /reject, /dup, /assign, /cat."""
    message = update.effective_message
    if message is None or message.from_user is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    texts = context.services.texts
    request = parse_request(command, command_args(message))
    if request is None:
        language = await of_chat(context.services, message.chat_id, message.from_user.id)
        await answer(message, texts.usage(language, command))
        return
    result = await workflow.act(context.services, actor(message.from_user), request)
    outcome(f"{command}#{request.number}:{'ok' if result.ok else 'refused'}")
    if result.posted_in != message.chat_id:
        await answer(message, result.text)


async def show_timeline(update: Update, context: GridContext) -> None:
    """/issue N: the whole timeline of one issue."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    number = parse_number(command_args(message))
    if number is None:
        services = context.services
        language = await of_chat(services, message.chat_id, message.from_user.id)
        await answer(message, services.texts.usage(language, "issue"))
        return
    result = await listing.timeline(context.services, actor(message.from_user), number)
    await answer(message, result.text)


async def list_issues(update: Update, context: GridContext) -> None:
    """/mine, /open (members) and /my (anyone): lists of issues."""
    message = update.effective_message
    if message is None or message.from_user is None or not message.text:
        return
    services = context.services
    command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    if command == "my":
        await answer(message, await listing.reported_by(services, message.from_user.id))
        return
    member = await services.store.members.by_telegram_id(message.from_user.id)
    if member is None:
        language = await of_chat(services, message.chat_id, message.from_user.id)
        await answer(message, services.texts.get(language, "members_only"))
    elif command == "mine":
        await answer(message, await listing.mine(services, member))
    else:
        chat = message.chat_id if message.chat.type != "private" else None
        await answer(message, await listing.open_issues(services, member, chat))


async def press_button(update: Update, context: GridContext) -> None:
    """A button: `take:N`, `view:N` or `rate:N:CODE`; stale or forged data changes nothing."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    verb, _, rest = (query.data or "").partition(":")
    raw, _, code = rest.partition(":")
    number = parse_number(raw)
    who = actor(query.from_user)
    if number is None or verb not in (*BUTTON_VERBS, "rate"):
        language = await of_chat(services, chat_of(query), who.telegram_id)
        await alert(query, services.texts.get(language, "stale_button"), show_alert=True)
        return
    if verb == "rate":
        result = await feedback.rate(services, who, number, code)
    elif verb == "take":
        result = await workflow.act(services, who, workflow.Request("take", number))
    else:
        result = await workflow.describe(services, who, number)
    await alert(query, result.text, show_alert=not result.ok or verb == "view")


MEMBER_COMMANDS = list(COMMANDS)
