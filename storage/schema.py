"""Tables, in SQLAlchemy Core. Migrations in storage/migrations create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

grids = Table(
    "grids",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("community", String(200), nullable=False, server_default=""),
    Column("street", String(200), nullable=False, server_default=""),
    Column("district", String(200), nullable=False, server_default=""),
    Column("chat_id", BigInteger, unique=True),
    Column("intake_mode", String(16), nullable=False, server_default="auto"),
    Column("language", String(16), nullable=False, server_default="zh-Hans"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("telegram_id", BigInteger, nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("sector", String(200), nullable=False, server_default=""),
    Column("expertise", Text, nullable=False, server_default=""),
    Column("reachable", Boolean, nullable=False, server_default="0"),
    # Left the roster (migration 0007): kept for the issues they handled, never routed to.
    Column("active", Boolean, nullable=False, server_default="1"),
)

# Roster rows without a Telegram id (migration 0007): they join by an invitation, and then
# become a row of `members`; the name is how a re-import finds them again.
pending_members = Table(
    "pending_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("sector", String(200), nullable=False, server_default=""),
    Column("expertise", Text, nullable=False, server_default=""),
    Column("grid_codes", Text, nullable=False, server_default=""),
    Column("active", Boolean, nullable=False, server_default="1"),
)

# Only the SHA-256 of a token is kept: a copy of the database opens no one's invitation.
invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column(
        "pending_id",
        ForeignKey("pending_members.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    Column("used_by", BigInteger),
    Column("revoked_at", UTCDateTime),
)

# The grid groups where the bot has seen a resident: a private /report goes to that grid.
resident_chats = Table(
    "resident_chats",
    metadata,
    Column("telegram_id", BigInteger, primary_key=True),
    Column("chat_id", BigInteger, primary_key=True),
    Column("seen_at", UTCDateTime, nullable=False),
)

member_grids = Table(
    "member_grids",
    metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("grid_id", ForeignKey("grids.id", ondelete="CASCADE"), primary_key=True),
)

# Moved by triggers (migration 0005) on every change of the three tables above; the
# roster cache (storage/roster_cache.py) reloads when it has moved.
roster_version = Table(
    "roster_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

issues = Table(
    "issues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("grid_id", ForeignKey("grids.id"), nullable=False),
    Column("category", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("urgent", Boolean, nullable=False, server_default="0"),
    Column("text", Text, nullable=False),
    Column("keywords", Text, nullable=False, server_default=""),
    Column("reporter_id", BigInteger, nullable=False),
    Column("reporter_name", String(200), nullable=False),
    Column("assignee_id", ForeignKey("members.id")),
    Column("chat_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger),
    Column("photo_file_id", String(256)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("created_at", UTCDateTime, nullable=False),
    Column("respond_by", UTCDateTime, nullable=False),
    Column("solve_by", UTCDateTime, nullable=False),
    Column("taken_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("rating", String(16)),
    Column("plan_date", String(10)),
    Column("department", String(200)),
    Column("merged_into", Integer),
    UniqueConstraint("chat_id", "message_id", name="uq_issues_chat_message"),
)
Index("ix_issues_grid_status", issues.c.grid_id, issues.c.status)
Index("ix_issues_assignee_status", issues.c.assignee_id, issues.c.status)
# The web app's overview (migration 0008): figures and trend read these, not the table.
_FIGURES = (issues.c.status, issues.c.taken_at, issues.c.respond_by, issues.c.resolved_at)
Index("ix_issues_created_figures", issues.c.created_at, issues.c.grid_id, *_FIGURES)
Index("ix_issues_grid_figures", issues.c.grid_id, issues.c.created_at, *_FIGURES)
Index("ix_issues_category_created", issues.c.category, issues.c.created_at)
Index(
    "ix_issues_status_limits", issues.c.status, issues.c.grid_id, issues.c.respond_by,
    issues.c.solve_by, issues.c.plan_date,
)  # fmt: skip

issue_events = Table(
    "issue_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", BigInteger),
    Column("actor_name", String(200), nullable=False, server_default=""),
    Column("action", String(32), nullable=False),
    Column("from_status", String(16)),
    Column("to_status", String(16)),
    Column("note", Text, nullable=False, server_default=""),
)
Index(
    "ix_issue_events_action_at", issue_events.c.action, issue_events.c.at, issue_events.c.issue_id
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("issue_id", Integer, index=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger),
    Column("reply_to_message_id", BigInteger),
    Column("text", Text, nullable=False),
    Column("buttons", Text),
    Column("fallback_chat_id", BigInteger),
    Column("fallback_thread_id", BigInteger),
    Column("fallback_text", Text),
    Column("priority", Integer, nullable=False, server_default="5"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("not_before", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("state", String(16), nullable=False, server_default="pending"),
    Column("sent_message_id", BigInteger),
    Column("sent_at", UTCDateTime),
    Column("error", Text),
    # A photo or document sent with `text` as its caption (migration 0002).
    Column("media_kind", String(16)),
    Column("media_name", String(200)),
    Column("media", LargeBinary),
    # A native poll (migration 0003): its JSON spec, and the poll id Telegram gave it.
    Column("poll", Text),
    Column("poll_id", String(64), index=True),
)
Index("ix_outbox_state_due", outbox.c.state, outbox.c.not_before)
# Finding the issue behind a bot message someone replied or reacted to (migration 0003).
Index("ix_outbox_chat_sent", outbox.c.chat_id, outbox.c.sent_message_id)

# A group message the bot asked its author about (登记为诉求 / 不用了), migration 0009:
# borderline ones in auto mode and every one in confirm mode, with how each ended.
intake_questions = Table(
    "intake_questions",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("message_id", BigInteger, primary_key=True),
    Column("grid_id", Integer, nullable=False, index=True),
    Column("user_id", BigInteger, nullable=False),
    Column("borderline", Boolean, nullable=False, server_default="0"),
    Column("asked_at", UTCDateTime, nullable=False),
    # NULL while open; then confirmed, declined or expired.
    Column("answer", String(16)),
    Column("answered_at", UTCDateTime),
)

chats = Table(
    "chats",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("title", String(256), nullable=False, server_default=""),
    Column("hinted_at", UTCDateTime),
    Column("greeted_at", UTCDateTime),
    # The supergroup this group became (migration 0007): owed posts go there instead.
    Column("moved_to", BigInteger),
)

updates = Table(
    "updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True),
    Column("received_at", UTCDateTime, nullable=False),
    # The raw JSON, kept until every handler has run: a crash in between replays it.
    Column("payload", Text),
    Column("processed_at", UTCDateTime),
    # The process handling it and until when: it renews the lease while the update waits
    # behind its chat or runs, so a sweep replays only updates nobody holds.
    Column("claimed_by", String(64)),
    Column("lease_until", UTCDateTime),
)
Index("ix_updates_unprocessed", updates.c.processed_at, updates.c.update_id)

# One row per scheduled job and period, claimed by INSERT before the work: the unique key is
# what keeps two bot processes (or a restart's catch-up) from running a period twice.
job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job", String(64), nullable=False),
    Column("period", String(64), nullable=False),
    Column("ran_at", UTCDateTime, nullable=False),
    UniqueConstraint("job", "period", name="uq_job_runs_job_period"),
)

# Reminders, hand-overs and escalations already done: each at most once per issue and kind.
issue_reminders = Table(
    "issue_reminders",
    metadata,
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)

# Time the clock stood still for an issue (migration 0008): waiting for the resident's answer
# (reason "ask", ending by `until` at the latest), a department or a plan date. At most one
# is open (ended_at NULL) per issue.
issue_pauses = Table(
    "issue_pauses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("reason", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("until", UTCDateTime),
    Column("ended_at", UTCDateTime),
    Column("ended_how", String(16)),
)

# Consultation (migration 0003). The primary key is what makes a resident a supporter once.
issue_supporters = Table(
    "issue_supporters",
    metadata,
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
    Column("telegram_id", BigInteger, primary_key=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("via", String(16), nullable=False),  # reply, reaction or duplicate
    Column("message_id", BigInteger),
    Column("at", UTCDateTime, nullable=False),
)

# Residents who opened a private chat with the bot (members are marked in `members`).
started_users = Table(
    "started_users",
    metadata,
    Column("telegram_id", BigInteger, primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("grid_id", ForeignKey("grids.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("place", String(200), nullable=False),
    Column("status", String(16), nullable=False, server_default="scheduled"),
    Column("created_by", BigInteger, nullable=False),
    Column("created_by_name", String(200), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    # The /consult message: Telegram re-delivering it must not schedule a second meeting.
    Column("source_chat_id", BigInteger, nullable=False),
    Column("source_message_id", BigInteger, nullable=False),
    Column("reminded_at", UTCDateTime),
    Column("minutes", Text),
    Column("minuted_by_name", String(200)),
    Column("minuted_at", UTCDateTime),
    UniqueConstraint("source_chat_id", "source_message_id", name="uq_meetings_source"),
    # Online consultations (migration 0006): kind `online`, the poll's options (JSON), the
    # end, and the outbox rows of its announcement and poll (replies to them are comments).
    Column("kind", String(16), nullable=False, server_default="meeting"),
    Column("options", Text),
    Column("ends_at", UTCDateTime),
    Column("announce_outbox_id", Integer),
    Column("poll_outbox_id", Integer),
)

meeting_issues = Table(
    "meeting_issues",
    metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
)

meeting_votes = Table(
    "meeting_votes",
    metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("telegram_id", BigInteger, primary_key=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("choice", Integer, nullable=False),  # the poll option: 参加, 不参加, 待定
    Column("at", UTCDateTime, nullable=False),
)

# Residents' replies to an online consultation (migration 0006); the source message is the
# key, so a re-delivered reply is stored once.
meeting_comments = Table(
    "meeting_comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("telegram_id", BigInteger, nullable=False),
    Column("name", String(200), nullable=False, server_default=""),
    Column("text", Text, nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("chat_id", "message_id", name="uq_meeting_comments_source"),
)

# Topics offered to coordinators: the key (kind, community, category, first issue) is what
# makes each offer exactly once; `last_issue_id` lets the next offer skip issues offered.
topic_offers = Table(
    "topic_offers",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("community", String(200), nullable=False, server_default=""),
    Column("category", String(64), nullable=False, server_default=""),
    Column("last_issue_id", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
