"""Issue 18: what residents write, understood — safety advice on urgent acknowledgements,
the borderline question, bundled acknowledgements that name people."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.classify.classifier import Classification
from bot.intake.coalesce import bundle, family
from handlers.emulator.server import SentMessage
from storage.records import OutgoingMessage, Priority
from tests.conftest import Clock
from tests.schedules import run_job
from tests.world import A01, LI, LIU, ZHANG, ZHAO, World


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


BORDERLINE = "今天3号楼停水了"  # a cut named, no state nor complaint: evidence 1.2


async def borderline_question(world: World) -> tuple[dict[str, Any], SentMessage]:
    message = world.say(ZHANG, BORDERLINE)
    question = await world.reply_to(message)
    labels = [b["text"] for row in question.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["登记为诉求", "不用了"] and "要登记为诉求吗" in question.text
    assert await world.store.issues.count() == 0
    return message, question


async def test_borderline_message_asks_its_author_and_only_the_author_counts(
    world: World,
) -> None:
    message, question = await borderline_question(world)
    data = f"confirm:{message['message_id']}"
    world.emu.press_button(A01, question.message_id, LIU.id, data)
    await world.settle()
    assert "只有发消息的居民" in world.emu.callback_answers[-1]["text"]
    assert await world.store.issues.count() == 0
    world.emu.press_button(A01, question.message_id, ZHANG.id, data)
    ack = await world.in_group(A01, "已受理 #1")
    assert ack.reply_to_message_id == message["message_id"]
    assert (A01, question.message_id) in world.emu.deleted


async def test_borderline_declined_registers_nothing_and_is_counted(world: World) -> None:
    message, question = await borderline_question(world)
    world.emu.press_button(A01, question.message_id, ZHANG.id, f"decline:{message['message_id']}")
    await world.settle()
    assert await world.store.issues.count() == 0
    assert (A01, question.message_id) in world.emu.deleted
    stats = await world.reply_to(world.say(LI, "/stats"))
    assert "问过居民是否登记 1 次" in stats.text and "不用了 1" in stats.text


async def test_unanswered_question_is_taken_down_after_a_while(world: World, clock: Clock) -> None:
    _, question = await borderline_question(world)
    await run_job(world, "intake:questions")
    assert not _edits_of(world, question.message_id)  # not yet
    clock.advance(minutes=31)
    await run_job(world, "intake:questions")
    (edit,) = _edits_of(world, question.message_id)
    assert "没有登记" in edit["text"] and not edit.get("reply_markup")
    stats = await world.reply_to(world.say(LI, "/stats"))
    assert "未答撤下 1" in stats.text


async def test_grid_workers_notice_is_not_registered(world: World) -> None:
    notice = "3号楼水管爆了，维修中"
    assert services_classify(world, notice).is_problem  # from a resident, it would count
    world.say(LI, notice)
    world.say(ZHANG, "3号楼门口的路灯坏了好几天了")
    await world.in_group(A01, "已受理 #1")
    assert (await world.issue(1)).reporter_id == ZHANG.id
    assert await world.store.issues.count() == 1


def services_classify(world: World, text: str) -> Classification:
    return world.services.classifier.classify(text)


def _edits_of(world: World, message_id: int) -> list[dict[str, Any]]:
    return [e for e in world.emu.edits if e.get("message_id") == message_id]
