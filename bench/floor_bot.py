"""The framework floor: a bare python-telegram-bot bot doing the least intake can do.

    python bench/floor_bot.py BASE_URL TOKEN FIRST_MEMBER GROUP_BASE [MEMBERS_PER_GROUP]

For every group text it replies in the group and tells the grid's member privately (two
sends, as gridbot does), with no database, classification or limits. Run as its own
process, like `gridbot run`, so both bots get a core of their own beside the emulator.
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


def main() -> None:
    base_url, token, first_member, group_base = sys.argv[1:5]
    per_group = int(sys.argv[5]) if len(sys.argv) > 5 else 1

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        index = int(group_base) - message.chat_id
        await message.reply_text(f"已受理 #{update.update_id}【市政设施】")
        member = int(first_member) + index * per_group  # the grid's first member
        await context.bot.send_message(member, f"新诉求 #{update.update_id}")

    builder = Application.builder().token(token).base_url(base_url)
    application = builder.concurrent_updates(16).build()
    application.add_handler(MessageHandler(filters.TEXT, handle))
    application.run_polling(poll_interval=0.0, timeout=1, allowed_updates=["message"])


if __name__ == "__main__":
    main()
