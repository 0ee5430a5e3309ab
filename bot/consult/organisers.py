"""Who may organise a 微协商, for which grid, linking which issues: a member or coordinator
of the grid (in its group, or in private naming an issue of it), linking only that grid's
issues they handle, in a grid bound to a group."""

from __future__ import annotations

from bot.issues.cases import Actor, Answer, load_case
from bot.lifecycle import STAFF
from bot.services import Services
from storage.records import Grid, Member


def serves(member: Member | None, grid: Grid) -> bool:
    """A member of the grid, or a coordinator overseeing it (one with no grids oversees all)."""
    return member is not None and member.serves(grid.code)


async def meeting_grid(
    services: Services, actor: Actor, chat_id: int, private: bool, numbers: tuple[int, ...]
) -> Grid | None:
    """The group's grid; in private, the grid of the first linked issue."""
    if not private:
        return await services.store.grids.by_chat(chat_id)
    case = await load_case(services, actor, numbers[0]) if numbers else None
    return case.grid if case else None


async def checked_grid(
    services: Services,
    actor: Actor,
    chat_id: int,
    private: bool,
    numbers: tuple[int, ...],
    lang: str,
) -> Grid | Answer:
    """The grid a meeting is for, if the person serves it and may link these issues; else
    the answer why not, in `lang`."""
    texts = services.texts
    if private and not numbers:
        return Answer(texts.get(lang, "consult_no_grid"), ok=False)
    grid = await meeting_grid(services, actor, chat_id, private, numbers)
    if grid is None:
        key = "consult_bad_issue" if private else "unbound_here"
        return Answer(texts.get(lang, key, n=numbers[0] if private else 0), ok=False)
    if not serves(await services.store.members.by_telegram_id(actor.telegram_id), grid):
        return Answer(texts.get(lang, "consult_refused"), ok=False)
    for number in numbers:
        case = await load_case(services, actor, number)
        # Only the meeting's own grid: another grid's issue would be named in this group.
        if case is None or not case.roles & STAFF or case.grid.id != grid.id:
            return Answer(texts.get(lang, "consult_bad_issue", n=number), ok=False)
    if grid.chat_id is None:
        return Answer(texts.get(lang, "consult_unbound", code=grid.code), ok=False)
    return grid
