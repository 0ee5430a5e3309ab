"""The typed callback context: handlers reach the core through `context.services`."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.services import Services

SERVICES_KEY = "services"


class GridContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return cast(Services, self.application.bot_data[SERVICES_KEY])


CONTEXT_TYPES = ContextTypes(context=GridContext)

GridApplication = Application[
    ExtBot[None], GridContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
