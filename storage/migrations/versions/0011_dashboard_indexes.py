"""dashboard indexes: the web app's overview and lists read narrow indexes, not the table

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FIGURES = ["grid_id", "status", "taken_at", "respond_by", "resolved_at"]


def upgrade() -> None:
    # The weekly trend (a range of creation times) and each grid's figures (grid by grid):
    # every column the rates need is in the index itself (storage/dashboard.py).
    op.create_index("ix_issues_created_figures", "issues", ["created_at", *FIGURES])
    op.create_index("ix_issues_grid_figures", "issues", ["grid_id", "created_at", *FIGURES[1:]])
    # Overdue issues: the open statuses, with the limits that make one late.
    op.create_index(
        "ix_issues_status_limits", "issues",
        ["status", "grid_id", "respond_by", "solve_by", "plan_date"],
    )  # fmt: skip
    # The issue list's commonest filter: one category over a period.
    op.create_index("ix_issues_category_created", "issues", ["category", "created_at"])
    # Verdicts given in a period.
    op.create_index("ix_issue_events_action_at", "issue_events", ["action", "at", "issue_id"])


def downgrade() -> None:
    op.drop_index("ix_issue_events_action_at", table_name="issue_events")
    op.drop_index("ix_issues_category_created", table_name="issues")
    op.drop_index("ix_issues_status_limits", table_name="issues")
    op.drop_index("ix_issues_grid_figures", table_name="issues")
    op.drop_index("ix_issues_created_figures", table_name="issues")
