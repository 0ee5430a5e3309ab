"""A roster as an office's file states it, and what importing it did: plain records."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RosterMember:
    """One member as a roster file states them; `telegram_id` None until they join."""

    name: str
    telegram_id: int | None
    role: str
    sector: str = ""
    expertise: tuple[str, ...] = ()
    grid_codes: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class RosterGrid:
    code: str
    name: str
    community: str = ""
    street: str = ""
    district: str = ""
    chat_id: int | None = None


@dataclass(frozen=True)
class PendingMember:
    """A roster member without a Telegram id: waiting to join by an invitation."""

    id: int
    name: str
    role: str
    sector: str = ""
    expertise: tuple[str, ...] = ()
    grid_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RosterChanges:
    """What a members import did; `left` are the members it made inactive."""

    new: int = 0
    updated: int = 0
    left: tuple[int, ...] = ()
    pending_left: int = 0
