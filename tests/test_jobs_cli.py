"""SPEC §4 `gridbot jobs run digest|reminders|spotcheck [--at ISO_TIME] [--grid CODE]`: runs
one job as if at that time and really delivers, through the Bot API, what it sends."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from handlers.cli import main
from handlers.cli.jobs import parse_at
from handlers.emulator.local import local_bot
from handlers.emulator.server import BotApiEmulator
from storage.store import open_store
from tests import cli
from tests.conftest import Clock
from tests.world import A01, A02, LI, PEOPLE, WANG, ZHANG, ZHAO, World


@dataclass
class Seeded:
    emu: BotApiEmulator
    env: dict[str, str]
    database_url: str


@pytest.fixture
async def seeded(database_url: str, clock: Clock) -> AsyncIterator[Seeded]:
    """A lamp reported to 李明 on Thursday 10:00; then the bot stops and the Bot API stays."""
    async with BotApiEmulator() as emu:
        for person in PEOPLE:
            emu.add_user(person.id, person.name)
            emu.start_private(person.id)
        emu.add_group(A01, "幸福里第一网格群")
        emu.add_group(A02, "幸福里第二网格群")
        async with local_bot(database_url, emu, clock=clock) as local:
            world = World(local)
            await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的"))
            await world.private(LI, "#1")
            await world.settle()
        env = {
            "GRIDBOT_DATABASE_URL": database_url,
            "GRIDBOT_TELEGRAM_API": emu.base_url,
            "TELEGRAM_BOT_TOKEN": emu.token,
        }
        yield Seeded(emu, env, database_url)


async def gridbot(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The command as an operator would run it, with only the settings given here."""
    inherited = {
        k: v for k, v in os.environ.items() if not k.startswith(("GRIDBOT_", "TELEGRAM_"))
    }
    ran = await cli.gridbot(*args, env={**inherited, **env}, only=True, timeout=120)
    return ran.code, ran.out, ran.err


def texts_to(emu: BotApiEmulator, chat: int) -> list[str]:
    return [s.text or "" for s in emu.sent if s.chat_id == chat]


async def test_jobs_run_digest_delivers_the_digest_as_of_the_given_time(seeded: Seeded) -> None:
    before = len(seeded.emu.sent)
    code, out, err = await gridbot(seeded.env, "jobs", "run", "digest", "--at", "2026-11-19T15:00")
    assert code == 0, err
    assert "digest:weekly 2026-W47" in out
    sent = seeded.emu.sent[before:]
    group = [s for s in sent if s.chat_id == A01]
    assert any("周报" in (s.text or "") and "本周新增 1 件" in (s.text or "") for s in group)
    [photo] = [s for s in group if s.method == "sendPhoto"]
    assert seeded.emu.file_bytes(photo.payload["photo"]["file_id"]).startswith(b"\x89PNG")
    assert any("召集人周报" in (s.text or "") for s in sent if s.chat_id == ZHAO.id)
    store = await open_store(seeded.database_url)
    try:  # the running bot will not send this week's digest again
        assert await store.jobs.ran("digest:weekly", "2026-W47")
    finally:
        await store.close()


async def test_jobs_run_reminders_hands_over_an_issue_not_taken_by_then(seeded: Seeded) -> None:
    args = ("jobs", "run", "reminders", "--at", "2026-11-20T10:30:00+08:00", "--grid", "A01")
    code, out, err = await gridbot(seeded.env, *args)
    assert code == 0, err
    assert "reminders:sweep" in out
    offers = [t for t in texts_to(seeded.emu, WANG.id) if "转派 #1" in t]
    assert len(offers) == 1 and "李明" in offers[0]


async def snapshot(database_url: str) -> tuple[object, ...]:
    """What a run could change: the outbox, the jobs that ran, the issues and their steps."""
    store = await open_store(database_url)
    try:
        return (
            await store.outbox.states_after(0), await store.jobs.ran("digest:weekly", "2026-W47"),
            await store.issues.get(1), await store.issues.events(1),
        )  # fmt: skip
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("job", "at", "shown"),
    [
        ("digest", "2026-11-19T15:00", "本周新增 1 件"),
        ("reminders", "2026-11-20T10:30:00+08:00", "转派 #1"),
        ("spotcheck", "2026-12-31T10:00", "抽查"),
    ],
)
async def test_dry_run_prints_what_would_be_sent_and_sends_and_changes_nothing(
    seeded: Seeded, job: str, at: str, shown: str
) -> None:
    before, sent = await snapshot(seeded.database_url), len(seeded.emu.sent)
    env = {k: v for k, v in seeded.env.items() if k != "TELEGRAM_BOT_TOKEN"}  # none needed
    code, out, err = await gridbot(env, "jobs", "run", job, "--at", at, "--dry-run")
    assert code == 0, err
    assert shown in out and "未发送" in out and "nothing sent" in out
    assert "INFO" not in out + err
    assert len(seeded.emu.sent) == sent
    assert await snapshot(seeded.database_url) == before


@pytest.mark.parametrize(
    "args",
    [
        ("jobs", "run", "nonsense"),
        ("jobs", "run"),
        ("jobs", "run", "digest", "--at", "yesterday"),
        ("jobs", "run", "digest", "--at", "2026-13-40T25:00"),
        ("jobs", "run", "spotcheck", "--grid", "NOPE"),
    ],
)
def test_bad_arguments_get_one_line_on_stderr_and_status_2(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("GRIDBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'gridbot.db'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:TEST")
    monkeypatch.setenv("GRIDBOT_TELEGRAM_API", "http://127.0.0.1:9/bot")  # nothing listens
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("gridbot: ") and err.count("\n") == 1, err


def test_a_time_without_offset_is_in_the_configured_timezone() -> None:
    shanghai = load_settings(env={})
    assert parse_at("2026-11-19T15:00", shanghai) == datetime(2026, 11, 19, 7, 0, tzinfo=UTC)
    assert parse_at("2026-11-19T15:00+00:00", shanghai) == datetime(2026, 11, 19, 15, tzinfo=UTC)
    berlin = load_settings(env={"GRIDBOT_TIMEZONE": "Europe/Berlin"})
    assert parse_at("2026-11-19T15:00", berlin) == datetime(2026, 11, 19, 14, 0, tzinfo=UTC)
