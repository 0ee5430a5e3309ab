"""schedules and media: job runs, per-issue reminders, photos and documents in the outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only nullable columns are added, so rows already in the outbox keep their meaning.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("media_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("media_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("media", sa.LargeBinary(), nullable=True))
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "period", name="uq_job_runs_job_period"),
    )
    op.create_table(
        "issue_reminders",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_issue_reminders_issue_id_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("issue_id", "kind", name=op.f("pk_issue_reminders")),
    )


def downgrade() -> None:
    op.drop_table("issue_reminders")
    op.drop_table("job_runs")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("media")
        batch_op.drop_column("media_name")
        batch_op.drop_column("media_kind")
