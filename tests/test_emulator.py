"""The Bot API emulator, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from handlers.emulator.server import BotApiEmulator
from handlers.emulator.world import TINY_PNG

TOKEN = "123456:TEST-TOKEN"
GROUP = -1001001
RESIDENT, MEMBER = 1001, 2002


def _world(emu: BotApiEmulator) -> None:
    emu.add_user(RESIDENT, "张阿姨", username="zhang_ayi")
    emu.add_user(MEMBER, "李委员")
    emu.add_group(GROUP, "网格群 A01")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as emulator:
        _world(emulator)
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


async def _next_update(bot: Bot) -> Update:
    updates = await bot.get_updates(timeout=1)
    assert updates, "expected an update"
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)  # confirm
    return updates[-1]


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "gridbot_test_bot"
    assert me.can_read_all_group_messages is True
    assert me.can_join_groups is True


async def test_application_polls_and_replies(emu: BotApiEmulator) -> None:
    async def acknowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"已受理 #1 {update.effective_message.text}")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, acknowledge))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=dtm.timedelta(seconds=1))
        posted = emu.post_message(GROUP, RESIDENT, "路灯坏了")
        sent = await emu.wait_for(lambda m: m.chat_id == GROUP and "#1" in m.text)
        await emu.wait_idle(quiet=0.1)
        await app.updater.stop()
        await app.stop()
    assert sent.reply_to_message_id == posted["message_id"]
    assert sent.message_id == posted["message_id"] + 1  # one id sequence per chat
    assert [m.text for m in emu.messages_in(GROUP)] == ["已受理 #1 路灯坏了"]
    assert "[网格群 A01] 张阿姨: 路灯坏了" in emu.transcript
    assert "[网格群 A01] 🤖 gridbot (↩ 张阿姨): 已受理 #1 路灯坏了" in emu.transcript


async def test_entities_use_utf16_offsets(emu: BotApiEmulator, bot: Bot) -> None:
    text = "/report@gridbot_test_bot 😀路灯坏了👍 #诉求 找 @zhang_ayi 看看 #12"
    emu.post_message(GROUP, RESIDENT, text)
    message = (await _next_update(bot)).message
    assert message is not None
    found = {e.type: value for e, value in message.parse_entities().items()}
    assert found == {
        "bot_command": "/report@gridbot_test_bot",
        "hashtag": "#诉求",
        "mention": "@zhang_ayi",
    }


async def test_reply_embeds_the_replied_message(emu: BotApiEmulator, bot: Bot) -> None:
    first = emu.post_message(GROUP, RESIDENT, "井盖丢了", thread_id=None)
    emu.post_message(GROUP, MEMBER, "+1", reply_to=first["message_id"])
    updates = await bot.get_updates(timeout=0)
    reply = updates[-1].message
    assert reply is not None and reply.reply_to_message is not None
    assert reply.reply_to_message.text == "井盖丢了"


async def test_private_needs_start_and_respects_block(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(Forbidden, match=r"(?i)can.t initiate conversation"):
        await bot.send_message(MEMBER, "新诉求 #1")
    emu.start_private(MEMBER)
    sent = await bot.send_message(MEMBER, "新诉求 #1")
    assert sent.chat.type == "private"
    assert emu.sent[-1].chat_id == MEMBER
    emu.block_bot(MEMBER)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(MEMBER, "提醒")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "谁")


async def test_fail_next_gives_retry_after(emu: BotApiEmulator, bot: Bot) -> None:
    emu.fail_next("sendMessage", retry_after=2, chat_id=GROUP)
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP, "第一次")
    await bot.send_message(GROUP, "第二次")
    assert [m.text for m in emu.sent] == ["第二次"]
    assert emu.too_many_requests == 1
    emu.fail_next("sendMessage", status=502, retry_after=None)
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "第三次")


async def test_drop_next_closes_the_connection(emu: BotApiEmulator, bot: Bot) -> None:
    emu.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "丢了")
    emu.drop_next("sendMessage", processed=True)
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "发出了但没回音")
    assert [m.text for m in emu.sent] == ["发出了但没回音"]


async def test_enforce_limits_per_group(emu: BotApiEmulator, bot: Bot) -> None:
    emu.enforce_limits = True
    for i in range(20):
        await bot.send_message(GROUP, f"通知 {i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP, "第 21 条")
    assert emu.too_many_requests == 1
    assert len(emu.messages_in(GROUP)) == 20


async def test_callback_query_answer_and_edit(emu: BotApiEmulator, bot: Bot) -> None:
    buttons = [[InlineKeyboardButton("满意", callback_data="rate:1:good")]]
    sent = await bot.send_message(
        GROUP, "#1 已解决，请评价", reply_markup=InlineKeyboardMarkup(buttons)
    )
    query_id = emu.press_button(GROUP, sent.message_id, RESIDENT, "rate:1:good")
    update = await _next_update(bot)
    assert update.callback_query is not None
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "rate:1:good"
    assert update.callback_query.from_user.id == RESIDENT
    await update.callback_query.answer("谢谢评价")
    assert emu.callback_answers[-1]["text"] == "谢谢评价"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.callback_query.answer("again")
    edited = await bot.edit_message_text("#1 已办结（满意）", GROUP, sent.message_id)
    assert isinstance(edited, Message) and edited.reply_markup is None
    assert emu.edits[-1]["text"] == "#1 已办结（满意）"
    assert emu.buttons(GROUP, sent.message_id) == []
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("#1 已办结（满意）", GROUP, sent.message_id)
    with pytest.raises(ValueError):
        emu.press_button(GROUP, sent.message_id, RESIDENT, "forged")


async def test_photo_download_via_get_file(emu: BotApiEmulator, bot: Bot) -> None:
    emu.post_message(GROUP, RESIDENT, photo=True, caption="井盖坏了 #诉求")
    message = (await _next_update(bot)).message
    assert message is not None and message.photo and message.caption == "井盖坏了 #诉求"
    file = await bot.get_file(message.photo[-1].file_id)
    assert file.file_path is not None and file.file_path.startswith(emu.base_file_url)
    assert bytes(await file.download_as_bytearray()) == TINY_PNG


async def test_document_upload_is_recorded(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_document(GROUP, document=b"PK\x03\x04data", filename="抽查.xlsx")
    assert sent.document is not None and sent.document.file_name == "抽查.xlsx"
    assert emu.sent[-1].payload["document"]["filename"] == "抽查.xlsx"
    assert emu.sent[-1].payload["document"]["size"] == 8
    assert emu.file_bytes(sent.document.file_id) == b"PK\x03\x04data"


async def test_redeliver_repeats_the_update_id(emu: BotApiEmulator, bot: Bot) -> None:
    emu.post_message(GROUP, RESIDENT, "垃圾没人收")
    first = await _next_update(bot)
    assert await bot.get_updates(offset=first.update_id + 1, timeout=0) == ()
    emu.redeliver(first.update_id)
    again = await bot.get_updates(offset=first.update_id + 1, timeout=0)
    assert [u.update_id for u in again] == [first.update_id]


async def test_long_poll_returns_when_an_update_arrives(emu: BotApiEmulator, bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    emu.post_message(GROUP, RESIDENT, "有人吗")
    updates = await asyncio.wait_for(poll, 2)
    assert len(updates) == 1 and time.monotonic() - started < 2


async def test_wrong_token_and_unknown_method(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=emu.base_url) as wrong:
            await wrong.get_me()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


async def test_text_checks(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(GROUP, "<b>#1</b> 水压 < 0.1", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(GROUP, "<b>未闭合", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(GROUP, "字" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)replied not found"):
        await bot.send_message(GROUP, "回复", reply_to_message_id=999)
    await bot.send_message(
        GROUP, "回复", reply_to_message_id=999, allow_sending_without_reply=True
    )
    ok = await bot.send_message(GROUP, "<b>已受理</b> &lt;#1&gt;", parse_mode="HTML")
    assert ok.text == "已受理 <#1>"
    assert emu.sent[-1].text == "已受理 <#1>"
    assert ok.entities[0].type == "bold" and ok.entities[0].length == 3


async def test_privacy_mode_hides_chit_chat() -> None:
    async with BotApiEmulator(TOKEN, can_read_all_group_messages=False) as emu:
        _world(emu)
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            emu.post_message(GROUP, RESIDENT, "大家早上好")
            emu.post_message(GROUP, RESIDENT, "/report 路灯坏了")
            emu.post_message(GROUP, RESIDENT, "@gridbot_test_bot 井盖丢了")
            texts = [u.message.text for u in await bot.get_updates(timeout=0) if u.message]
    assert texts == ["/report 路灯坏了", "@gridbot_test_bot 井盖丢了"]


async def test_bot_membership_and_commands(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_group(-1002002, "网格群 B02", bot_status="left")
    with pytest.raises(Forbidden, match=r"(?i)not a member"):
        await bot.send_message(-1002002, "你好")
    emu.add_bot_to_group(-1002002, MEMBER, status="administrator")
    updates = await bot.get_updates(timeout=0)
    change = updates[0].my_chat_member
    assert change is not None and change.new_chat_member.status == "administrator"
    assert updates[1].message is not None and updates[1].message.new_chat_members
    member = await bot.get_chat_member(-1002002, bot.id)
    assert member.status == "administrator"
    assert (await bot.get_chat(GROUP)).title == "网格群 A01"
    await bot.set_my_commands([("take", "认领诉求")])
    assert [c.command for c in await bot.get_my_commands()] == ["take"]


async def test_poll_and_vote(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_poll(GROUP, "周四议事会参加吗？", ["参加", "不参加"], is_anonymous=False)
    emu.vote_poll(GROUP, sent.message_id, RESIDENT, [0])
    answer = (await _next_update(bot)).poll_answer
    assert answer is not None and answer.option_ids == (0,)
    closed = await bot.stop_poll(GROUP, sent.message_id)
    assert closed.is_closed and closed.options[0].voter_count == 1


async def test_webhook_delivery(emu: BotApiEmulator, bot: Bot) -> None:
    received: list[dict[str, object]] = []

    async def hook(request: web.Request) -> web.Response:
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        received.append(await request.json())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        await bot.set_webhook(url, secret_token="s3cret")
        emu.post_message(GROUP, RESIDENT, "路面塌陷")
        deadline = asyncio.get_running_loop().time() + 10
        while not received:  # the push is a request of its own, answered after the hand-over
            assert asyncio.get_running_loop().time() < deadline, "no webhook call"
            await asyncio.sleep(0.01)
        await emu.wait_idle(quiet=0.1, timeout=3)
        assert [u["message"]["text"] for u in received] == ["路面塌陷"]  # type: ignore[index]
        assert (await bot.get_webhook_info()).pending_update_count == 0
        await bot.delete_webhook()
    finally:
        await runner.cleanup()


async def test_plain_json_and_form_clients(emu: BotApiEmulator) -> None:
    markup = {"inline_keyboard": [[{"text": "认领", "callback_data": "take:1"}]]}
    async with aiohttp.ClientSession() as http:
        url = f"{emu.base_url}{emu.token}"
        async with http.post(
            f"{url}/sendMessage", json={"chat_id": GROUP, "text": "#1", "reply_markup": markup}
        ) as resp:
            assert (await resp.json())["result"]["reply_markup"] == markup
        async with http.post(f"{url}/sendMessage", data={"chat_id": str(GROUP)}) as resp:
            assert resp.status == 400
        async with http.get(f"{url}/getMe") as resp:
            assert (await resp.json())["result"]["id"] == 123456
    assert emu.buttons(GROUP, emu.sent[0].message_id)[0]["callback_data"] == "take:1"
