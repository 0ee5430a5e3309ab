"""invitations and leaving: members not yet joined, single-use invitation tokens (hashed),
inactive members, and the groups where residents were seen

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)
BUMP = "UPDATE roster_version SET version = version + 1 WHERE id = 1"
# A whole roster import is thousands of statements in one transaction: it says so with this
# setting and moves the version once at its end (storage/enrolment.py), rather than each
# statement rewriting the one counter row (12 s of a 10,000-member import on PostgreSQL).
BULK_AWARE = (
    "CREATE OR REPLACE FUNCTION bump_roster_version() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN IF coalesce(current_setting('gridbot.roster_bulk', true), '') <> 'on' THEN "
    f"{BUMP}; END IF; RETURN NULL; END $$"
)
PLAIN = (
    "CREATE OR REPLACE FUNCTION bump_roster_version() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BULK_AWARE)
    # ADD COLUMN with a default: SQLite alters in place, so the roster triggers of 0005 stay.
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), server_default="1", nullable=False))
    # A group upgraded to a supergroup (Telegram gives it a new id): where it went.
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("moved_to", sa.BigInteger(), nullable=True))
    op.create_table(
        "pending_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("sector", sa.String(length=200), server_default="", nullable=False),
        sa.Column("expertise", sa.Text(), server_default="", nullable=False),
        sa.Column("grid_codes", sa.Text(), server_default="", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_members")),
        sa.UniqueConstraint("name", name=op.f("uq_pending_members_name")),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("pending_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("used_at", UTC_TIME, nullable=True),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        sa.Column("revoked_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["pending_id"],
            ["pending_members.id"],
            name=op.f("fk_invitations_pending_id_pending_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_pending_id"), "invitations", ["pending_id"], unique=False)
    op.create_table(
        "resident_chats",
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", "chat_id", name=op.f("pk_resident_chats")),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PLAIN)
    op.drop_table("resident_chats")
    op.drop_index(op.f("ix_invitations_pending_id"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_table("pending_members")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("moved_to")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("active")
