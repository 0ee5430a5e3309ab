"""Building the Telegram application: one ordered place where every handler is registered."""

from __future__ import annotations

import asyncio
import logging
import warnings

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    PollAnswerHandler,
    filters,
)

from bot.services import Services
from handlers import (
    actions,
    answers,
    consult,
    groups,
    intake,
    oversight,
    private,
    sqmy,
    support,
    webapp,
)
from handlers import preferences as settings
from handlers.context import CONTEXT_TYPES, SERVICES_KEY, GridApplication
from handlers.errors import report_error
from handlers.menus import publish_menus
from handlers.plumbing.delivery import OutboxSender
from handlers.plumbing.limiter import LimitedRequests
from handlers.plumbing.limits import send_limits
from handlers.plumbing.ordering import PerChatUpdateProcessor
from handlers.plumbing.schedule import install_schedules
from handlers.plumbing.transport import bot_request

logger = logging.getLogger(__name__)

SENDER_KEY = "outbox_sender"
MENUS_KEY = "menus_task"
GROUPS = filters.ChatType.GROUPS
PRIVATE = filters.ChatType.PRIVATE
# PTB's CommandHandler also takes edited messages: fixing a typo in "/progress 1 …" would run
# it again, and an old message edited into "/done 2 …" would act. Commands run only when sent.
SENT = filters.UpdateType.MESSAGE
RESIDENT_CONTENT = (
    filters.UpdateType.MESSAGE
    & (filters.TEXT | filters.PHOTO | filters.LOCATION)
    & ~filters.COMMAND
)
# Handlers that run before the main group (0) and may end an update there, or run beside it.
BEFORE = -1
# Before those: the reporter answering a member's /ask is an answer, not a new report.
ANSWERS = -2
# Before all: a reply to an online consultation is a comment, even if it says "+1".
COMMENTS = -3
# Before even those: a member's command as phones type it ("/progress1 …", "办结 3 …").
LOOSE = -4
# First of all: a member's reply to the bot's prompt for a note is that step's note.
PROMPTS = -5


def register_handlers(app: GridApplication) -> None:
    """Every handler, in the order Telegram updates should meet them."""
    # First, each in its own group: a member's reply to a prompt for a note (after a button
    # such as 进展) carries out that step; a member's command typed loosely is that command.
    # Both stop there; anything else (residents' words too) goes on to the groups below.
    app.add_handler(
        MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND & SENT, actions.take_note),
        group=PROMPTS,
    )
    app.add_handler(MessageHandler(filters.TEXT & SENT, actions.act_loosely), group=LOOSE)
    # First of all, in their own group: a reply to an online consultation's announcement or
    # poll is kept as a comment and stops there, so it is neither an issue nor a supporter.
    app.add_handler(
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
            consult.take_comment,
        ),
        group=COMMENTS,
    )
    # Then, in their own group: the reporter's reply while a member waits for their answer
    # (/ask) goes to the member and stops there.
    app.add_handler(
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND
            & (filters.TEXT | filters.CAPTION),
            answers.receive_answer,
        ),
        group=ANSWERS,
    )  # fmt: skip
    # Then, in their own group: a reply agreeing with an issue ("+1", "我也是")
    # makes a supporter and stops the update there; any other reply goes on to intake below.
    app.add_handler(
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
            support.second_reply,
        ),
        group=BEFORE,
    )
    # Beside /start (group 0), which opens members' notices: residents who start the bot are
    # remembered, so issues they support can be followed privately.
    app.add_handler(CommandHandler("start", support.note_started, PRIVATE & SENT), group=BEFORE)
    # Membership changes of the bot itself come first: they are not messages at all.
    app.add_handler(ChatMemberHandler(groups.greet_group, ChatMemberHandler.MY_CHAT_MEMBER))
    # A group upgraded to a supergroup: its binding and owed posts follow the new id.
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.move_group))
    # Commands before free text, so "/report ..." is never read as an ordinary message.
    app.add_handler(CommandHandler("start", private.start_private, PRIVATE & SENT))
    app.add_handler(CommandHandler("help", private.show_help, SENT))
    app.add_handler(CommandHandler("bind", groups.bind_group, SENT))
    app.add_handler(CommandHandler("lang", settings.change_language, GROUPS & SENT))
    app.add_handler(CommandHandler("mode", settings.change_mode, GROUPS & SENT))
    app.add_handler(CommandHandler("report", intake.report_issue, GROUPS & SENT))
    app.add_handler(CommandHandler("report", private.report_private, PRIVATE & SENT))
    app.add_handler(CommandHandler("invite", private.invite_member, SENT))
    # Members' actions on issues, in the group or in private.
    app.add_handler(CommandHandler(actions.MEMBER_COMMANDS, actions.act_on_issue, SENT))
    app.add_handler(CommandHandler("issue", actions.show_timeline, SENT))
    app.add_handler(CommandHandler(["mine", "open", "my"], actions.list_issues, SENT))
    # 微协商 meetings and online consultations: by members, in the group or in private.
    app.add_handler(CommandHandler("consult", consult.run_consult, SENT))
    # Figures and digests on demand, for members and coordinators (scheduled ones: schedule.py).
    app.add_handler(CommandHandler("stats", oversight.show_stats, SENT))
    app.add_handler(CommandHandler("digest", oversight.send_digest, SENT))
    # 社情民意 drafts: a document for coordinators (the handler refuses anyone else, and groups).
    app.add_handler(CommandHandler("sqmy", sqmy.send_sqmy, SENT))
    # The web app: a one-time login link for a browser (the menu button opens it in Telegram).
    app.add_handler(CommandHandler("web", webapp.send_web_link))
    # Buttons: a resident confirming a report (confirm mode), then members' and verdicts.
    app.add_handler(CallbackQueryHandler(intake.confirm_report, pattern=r"^(confirm|decline):"))
    app.add_handler(CallbackQueryHandler(private.choose_grid, pattern=f"^{private.CHOOSE}"))
    app.add_handler(CallbackQueryHandler(private.show_more_help, pattern=f"^{private.HELP}"))
    app.add_handler(CallbackQueryHandler(actions.press_button))
    # Last: any other group message may be a resident reporting a problem.
    app.add_handler(MessageHandler(GROUPS & RESIDENT_CONTENT, intake.receive_message))
    # Other private text: a pointer to /report and /help rather than silence.
    app.add_handler(MessageHandler(PRIVATE & RESIDENT_CONTENT, private.answer_text))
    # Edits arrive as their own kind of update; the issue follows them until a member acts.
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & GROUPS, intake.update_report)
    )
    # Reactions and poll answers are kinds of update no handler above matches: a 👍 on an
    # issue seconds it, a vote in a meeting's poll counts attendance (or an online vote).
    app.add_handler(MessageReactionHandler(support.second_reaction))
    app.add_handler(PollAnswerHandler(consult.record_attendance))
    app.add_error_handler(report_error)


async def start_background(app: GridApplication, *, jobs_paused: bool = False) -> None:
    """After initialize(): the outbox sender and the scheduled jobs start (`jobs_paused`: the
    demo and the tests run the jobs themselves, on their own clocks)."""
    services: Services = app.bot_data[SERVICES_KEY]
    services.bot_username = app.bot.username
    sender = OutboxSender(app.bot, services)
    app.bot_data[SENDER_KEY] = sender
    sender.start()
    install_schedules(app, paused=jobs_paused)


def start_menus(app: GridApplication) -> None:
    """The menus' setMyCommands calls, once updates are being received: started before the
    poller, they went out ahead of the first getUpdates (cold start)."""
    services: Services = app.bot_data[SERVICES_KEY]
    loop = asyncio.get_running_loop()
    app.bot_data[MENUS_KEY] = loop.create_task(publish_menus(app.bot, services))


async def stop_background(app: GridApplication) -> None:
    """Before shutdown: stop sending; what is still owed stays in the outbox."""
    menus: asyncio.Task[None] | None = app.bot_data.pop(MENUS_KEY, None)
    if menus is not None and not menus.done():
        menus.cancel()
    sender: OutboxSender | None = app.bot_data.pop(SENDER_KEY, None)
    if sender is not None:
        await sender.stop()


def quiet_raw_calls() -> None:
    """PTB hints at Bot.get_updates / Bot.send_message when their raw forms are called; the
    poller wants raw updates (one unparsable must not jam the rest) and the outbox sender
    only a sent message's id, so the hint is expected there."""
    warnings.filterwarnings(
        "ignore", message=r"Please use 'Bot\.(getUpdates|sendMessage)'", category=UserWarning
    )


def build_application(services: Services, token: str, *, concurrency: int = 16) -> GridApplication:
    """The real application, against the configured Bot API server."""
    quiet_raw_calls()
    settings = services.settings
    api = settings.api_url
    limits = send_limits(settings.send_limits, settings.senders, settings.sender_index is not None)
    app: GridApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(api)
        .base_file_url(api.replace("/bot", "/file/bot", 1) if api.endswith("/bot") else api)
        .request(bot_request(settings.http_client))
        # Polling too: left to PTB's default, the poll alone loaded httpcore (and, where it
        # is installed, trio) at start-up: ~0.1 s of a cold start and 5 MB resident.
        .get_updates_request(bot_request(settings.http_client, pool_size=1))
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerChatUpdateProcessor(concurrency))
        # Every send waits its turn under Telegram's limits; the outbox sender shares them.
        .rate_limiter(LimitedRequests(limits))
        # Updates come in through handlers/plumbing/receiving.py, which stores them before
        # confirming.
        .updater(None)
        .build()
    )
    app.bot_data[SERVICES_KEY] = services
    register_handlers(app)
    return app


ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.MESSAGE_REACTION,
    Update.POLL_ANSWER,
]
