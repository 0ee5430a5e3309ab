"""Support as the storage layer returns it: a resident seconding an issue (附议), a recurring
topic offered to coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Supporter:
    """A resident who seconded an issue (附议): by a reply, a 👍 or a near-duplicate."""

    issue_id: int
    telegram_id: int
    name: str
    via: str
    at: datetime
    message_id: int | None = None


@dataclass(frozen=True)
class TopicOffer:
    """A recurring topic offered to coordinators, claimed once by its key."""

    key: str
    kind: str  # issues (one category in one community) or supporters (one issue)
    community: str
    category: str
    last_issue_id: int
    at: datetime
