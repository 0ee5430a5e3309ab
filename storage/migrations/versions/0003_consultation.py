"""consultation: supporters, meetings with votes, topic offers, polls in the outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def _issue_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["issue_id"], ["issues.id"], name=op.f(f"fk_{table}_issue_id_issues"), ondelete="CASCADE"
    )


def _meeting_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["meeting_id"], ["meetings.id"], name=op.f(f"fk_{table}_meeting_id_meetings"),
        ondelete="CASCADE",
    )  # fmt: skip


def _supporters_and_starts() -> None:
    op.create_table(
        "issue_supporters",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        _issue_fk("issue_supporters"),
        sa.PrimaryKeyConstraint("issue_id", "telegram_id", name=op.f("pk_issue_supporters")),
    )
    op.create_table(
        "started_users",
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", name=op.f("pk_started_users")),
    )


def _meetings() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", UTC_TIME, nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="scheduled", nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_by_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source_message_id", sa.BigInteger(), nullable=False),
        sa.Column("reminded_at", UTC_TIME, nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("minuted_by_name", sa.String(length=200), nullable=True),
        sa.Column("minuted_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(["grid_id"], ["grids.id"], name=op.f("fk_meetings_grid_id_grids")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("source_chat_id", "source_message_id", name="uq_meetings_source"),
    )
    op.create_index(op.f("ix_meetings_grid_id"), "meetings", ["grid_id"], unique=False)
    op.create_table(
        "meeting_issues",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        _meeting_fk("meeting_issues"),
        _issue_fk("meeting_issues"),
        sa.PrimaryKeyConstraint("meeting_id", "issue_id", name=op.f("pk_meeting_issues")),
    )
    op.create_table(
        "meeting_votes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        _meeting_fk("meeting_votes"),
        sa.PrimaryKeyConstraint("meeting_id", "telegram_id", name=op.f("pk_meeting_votes")),
    )


def _topic_offers() -> None:
    op.create_table(
        "topic_offers",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("community", sa.String(length=200), server_default="", nullable=False),
        sa.Column("category", sa.String(length=64), server_default="", nullable=False),
        sa.Column("last_issue_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_topic_offers")),
    )


def upgrade() -> None:
    # Only new tables and nullable columns: every row already stored keeps its meaning.
    _supporters_and_starts()
    _meetings()
    _topic_offers()
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poll", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("poll_id", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_poll_id"), ["poll_id"], unique=False)
        batch_op.create_index("ix_outbox_chat_sent", ["chat_id", "sent_message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_chat_sent")
        batch_op.drop_index(batch_op.f("ix_outbox_poll_id"))
        batch_op.drop_column("poll_id")
        batch_op.drop_column("poll")
    op.drop_table("topic_offers")
    op.drop_table("meeting_votes")
    op.drop_table("meeting_issues")
    op.drop_index(op.f("ix_meetings_grid_id"), table_name="meetings")
    op.drop_table("meetings")
    op.drop_table("started_users")
    op.drop_table("issue_supporters")
