"""What a start asks of Telegram before the first poll: nothing it does not need. A webhook
left behind by an earlier `gridbot run --webhook` is deleted when getUpdates says it is
there, not by a deleteWebhook before every start (a round trip of each cold start). The
classifier is built after the first getUpdates; what arrives meanwhile waits for it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import bot.classify.shared
from bot.classify.classifier import Classifier
from bot.classify.taxonomy import Taxonomy, TaxonomyError
from bot.config import load_settings
from handlers.cli.serve import serve
from handlers.emulator.local import local_bot
from handlers.emulator.server import BotApiEmulator
from tests.world import A01, PEOPLE, ZHANG, World, grid_world

ROOT = Path(__file__).resolve().parents[1]

REPORT = "/report 3号楼门口路灯坏了好几天"


async def test_a_webhook_left_set_is_deleted_once_and_polling_goes_on(
    database_url: str, clock: Any
) -> None:
    async with BotApiEmulator(clock=lambda: clock().timestamp()) as emu:
        for person in PEOPLE:
            emu.add_user(person.id, person.name)
        emu.add_group(A01, "幸福里第一网格群")
        emu.webhook = {"url": "https://bot.example.org/telegram", "secret_token": None}
        async with local_bot(database_url, emu, clock=clock) as local:
            world = World(local)
            ack = await world.reply_to(world.say(ZHANG, REPORT))
            await world.settle()
        assert "#1" in (ack.text or "")
        assert emu.webhook["url"] == ""
        assert [name for name, _ in emu.calls].count("deleteWebhook") == 1


async def test_without_a_webhook_no_delete_webhook_is_asked_for(world: Any) -> None:
    await world.reply_to(world.say(ZHANG, REPORT))
    names = [name for name, _ in world.emu.calls]
    assert names[0] == "getMe" and "getUpdates" in names
    assert "deleteWebhook" not in names


class WatchedBuild:
    """Stands in for shared_classifier: notes how many getUpdates the emulator had been
    asked when the build began, and holds the build until `release`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, held: bool = False) -> None:
        self.polls_before: list[int] = []
        self.emu: BotApiEmulator | None = None
        self.release = threading.Event()
        if not held:
            self.release.set()
        self._build = bot.classify.shared.shared_classifier
        monkeypatch.setattr(bot.classify.shared, "shared_classifier", self)

    def __call__(self, path: str | Path | None = None) -> tuple[Taxonomy, Classifier]:
        calls = self.emu.calls if self.emu is not None else []
        self.polls_before.append(sum(name == "getUpdates" for name, _ in calls))
        self.release.wait(10)  # a failing test must not leave the worker thread hanging
        return self._build(path)


async def test_the_classifier_is_built_only_after_the_first_get_updates(
    database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = WatchedBuild(monkeypatch)
    async with BotApiEmulator(clock=lambda: clock().timestamp()) as emu:
        build.emu = emu
        async with local_bot(database_url, emu, clock=clock) as local:
            await local.services.classifying.ready()
    assert len(build.polls_before) == 1
    assert build.polls_before[0] >= 1


async def test_a_report_arriving_while_the_classifier_is_built_is_answered(
    database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = WatchedBuild(monkeypatch, held=True)
    async with grid_world(database_url, clock) as world:
        message = world.say(ZHANG, REPORT)
        # Taken in (stored, and so confirmed by the next getUpdates), but not answered yet.
        for _ in range(500):
            if not world.emu.unconfirmed():
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        assert not world.emu.unconfirmed()
        assert not [s for s in world.emu.sent if s.chat_id == A01]
        build.release.set()
        ack = await world.reply_to(message)
    assert build.polls_before and "#1" in (ack.text or "")


async def test_a_taxonomy_that_cannot_be_built_still_stops_the_bot_with_its_error(
    database_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "taxonomy.toml"
    broken.write_text("[[category]\nname = ", encoding="utf-8")
    async with BotApiEmulator() as emu:
        settings = load_settings(
            env={"GRIDBOT_DATABASE_URL": database_url, "GRIDBOT_TELEGRAM_API": emu.base_url,
                 "TELEGRAM_BOT_TOKEN": emu.token, "GRIDBOT_TAXONOMY": str(broken)}
        )  # fmt: skip
        with pytest.raises(TaxonomyError):
            await asyncio.wait_for(serve(settings, emu.token), 30)
        assert "getUpdates" in [name for name, _ in emu.calls]


def test_gridbot_run_starts_without_sqlalchemys_orm_and_the_orm_still_imports() -> None:
    script = (
        "import sys; from handlers.cli import build_parser; build_parser(['run']);"
        "print('sqlalchemy.orm' in sys.modules);"
        "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine;"
        "print(AsyncSession.__module__, 'sqlalchemy.orm' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["False", "sqlalchemy.ext.asyncio.session", "True"]
