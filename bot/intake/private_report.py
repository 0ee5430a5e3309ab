"""/report in a private chat: the issue goes to the resident's grid, which is the grid of a
group where the bot has seen them; with several, the resident chooses."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.intake.registration import IntakeResult, take_in
from bot.messages import Incoming
from bot.services import Services
from storage.records import Grid


@dataclass(frozen=True)
class PrivateReport:
    """`result` when registered; otherwise the grids to choose from (none: unknown)."""

    result: IntakeResult | None = None
    choices: list[Grid] = field(default_factory=list)


async def resident_grids(services: Services, telegram_id: int) -> list[Grid]:
    """The bound grids of the groups where the resident was seen, most recent first."""
    found: dict[int, Grid] = {}
    for chat_id in await services.store.sightings.chats_of(telegram_id):
        grid = await services.store.grids.by_chat(chat_id)
        if grid is not None:
            found.setdefault(grid.id, grid)
    return list(found.values())


async def report_privately(
    services: Services, message: Incoming, grid_id: int | None = None
) -> PrivateReport:
    """Register the private report in the resident's grid (or the one they chose)."""
    grids = await resident_grids(services, message.user_id)
    chosen = [grid for grid in grids if grid.id == grid_id] if grid_id is not None else grids
    if len(chosen) != 1:
        return PrivateReport(choices=grids)
    return PrivateReport(result=await take_in(services, message, grid=chosen[0]))
