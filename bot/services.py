"""Everything a handler needs, built once by a factory and reached through the context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.classify.deferred import DeferredClassifier
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.texts import Texts
from bot.workdays import Calendar, load_calendar
from storage.store import Store, open_store

if TYPE_CHECKING:
    from bot.classify.classifier import Classifier
    from bot.classify.taxonomy import Taxonomy


@dataclass
class Services:
    settings: Settings
    store: Store
    # The taxonomy and classifier, possibly still being built (`gridbot run` builds them
    # after its first getUpdates; updates and jobs await `classifying.ready()` first).
    classifying: DeferredClassifier
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

    @property
    def taxonomy(self) -> Taxonomy:
        return self.classifying.get()[0]

    @property
    def classifier(self) -> Classifier:
        return self.classifying.get()[1]

    async def close(self) -> None:
        await self.store.close()


async def build_services(
    settings: Settings, clock: Clock = utc_now, *, classify_later: bool = False
) -> Services:
    """Open the database (migrating it) and load the taxonomy, classifier and calendar;
    with `classify_later`, the taxonomy and classifier are left for the runner to build
    (`DeferredClassifier.start`)."""
    classifying = DeferredClassifier(settings.taxonomy)
    if not classify_later:
        classifying.get()  # before the database: a bad file stops us first
    calendar = load_calendar(settings)
    store = await open_store(settings.database_url)
    services = Services(
        settings=settings,
        store=store,
        classifying=classifying,
        texts=Texts(),
        calendar=calendar,
        clock=clock,
    )
    store.wake_on_owed(services.outbox_ready.set)
    return services
