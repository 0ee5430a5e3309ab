"""Who is looking at the web app, and what they may see: coordinators the grids they oversee
(all, with no grids of their own), members their grids, residents only their own issues.
Phone and ID numbers are shown whole only to the issue's assigned member, as in the group."""

from __future__ import annotations

from dataclasses import dataclass

from bot import language
from bot.privacy import mask
from bot.reports.oversight import overseen
from bot.services import Services
from bot.texts import DEFAULT
from storage.records import Grid, Issue

COORDINATOR, MEMBER, RESIDENT = "coordinator", "member", "resident"


@dataclass(frozen=True)
class Viewer:
    telegram_id: int
    name: str
    role: str  # coordinator, member or resident
    language: str
    grids: tuple[Grid, ...] = ()
    member_id: int | None = None
    everything: bool = False  # a coordinator with no grids: every grid, now and later

    @property
    def staff(self) -> bool:
        return self.role != RESIDENT

    @property
    def grid_ids(self) -> tuple[int, ...] | None:
        """The grids whose issues this viewer may see; None is all of them."""
        return None if self.everything else tuple(grid.id for grid in self.grids)

    def sees(self, issue: Issue) -> bool:
        if self.role == RESIDENT:
            return issue.reporter_id == self.telegram_id
        return self.everything or any(grid.id == issue.grid_id for grid in self.grids)

    def shown(self, issue: Issue, text: str) -> str:
        """Text about this issue as this viewer may read it."""
        assigned = self.member_id is not None and issue.assignee_id == self.member_id
        return text if assigned else mask(text)


async def viewer_for(
    services: Services, telegram_id: int, name: str = "", language_code: str = ""
) -> Viewer:
    """The viewer a Telegram user is: by the roster, or a resident if it does not know them."""
    member = await services.store.members.by_telegram_id(telegram_id)
    if member is None:
        return Viewer(telegram_id, name, RESIDENT, language.of_app(language_code, DEFAULT))
    all_grids = await services.store.grids.all()
    grids = tuple(overseen(member, all_grids))
    everything = member.is_coordinator and not member.grid_codes
    role = COORDINATOR if member.is_coordinator else MEMBER
    return Viewer(
        telegram_id, member.name, role,
        language.of_app(language_code, language.of_grids(grids)), grids, member.id, everything,
    )  # fmt: skip
