"""Members acting on issues, by command or by the buttons on their notices."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ForceReply, Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.intake.notices import NOTE_ACTIONS
from bot.issues import feedback, listing, workflow
from bot.issues.parsing import (
    COMMANDS,
    loose_command,
    parse_number,
    parse_request,
    prompted,
    without_mention,
)
from bot.language import of_chat
from handlers.context import GridContext
from handlers.people import actor, chat_of, command_args, mention_of
from handlers.plumbing.posting import keyboard
from handlers.plumbing.telemetry import outcome
from handlers.replies import alert, answer

logger = logging.getLogger(__name__)

BUTTON_VERBS = ("take", "view")
USER_LINK = "tg://user?id="


async def act_on_issue(update: Update, context: GridContext) -> None:
    """/take, /progress, /plan, /escalate, /done, /reject, /dup, /assign, /cat."""
    message = update.effective_message
    if message is None or message.from_user is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    await _act(message, context, command, without_mention(command_args(message), _us(context)))


async def _act(message: Message, context: GridContext, command: str, args: str) -> None:
    """Parse and carry out one member command; the usage line when it does not fit."""
    assert message.from_user is not None
    if command == "issue":
        await _timeline(message, context, args)
        return
    request = parse_request(command, args)
    if request is None:
        language = await of_chat(context.services, message.chat_id, message.from_user.id)
        await answer(message, context.services.texts.usage(language, command))
        return
    result = await workflow.act(context.services, actor(message.from_user, message.chat), request)
    outcome(f"{command}#{request.number}:{'ok' if result.ok else 'refused'}")
    if result.posted_in != message.chat_id:
        await answer(message, result.text)


async def show_timeline(update: Update, context: GridContext) -> None:
    """/issue N: the whole timeline of one issue, with buttons for the staff's next steps."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    await _timeline(message, context, without_mention(command_args(message), _us(context)))


async def _timeline(message: Message, context: GridContext, args: str) -> None:
    assert message.from_user is not None
    services = context.services
    number = parse_number(args)
    if number is None:
        language = await of_chat(services, message.chat_id, message.from_user.id)
        await answer(message, services.texts.usage(language, "issue"))
        return
    who = actor(message.from_user, message.chat)
    result = await listing.timeline(services, who, number)
    await answer(message, result.text, markup=keyboard(result.buttons))


async def act_loosely(update: Update, context: GridContext) -> None:
    """A member's command as phones type it (`/progress1 …`, `／take 3`, `办结 3 已修好`):
    answered like the command, and nothing else sees it. Anyone else's message goes on."""
    message = update.effective_message
    if message is None or message.from_user is None or not message.text:
        return
    found = loose_command(message.text, _us(context))
    if found is None:
        return
    if await context.services.store.members.by_telegram_id(message.from_user.id) is None:
        return  # a resident's words that happen to start like a command: intake decides
    await _act(message, context, *found)
    raise ApplicationHandlerStop


async def take_note(update: Update, context: GridContext) -> None:
    """A member's reply to the bot's prompt for a note (ForceReply): the step it asked for."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or message.from_user is None or not message.text:
        return
    asked = prompted(replied.text or "") if _from_us(replied, context) else None
    if asked is None or _addressed_to(replied) not in (None, message.from_user.id):
        return  # not a prompt, or someone else's: intake and the rest decide on it
    command, number = asked
    await _act(message, context, command, f"{number} {message.text.strip()}")
    raise ApplicationHandlerStop


async def list_issues(update: Update, context: GridContext) -> None:
    """/mine, /open (members) and /my (anyone): lists of issues."""
    message = update.effective_message
    if message is None or message.from_user is None or not message.text:
        return
    services = context.services
    command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    here = None
    if message.chat.type != ChatType.PRIVATE:
        here = await services.store.grids.by_chat(message.chat_id)
        if here is None:  # no grid of its own: whatever is listed belongs to another
            language = await of_chat(services, message.chat_id, message.from_user.id)
            await answer(message, services.texts.get(language, "ask_privately"))
            return
    if command == "my":
        await answer(message, await listing.reported_by(services, message.from_user.id, here))
        return
    member = await services.store.members.by_telegram_id(message.from_user.id)
    if member is None:
        language = await of_chat(services, message.chat_id, message.from_user.id)
        await answer(message, services.texts.get(language, "members_only"))
    elif command == "mine":
        await answer(message, await listing.mine(services, member, here))
    else:
        await answer(message, await listing.open_issues(services, member, here))


async def press_button(update: Update, context: GridContext) -> None:
    """A button: `take:N`, `view:N`, a step that needs a note (`progress:N`, `done:N` …),
    `rate:N:CODE` or `why:N:CODE` (the reason for 不满意); stale or forged data changes
    nothing."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    verb, _, rest = (query.data or "").partition(":")
    raw, _, code = rest.partition(":")
    number = parse_number(raw)
    chat = query.message.chat if query.message is not None else None
    who = actor(query.from_user, chat)
    if number is None or verb not in (*BUTTON_VERBS, *NOTE_ACTIONS, "rate", "why"):
        language = await of_chat(services, chat_of(query), who.telegram_id)
        await alert(query, services.texts.get(language, "stale_button"), show_alert=True)
        return
    if verb in NOTE_ACTIONS:
        await _prompt(query, context, who, verb, number)
        return
    if verb == "rate":
        result = await feedback.rate(services, who, number, code)
    elif verb == "why":
        result = await feedback.reason(services, who, number, code)
    elif verb == "take":
        result = await workflow.act(services, who, workflow.Request("take", number))
    else:
        result = await workflow.describe(services, who, number)
    await alert(query, result.text, show_alert=not result.ok or verb == "view")


async def _prompt(
    query: CallbackQuery, context: GridContext, who: workflow.Actor, verb: str, number: int
) -> None:
    """Ask for the note a step needs; the member's reply to the prompt carries it out."""
    services = context.services
    refused = await workflow.may(services, who, workflow.Request(verb, number))
    if refused is not None or query.message is None:
        await alert(query, refused.text if refused else "", show_alert=True)
        return
    language = await of_chat(services, query.message.chat.id, who.telegram_id)
    say = services.texts.get
    text = say(language, f"prompt_{verb}", n=number)
    if query.message.chat.type != ChatType.PRIVATE:  # selective: only this member is asked
        text = say(language, "prompt_for", mention=mention_of(query.from_user)) + text
    markup = ForceReply(
        selective=True, input_field_placeholder=say(language, "prompt_placeholder")
    )
    try:
        await context.bot.send_message(
            query.message.chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup,
            message_thread_id=getattr(query.message, "message_thread_id", None),
        )  # fmt: skip
    except TelegramError as exc:  # the member presses again, or types the command
        logger.warning("prompt for #%s not sent: %s", number, exc)
    await alert(query)


def _addressed_to(prompt: Message) -> int | None:
    """In a group a prompt names the member it asks (a tg://user link); None in private."""
    for entity in prompt.entities:
        if entity.type == MessageEntity.TEXT_LINK and (entity.url or "").startswith(USER_LINK):
            number = entity.url.removeprefix(USER_LINK) if entity.url else ""
            return int(number) if number.isdigit() else None
    return None


def _us(context: GridContext) -> str | None:
    return context.bot.username if context.bot else None


def _from_us(message: Message, context: GridContext) -> bool:
    return message.from_user is not None and message.from_user.id == context.bot.id


MEMBER_COMMANDS = list(COMMANDS)
