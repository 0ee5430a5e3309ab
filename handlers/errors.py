"""The last line: log what went wrong, tell the operator chat, never the resident."""

from __future__ import annotations

import html
import logging

from telegram import Update

from handlers.context import GridContext

logger = logging.getLogger(__name__)


async def report_error(update: object, context: GridContext) -> None:
    """Log the failure with the update id, and tell the operator chat if one is set."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("update %s failed", update_id, exc_info=context.error)
    operator = context.services.settings.operator_chat
    if operator is None:
        return
    summary = f"⚠️ update {update_id}: {type(context.error).__name__}: {context.error}"
    try:
        await context.bot.send_message(operator, html.escape(summary[:3500]), parse_mode="HTML")
    except Exception:  # the operator chat being unreachable must not raise again
        logger.warning("operator chat %s unreachable", operator)
