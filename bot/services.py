"""Everything a handler needs, built once by a factory and reached through the context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.classify.classifier import Classifier
from bot.classify.shared import shared_classifier
from bot.classify.taxonomy import Taxonomy
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.texts import Texts
from bot.workdays import Calendar, load_calendar
from storage.store import Store, open_store


@dataclass
class Services:
    settings: Settings
    store: Store
    taxonomy: Taxonomy
    classifier: Classifier
    texts: Texts
    calendar: Calendar
    clock: Clock = utc_now
    # Known only after getMe; used for deep links in notices.
    bot_username: str = ""
    # Set by the store after each commit that owes messages, so the sender wakes at once.
    outbox_ready: asyncio.Event = field(default_factory=asyncio.Event)
    # (resident, group) pairs already noted in storage.sightings by this process.
    seen_residents: set[tuple[int, int]] = field(default_factory=set)
    # Groups that became supergroups: old chat id → new (handlers.plumbing.delivery).
    moved_chats: dict[int, int] = field(default_factory=dict)

    async def close(self) -> None:
        await self.store.close()


async def build_services(settings: Settings, clock: Clock = utc_now) -> Services:
    """Open the database (migrating it) and load the taxonomy, classifier and calendar."""
    taxonomy, classifier = shared_classifier(settings.taxonomy)
    calendar = load_calendar(settings)  # before the database: a bad file stops us first
    store = await open_store(settings.database_url)
    services = Services(
        settings=settings,
        store=store,
        taxonomy=taxonomy,
        classifier=classifier,
        texts=Texts(),
        calendar=calendar,
        clock=clock,
    )
    store.wake_on_owed(services.outbox_ready.set)
    return services
