"""issue pauses: when an issue's clock stood still (asking the resident, a department, a plan)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)

# Issues waiting on a department or a plan date already wait: their pause began when they
# last entered that status, so leaving it moves their deadlines on as before.
BACKFILL = """
INSERT INTO issue_pauses (issue_id, reason, started_at)
SELECT issues.id, issues.status, MAX(issue_events.at)
FROM issues JOIN issue_events ON issue_events.issue_id = issues.id
WHERE issues.status IN ('planned', 'escalated') AND issue_events.to_status = issues.status
GROUP BY issues.id, issues.status
"""


def upgrade() -> None:
    op.create_table(
        "issue_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("until", UTC_TIME, nullable=True),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.Column("ended_how", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_issue_pauses_issue_id_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_pauses")),
    )
    op.create_index(op.f("ix_issue_pauses_issue_id"), "issue_pauses", ["issue_id"], unique=False)
    op.execute(sa.text(BACKFILL))


def downgrade() -> None:
    op.drop_index(op.f("ix_issue_pauses_issue_id"), table_name="issue_pauses")
    op.drop_table("issue_pauses")
