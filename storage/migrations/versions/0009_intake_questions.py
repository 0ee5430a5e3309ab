"""intake questions: group messages the author was asked about, and how each ended

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intake_questions",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("borderline", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("asked_at", UTC_TIME, nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_intake_questions")),
    )
    op.create_index(
        op.f("ix_intake_questions_grid_id"), "intake_questions", ["grid_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_intake_questions_grid_id"), table_name="intake_questions")
    op.drop_table("intake_questions")
