"""Issue 18: what residents write, understood — safety advice on urgent acknowledgements,
the borderline question, bundled acknowledgements that name people."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.intake.coalesce import bundle, family
from storage.records import OutgoingMessage, Priority
from tests.world import A01, LIU, ZHANG, ZHAO, World


async def test_urgent_gas_report_gets_safety_advice_and_coordinator_is_told(world: World) -> None:
    ack = await world.reply_to(world.say(ZHANG, "樓道裡的燃氣管被挖斷了，一直往外噴氣"))
    assert "紧急" in ack.text and "安全提示" in ack.text
    assert "开窗" in ack.text and "119" in ack.text and "勿开关电器" in ack.text
    assert "紧急" in (await world.private(ZHAO, "#1")).text


async def test_each_danger_gets_its_own_advice(world: World) -> None:
    cases = (
        ("电梯卡在两层中间，里面关着一个老人，快来人", "96333"),
        ("路边电线掉下来了，一直在冒火花", "95598"),
        ("广场上有个阿姨突然倒地不起，叫不醒", "120"),
    )
    for text, number in cases:
        ack = await world.reply_to(world.say(LIU, text))
        assert "安全提示" in ack.text and number in ack.text, (text, ack.text)


async def test_ordinary_problem_gets_no_safety_advice(world: World) -> None:
    ack = await world.reply_to(world.say(ZHANG, "3号楼门口的路灯坏了好几天了"))
    assert "已受理" in ack.text and "安全提示" not in ack.text


async def test_bundled_acknowledgement_mentions_each_reporter_with_their_words(
    world: World,
) -> None:
    for who, text in ((ZHANG, "/report 5号楼的垃圾三天没人收了"), (LIU, "/report 东门路灯不亮")):
        await world.reply_to(world.say(who, text))
    run = [
        OutgoingMessage(kind="ack", chat_id=A01, text="", issue_id=n,
                        created_at=world.services.clock())
        for n in (1, 2)
    ]  # fmt: skip
    text = (await bundle(world.services, run)).text
    first, second = text.splitlines()[1:3]
    assert f"tg://user?id={ZHANG.id}" in first and "5号楼的垃圾" in first and "#1" in first
    assert f"tg://user?id={LIU.id}" in second and "东门路灯不亮" in second and "#2" in second


def test_urgent_acknowledgement_is_never_bundled() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    ack = OutgoingMessage(
        kind="ack", chat_id=A01, text="", issue_id=1, created_at=at, priority=Priority.URGENT
    )
    assert family(ack) is None
