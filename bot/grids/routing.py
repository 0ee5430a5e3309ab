"""Who handles an issue: the member of the grid whose expertise fits, with the lightest load."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storage.records import Member


def fits(member: Member, tags: Sequence[str]) -> bool:
    """Expertise matches a category tag when either names the other (市政 ~ 市政设施)."""
    return any(tag in skill or skill in tag for skill in member.expertise for tag in tags if tag)


def pool(candidates: Sequence[Member], tags: Sequence[str]) -> list[Member]:
    """Those whose expertise fits; everyone if nobody's does."""
    return [member for member in candidates if fits(member, tags)] or list(candidates)


def choose(
    candidates: Sequence[Member], tags: Sequence[str], load: Mapping[int, int]
) -> Member | None:
    """The fitting candidate with the fewest open issues; any candidate if none fits."""
    found = pool(candidates, tags)
    if not found:
        return None
    return min(found, key=lambda member: (load.get(member.id, 0), member.id))


def shortlist(
    grid_members: Sequence[Member], coordinators: Sequence[Member], tags: Sequence[str]
) -> list[Member]:
    """Who `route` chooses among: the grid's members first, coordinators only when the grid
    has no member. With one name on it, nobody's load needs looking up."""
    staff = [member for member in grid_members if member.role == "member"]
    return pool(staff, tags) or pool(coordinators, tags)


def route(
    grid_members: Sequence[Member],
    coordinators: Sequence[Member],
    tags: Sequence[str],
    load: Mapping[int, int],
) -> Member | None:
    """Members of the grid first; coordinators only when the grid has no member."""
    return choose(shortlist(grid_members, coordinators, tags), tags, load)
