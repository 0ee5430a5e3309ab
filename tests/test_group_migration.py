"""Issue 17: a group upgraded to a supergroup (a new chat id) keeps working: the binding and
owed posts move to the new id, nothing is lost, and the old id is not tried again."""

from __future__ import annotations

from tests.world import A01, LI, LIU, ZHANG, ZHAO, World

SUPER = -1001000000777  # the id Telegram gives the upgraded group
LAMP = "3号楼门口的路灯坏了好几天了"


async def test_migrated_group_keeps_working_under_its_new_id(world: World) -> None:
    await world.reply_to(world.say(ZHANG, LAMP))
    world.emu.migrate_group(A01, SUPER, ZHAO.id)
    await world.settle()
    grid = await world.store.grids.by_code("A01")
    assert grid is not None and grid.chat_id == SUPER
    message = world.say(LIU, "2号楼前面的人行道地砖坏了一大片", chat=SUPER)
    ack = await world.reply_to(message)
    assert "#2" in ack.text  # not "this group is not bound"
    world.say(LI, "/take 1", chat=LI.id)
    post = await world.in_group(SUPER, "已认领")
    assert "#1" in post.text


async def test_posts_owed_to_the_old_id_follow_chat_migrated(world: World) -> None:
    await world.reply_to(world.say(ZHANG, LAMP))
    # Telegram says nothing this time: the first send to the old id learns it.
    world.emu.migrate_group(A01, SUPER, ZHAO.id, notify=False)
    world.say(LI, "/take 1", chat=LI.id)
    post = await world.in_group(SUPER, "已认领")
    assert "#1" in post.text
    world.say(LI, "/progress 1 已联系电工", chat=LI.id)
    await world.in_group(SUPER, "已联系电工")
    await world.settle()
    refused = [r for r in world.emu.refused if r[1] == A01]
    assert len(refused) == 1  # the old id was tried once, then never again
    rows = await world.store.outbox.all()
    assert all(state == "sent" for _, state in rows)
    grid = await world.store.grids.by_code("A01")
    assert grid is not None and grid.chat_id == SUPER
