"""Building the Telegram application: one ordered place where every handler is registered."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.services import Services
from handlers import actions, groups, intake, private
from handlers.context import CONTEXT_TYPES, SERVICES_KEY, GridApplication
from handlers.delivery import OutboxSender
from handlers.errors import report_error

logger = logging.getLogger(__name__)

SENDER_KEY = "outbox_sender"
GROUPS = filters.ChatType.GROUPS
RESIDENT_CONTENT = (
    filters.UpdateType.MESSAGE
    & (filters.TEXT | filters.PHOTO | filters.LOCATION)
    & ~filters.COMMAND
)


def register_handlers(app: GridApplication) -> None:
    """Every handler, in the order Telegram updates should meet them."""
    # Membership changes of the bot itself come first: they are not messages at all.
    app.add_handler(ChatMemberHandler(groups.greet_group, ChatMemberHandler.MY_CHAT_MEMBER))
    # Commands before free text, so "/report ..." is never read as an ordinary message.
    app.add_handler(CommandHandler("start", private.start_private, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("help", private.show_help))
    app.add_handler(CommandHandler("bind", groups.bind_group))
    app.add_handler(CommandHandler("report", intake.report_issue, GROUPS))
    # Members' actions on issues, in the group or in private.
    app.add_handler(CommandHandler(actions.MEMBER_COMMANDS, actions.act_on_issue))
    app.add_handler(CommandHandler("issue", actions.show_timeline))
    app.add_handler(CommandHandler(["mine", "open", "my"], actions.list_issues))
    # Buttons on notices and acknowledgements.
    app.add_handler(CallbackQueryHandler(actions.press_button))
    # Last: any other group message may be a resident reporting a problem.
    app.add_handler(MessageHandler(GROUPS & RESIDENT_CONTENT, intake.receive_message))
    # Edits arrive as their own kind of update; the issue follows them until a member acts.
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & GROUPS, intake.update_report)
    )
    app.add_error_handler(report_error)


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    services: Services = app.bot_data[SERVICES_KEY]
    services.bot_username = app.bot.username
    sender = OutboxSender(app.bot, services)
    app.bot_data[SENDER_KEY] = sender
    sender.start()


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    sender: OutboxSender | None = app.bot_data.get(SENDER_KEY)
    if sender is not None:
        await sender.stop()


def build_application(services: Services, token: str, *, concurrency: int = 16) -> GridApplication:
    """The real application, against the configured Bot API server."""
    api = services.settings.api_url
    app: GridApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(api)
        .base_file_url(api.replace("/bot", "/file/bot", 1) if api.endswith("/bot") else api)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(concurrency)
        .post_init(_post_init)
        .post_stop(_post_stop)
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
