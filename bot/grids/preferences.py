"""Per-grid settings a coordinator changes from the group: script and intake mode."""

from __future__ import annotations

from bot.services import Services
from bot.texts import SIMPLIFIED, TRADITIONAL
from storage.records import Grid

LANGUAGES = {
    "简体": SIMPLIFIED, "简": SIMPLIFIED, "簡體": SIMPLIFIED, "zh-hans": SIMPLIFIED,
    "繁体": TRADITIONAL, "繁體": TRADITIONAL, "繁": TRADITIONAL, "zh-hant": TRADITIONAL,
}  # fmt: skip
SCRIPT_NAMES = {SIMPLIFIED: "简体中文", TRADITIONAL: "繁体中文"}
MODES = ("auto", "confirm", "explicit")


async def _grid_for_coordinator(
    services: Services, telegram_id: int, chat_id: int
) -> tuple[Grid | None, str | None]:
    """The grid bound to this chat if the person coordinates it, else the refusal key."""
    grid = await services.store.grids.by_chat(chat_id)
    if grid is None:
        return None, "unbound_here"
    member = await services.store.members.by_telegram_id(telegram_id)
    if member is None or not member.is_coordinator or not member.serves(grid.code):
        return None, "settings_refused"
    return grid, None


async def set_language(services: Services, telegram_id: int, chat_id: int, value: str) -> str:
    """/lang 简体|繁体: every text the bot sends in this grid follows."""
    language = LANGUAGES.get(value.strip().lower())
    if language is None:
        return services.texts.get(SIMPLIFIED, "lang_usage")
    grid, refusal = await _grid_for_coordinator(services, telegram_id, chat_id)
    if grid is None:
        return services.texts.get(SIMPLIFIED, refusal or "settings_refused")
    await services.store.grids.set_options(grid.id, language=language)
    script = services.texts.name(language, SCRIPT_NAMES[language])
    return services.texts.get(language, "lang_ok", script=script)


async def set_mode(services: Services, telegram_id: int, chat_id: int, value: str) -> str:
    """/mode auto|confirm|explicit: how readily the group's messages become issues."""
    mode = value.strip().lower()
    if mode not in MODES:
        return services.texts.get(SIMPLIFIED, "mode_usage")
    grid, refusal = await _grid_for_coordinator(services, telegram_id, chat_id)
    if grid is None:
        return services.texts.get(SIMPLIFIED, refusal or "settings_refused")
    await services.store.grids.set_options(grid.id, intake_mode=mode)
    shown = services.texts.get(grid.language, f"mode_{mode}")
    return services.texts.get(grid.language, "mode_ok", mode=shown)
