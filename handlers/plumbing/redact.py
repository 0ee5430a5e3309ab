"""Logs never show a bot token: the Bot API puts it in every URL that httpx and PTB log."""

from __future__ import annotations

import logging
import re

# Bot tokens are "<bot id>:<35 characters>"; test tokens are shorter, so accept 8+.
TOKEN = re.compile(r"(?<!\d)(\d{3,}):[A-Za-z0-9_-]{8,}")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = TOKEN.sub(r"\1:****", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(root: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of the root logger."""
    for handler in (root or logging.getLogger()).handlers:
        handler.addFilter(RedactTokens())
