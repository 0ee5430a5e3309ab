"""The one entry to the database: open it, migrate it, reach each kind of record."""

from __future__ import annotations

from collections.abc import Callable

from storage.chat_moves import ChatMoveStore
from storage.chats import ChatStore
from storage.dashboard import DashboardStore
from storage.database import Database
from storage.enrolment import EnrolmentStore
from storage.grids import GridStore
from storage.invitations import InvitationStore
from storage.issue_search import IssueSearchStore
from storage.issues import IssueStore
from storage.jobs import JobStore
from storage.meetings import MeetingStore
from storage.members import MemberStore
from storage.outbox import OutboxStore
from storage.pauses import PauseStore
from storage.questions import QuestionStore
from storage.reminders import ReminderStore
from storage.roster_cache import RosterCache
from storage.sent_messages import SentMessageStore
from storage.sightings import SightingStore
from storage.sqmy import SqmyStore
from storage.stats import StatsStore
from storage.supporters import SupporterStore
from storage.topics import TopicStore
from storage.updates import UpdateLog


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        roster = RosterCache(db)  # shared: a change through either store reloads both
        self.grids = GridStore(db, roster)
        self.members = MemberStore(db, roster)
        self.enrolment = EnrolmentStore(db, roster)
        self.invitations = InvitationStore(db, roster)
        self.chat_moves = ChatMoveStore(db, roster)
        self.sightings = SightingStore(db)
        self.issues = IssueStore(db)
        self.outbox = OutboxStore(db)
        self.sent_messages = SentMessageStore(db)  # what the outbox sent, looked up again
        self.chats = ChatStore(db)
        self.updates = UpdateLog(db)
        self.jobs = JobStore(db)
        self.reminders = ReminderStore(db)
        self.pauses = PauseStore(db)
        self.stats = StatsStore(db)
        self.supporters = SupporterStore(db)
        self.meetings = MeetingStore(db)  # face to face and online
        self.topics = TopicStore(db)
        self.sqmy = SqmyStore(db)
        self.questions = QuestionStore(db)
        self.dashboard = DashboardStore(db)  # the web app's overview
        self.issue_search = IssueSearchStore(db)  # its issue list, and Open311's requests

    def wake_on_owed(self, wake: Callable[[], None]) -> None:
        """Call `wake` after each commit that added owed messages: the one way to owe a
        message is to store it; nobody wakes the sender by hand."""
        self.db.on_owed = wake

    async def close(self) -> None:
        await self.db.close()


async def open_store(url: str) -> Store:
    """Connect and bring the schema up to date; raises DatabaseError with one clear line."""
    db = Database(url)
    try:
        await db.migrate()
    except BaseException:
        await db.close()
        raise
    return Store(db)
