"""Issue 7: `gridbot doctor` says what is wrong in one line per check; `gridbot backup`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.grids.roster import import_roster
from handlers.emulator.local import DEMO_ROSTER
from handlers.emulator.server import BotApiEmulator
from storage.store import open_store
from tests.cli import gridbot


async def _roster(url: str, reachable: bool) -> None:
    store = await open_store(url)
    await import_roster(store, sorted(DEMO_ROSTER.glob("*.csv")))
    if reachable:
        for member in await store.members.all():
            await store.members.set_reachable(member.telegram_id, True)
    await store.close()


def _env(emu: BotApiEmulator, url: str, token: str | None = None) -> dict[str, str]:
    return {
        "GRIDBOT_DATABASE_URL": url,
        "GRIDBOT_TELEGRAM_API": emu.base_url,
        "TELEGRAM_BOT_TOKEN": token or emu.token,
    }


async def test_doctor_passes_on_a_healthy_setup(database_url: str) -> None:
    await _roster(database_url, reachable=True)
    async with BotApiEmulator() as emu:
        emu.add_group(-1001000000001, "幸福里第一网格群")
        ran = await gridbot("doctor", env=_env(emu, database_url))
    assert ran.code == 0, ran.out
    assert "ok   token: valid" in ran.out and "privacy mode: off" in ran.out
    assert "grid A01: group -1001000000001 reachable" in ran.out


async def test_doctor_flags_privacy_mode_and_silent_members(database_url: str) -> None:
    await _roster(database_url, reachable=False)
    async with BotApiEmulator(can_read_all_group_messages=False) as emu:
        ran = await gridbot("doctor", env=_env(emu, database_url))
    assert ran.code == 1
    assert "FAIL privacy mode: on" in ran.out
    assert "FAIL members who never started the bot" in ran.out and "李明" in ran.out
    assert "FAIL grid A01" in ran.out  # the group does not exist on this server


async def test_doctor_flags_a_wrong_token_without_printing_it(database_url: str) -> None:
    async with BotApiEmulator() as emu:
        ran = await gridbot("doctor", env=_env(emu, database_url, token="999:WRONG-TOKEN"))
    assert ran.code == 1 and "FAIL token: rejected" in ran.out
    assert "WRONG-TOKEN" not in ran.out + ran.err and "Traceback" not in ran.err


async def test_doctor_checks_the_token_format_before_asking_telegram(database_url: str) -> None:
    await _roster(database_url, reachable=True)
    for token, says in (("bot123456:TEST-TOKEN", "starts with 'bot'"),
                        ("123456 TEST-TOKEN", "has spaces or quotes"),
                        ("123456TEST-TOKEN", "is not of the form")):  # fmt: skip
        async with BotApiEmulator() as emu:
            ran = await gridbot("doctor", env=_env(emu, database_url, token=token))
            assert not [name for name, _ in emu.calls if name == "getMe"]
        assert ran.code == 1 and f"FAIL token: TELEGRAM_BOT_TOKEN {says}" in ran.out
        assert "TEST-TOKEN" not in ran.out


async def test_doctor_says_plainly_when_there_are_no_grids_or_members(database_url: str) -> None:
    await (await open_store(database_url)).close()  # migrated, but empty
    async with BotApiEmulator() as emu:
        ran = await gridbot("doctor", env=_env(emu, database_url))
    assert ran.code == 1
    assert "FAIL grids: none (import a roster: gridbot roster import FILE)" in ran.out
    assert "FAIL members: none" in ran.out


async def test_doctor_never_creates_or_migrates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    async with BotApiEmulator() as emu:
        ran = await gridbot("doctor", env=_env(emu, f"sqlite:///{missing}"))
        assert ran.code == 1 and "does not exist yet" in ran.out
        assert not missing.exists()
        old = tmp_path / "old.db"
        with sqlite3.connect(old) as made:  # a database some older gridbot left
            made.execute("create table alembic_version (version_num text)")
            made.execute("insert into alembic_version values ('0005')")
        ran = await gridbot("doctor", env=_env(emu, f"sqlite:///{old}"))
    assert ran.code == 1 and "schema at 0005" in ran.out
    tables = sqlite3.connect(old).execute("select name from sqlite_master").fetchall()
    assert tables == [("alembic_version",)]


async def test_backup_copies_a_live_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    await _roster(url, reachable=False)
    ran = await gridbot("backup", str(tmp_path / "copy.db"), env={"GRIDBOT_DATABASE_URL": url})
    assert ran.code == 0, ran.err
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("select count(*) from members").fetchone() == (4,)
    again = await gridbot("backup", str(tmp_path / "copy.db"), env={"GRIDBOT_DATABASE_URL": url})
    assert again.code == 2 and "exists already" in again.err
