"""roster version: a counter every change of grids or members moves, for the roster cache

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("grids", "members", "member_grids")
BUMP = "UPDATE roster_version SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "roster_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.execute(sa.text("INSERT INTO roster_version (id, version) VALUES (1, 0)"))
    # Triggers, not the storage code, move the counter: so does a change made by another
    # process (a roster import), a newer version's code, or an operator with a SQL shell.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_roster_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_roster_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_roster_version()"
            )
        return
    for table in TABLES:
        for change in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_roster_{change.lower()} AFTER {change} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_roster_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_roster_version()")
    else:
        for table in TABLES:
            for change in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_roster_{change}")
    op.drop_table("roster_version")
