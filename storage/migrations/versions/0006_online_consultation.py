"""online consultation: meetings of kind `online` with options and an end, and comments

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # A new column with a default and nullable ones: every meeting stored keeps its meaning.
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), server_default="meeting", nullable=False)
        )
        batch.add_column(sa.Column("options", sa.Text(), nullable=True))
        batch.add_column(sa.Column("ends_at", UTC_TIME, nullable=True))
        batch.add_column(sa.Column("announce_outbox_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("poll_outbox_id", sa.Integer(), nullable=True))
    op.create_table(
        "meeting_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_comments_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_comments")),
        sa.UniqueConstraint("chat_id", "message_id", name="uq_meeting_comments_source"),
    )
    op.create_index(
        op.f("ix_meeting_comments_meeting_id"), "meeting_comments", ["meeting_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_comments_meeting_id"), table_name="meeting_comments")
    op.drop_table("meeting_comments")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("poll_outbox_id")
        batch.drop_column("announce_outbox_id")
        batch.drop_column("ends_at")
        batch.drop_column("options")
        batch.drop_column("kind")
