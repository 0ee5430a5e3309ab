"""Schema migrations: a database made by revision 0001 upgrades to the newest without loss."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.database import Database, alembic_config
from storage.records import OutgoingMessage
from storage.store import Store

AT = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)


def _to_0001(connection: Connection) -> None:
    from alembic.runtime.migration import MigrationContext

    config = alembic_config(connection)
    if MigrationContext.configure(connection).get_current_revision() is None:
        command.upgrade(config, "0001")
    else:  # the PostgreSQL fixture is a copy of a migrated template: go back down
        command.downgrade(config, "0001")


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def test_database_of_revision_0001_upgrades_keeping_its_rows(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_to_0001)
            await conn.execute(
                text("INSERT INTO grids (code, name) VALUES ('A01', '幸福里第一网格')")
            )
            # An owed message as 0001 stored it: it must still be sent after the upgrade.
            await conn.execute(
                text(
                    "INSERT INTO outbox (kind, chat_id, text, created_at, not_before) "
                    "VALUES ('ack', -100, '✅ 已受理 #1', :at, :at)"
                ),
                {"at": AT.replace(tzinfo=None) if db.dialect == "sqlite" else AT},
            )
        assert await db.revision() == "0001"
        await db.migrate()
        assert await db.revision() == _head()
        store = Store(db)
        assert [g.code for g in await store.grids.all()] == ["A01"]
        [(message, state)] = await store.outbox.all()
        assert (message.text, message.media_kind, message.media, state) == (
            "✅ 已受理 #1", None, None, "pending"
        )  # fmt: skip
        assert await store.jobs.claim("digest:weekly", "2026-W47", AT)
        assert not await store.jobs.claim("digest:weekly", "2026-W47", AT)
    finally:
        await db.close()


async def test_outbox_keeps_a_photo_until_it_is_sent(database_url: str) -> None:
    db = Database(database_url)
    try:
        await db.migrate()
        store = Store(db)
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
        photo = OutgoingMessage(
            kind="digest_chart", chat_id=-100, text="图表", created_at=AT, media_kind="photo",
            media_name="digest.png", media=png,
        )  # fmt: skip
        await store.outbox.add([photo])
        [due] = await store.outbox.due(AT)
        assert (due.media_kind, due.media_name, due.media) == ("photo", "digest.png", png)
        assert due.id is not None
        await store.outbox.mark_sent(due.id, 42, AT)
        [(sent, state)] = await store.outbox.all()
        assert state == "sent" and sent.media is None  # Telegram has it now
    finally:
        await db.close()


def _to_0007(connection: Connection) -> None:
    command.downgrade(alembic_config(connection), "0007")


async def test_issues_waiting_when_pauses_arrive_get_their_pause_from_the_timeline(
    database_url: str,
) -> None:
    """Migration 0008: an issue planned or escalated before pauses were stored waits from
    its last step into that status, so leaving it still moves its deadlines on."""
    from datetime import timedelta

    from storage.records import IssueChange, IssueDraft, IssueEvent

    db = Database(database_url)
    try:
        await db.migrate()
        async with db.engine.begin() as conn:
            await conn.run_sync(_to_0007)
        store = Store(db)
        await store.grids.save("A01", "幸福里第一网格", "", "", "", -100)
        grid = await store.grids.by_code("A01")
        assert grid is not None
        for number, status in ((1, "escalated"), (2, "taken")):
            draft = IssueDraft(
                grid_id=grid.id, category="市政设施", status="new", urgent=False, text="路灯",
                keywords=(), reporter_id=1, reporter_name="张阿姨", assignee_id=None,
                chat_id=-100, message_id=number, thread_id=None, created_at=AT,
                respond_by=AT + timedelta(days=1), solve_by=AT + timedelta(days=7),
            )  # fmt: skip
            issue = await store.issues.create(draft, IssueEvent(0, AT, "created"), lambda i: [])
            assert issue is not None
            step = IssueEvent(issue.id, AT + timedelta(hours=number), "escalate",
                              from_status="new", to_status=status)  # fmt: skip
            await store.issues.change(
                issue.id, "new", IssueChange(status=status), step, lambda i: []
            )
        await db.migrate()
        assert await db.revision() == _head()
        [pause] = await store.pauses.of_issue(1)
        assert (pause.reason, pause.started_at, pause.ended_at) == (
            "escalated", AT + timedelta(hours=1), None
        )  # fmt: skip
        assert await store.pauses.of_issue(2) == []
    finally:
        await db.close()


def test_the_head_read_from_the_migration_files_is_alembics_head() -> None:
    from storage.revisions import script_head

    assert script_head() == _head()


def test_two_heads_or_a_file_written_otherwise_leave_the_head_unknown(tmp_path: Path) -> None:
    from storage.revisions import script_head

    one = 'revision = "0001"\ndown_revision = None\n'
    (tmp_path / "0001_a.py").write_text(one, encoding="utf-8")
    (tmp_path / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    assert script_head(tmp_path) == "0002"
    (tmp_path / "0003_c.py").write_text('revision = "0003"\ndown_revision = "0001"\n')
    assert script_head(tmp_path) is None  # two heads: Alembic decides
    (tmp_path / "0003_c.py").write_text('revision = make_id()\ndown_revision = "0002"\n')
    assert script_head(tmp_path) is None


async def test_a_database_at_the_newest_revision_starts_without_running_alembic(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(database_url)
    try:
        await db.migrate()
        assert await db.at_head()

        def upgrade(connection: Connection) -> None:
            raise AssertionError("Alembic ran on a database already at the head")

        monkeypatch.setattr("storage.database._upgrade", upgrade)
        await db.migrate()
        assert await db.revision() == _head()
    finally:
        await db.close()


async def test_a_database_behind_the_head_is_still_upgraded(database_url: str) -> None:
    db = Database(database_url)
    try:
        await db.migrate()
        async with db.engine.begin() as conn:
            await conn.run_sync(_to_0007)
        assert not await db.at_head()
        await db.migrate()
        assert await db.revision() == _head() and await db.at_head()
    finally:
        await db.close()
