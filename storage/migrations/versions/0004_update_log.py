"""update log: raw updates kept until handled, so nothing is lost on a crash

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("updates") as batch:
        batch.add_column(sa.Column("payload", sa.Text(), nullable=True))
        batch.add_column(sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True))
    # Updates taken in before this version were handled at once; none is owed.
    op.execute(sa.text("UPDATE updates SET processed_at = received_at"))
    op.create_index("ix_updates_unprocessed", "updates", ["processed_at", "update_id"])


def downgrade() -> None:
    op.drop_index("ix_updates_unprocessed", table_name="updates")
    with op.batch_alter_table("updates") as batch:
        batch.drop_column("processed_at")
        batch.drop_column("payload")
