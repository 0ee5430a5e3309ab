"""What a start asks of Telegram before the first poll: nothing it does not need. A webhook
left behind by an earlier `gridbot run --webhook` is deleted when getUpdates says it is
there, not by a deleteWebhook before every start (a round trip of each cold start)."""

from __future__ import annotations

from typing import Any

from handlers.emulator.local import local_bot
from handlers.emulator.server import BotApiEmulator
from tests.world import A01, PEOPLE, ZHANG, World

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
