"""Issue 9: Bot API calls travel over aiohttp (handlers/plumbing/transport.py) exactly as
over PTB's own transport: answers, uploads, Telegram's errors, network trouble and time-outs."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

from handlers.emulator.server import BotApiEmulator
from handlers.plumbing import transport
from handlers.plumbing.transport import AiohttpRequest, SendUncertain, bot_request

GROUP, RESIDENT = -1001, 42


async def test_text_and_upload_arrive_as_sent() -> None:
    async with BotApiEmulator() as emu:
        emu.add_user(RESIDENT, "张阿姨")
        emu.add_group(GROUP, "一网格群")
        async with Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest()) as bot:
            message = await bot.send_message(GROUP, "#1 <b>已受理</b>", parse_mode="HTML")
            document = await bot.send_document(GROUP, b"PK\x03\x04 ledger", filename="台账.xlsx",
                                               caption="台账")  # fmt: skip
        [text, upload] = emu.messages_in(GROUP)
        assert (text.message_id, text.text) == (message.message_id, "#1 已受理")
        assert upload.method == "sendDocument" and document.document is not None
        assert emu.file_bytes(document.document.file_id) == b"PK\x03\x04 ledger"


async def test_telegram_refusal_is_ptbs_error() -> None:
    async with BotApiEmulator() as emu:
        bot = Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest())
        async with bot:
            with pytest.raises(BadRequest):
                await bot.send_message(-999, "nobody here")


async def test_no_server_is_a_network_error() -> None:
    async with BotApiEmulator() as emu:
        url = emu.base_url
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"{url}{'1:x'}/getMe")
    finally:
        await request.shutdown()


async def test_slow_answer_times_out() -> None:
    async with BotApiEmulator() as emu:
        emu.latency = 1.0
        request = AiohttpRequest()
        await request.initialize()
        try:
            with pytest.raises(TimedOut):
                await request.post(f"{emu.base_url}{emu.token}/getMe", read_timeout=0.2)
        finally:
            await request.shutdown()


async def test_a_post_waits_longer_for_its_answer_than_other_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transport, "READ", 0.2)
    monkeypatch.setattr(transport, "SEND_READ", 2.0)
    async with BotApiEmulator() as emu:
        emu.add_group(GROUP, "一网格群")
        async with Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest()) as bot:
            emu.delay_next("getChat", 0.5)
            with pytest.raises(TimedOut) as other:
                await bot.get_chat(GROUP)
            emu.delay_next("sendMessage", 0.5)
            sent = await bot.send_message(GROUP, "#1 已受理")
        assert not isinstance(other.value, SendUncertain)  # nothing was posted by it
        assert [s.message_id for s in emu.messages_in(GROUP)] == [sent.message_id]


async def test_a_post_unanswered_is_uncertain_and_one_never_sent_is_not() -> None:
    async with BotApiEmulator() as emu:
        emu.add_group(GROUP, "一网格群")
        async with Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest()) as bot:
            emu.delay_next("sendMessage", 1.0)
            with pytest.raises(SendUncertain):
                await bot.send_message(GROUP, "#1 已受理", read_timeout=0.2)
        assert len(emu.messages_in(GROUP)) == 1  # Telegram took it all the same
    # The emulator is gone: nothing listens, so the post never went out.
    request = AiohttpRequest()
    await request.initialize()
    try:
        offline = Bot(emu.token, base_url=emu.base_url, request=request)
        with pytest.raises(NetworkError) as refused:
            await offline.send_message(GROUP, "#1 已受理")
    finally:
        await request.shutdown()
    assert not isinstance(refused.value, SendUncertain)


def test_httpx_remains_a_choice() -> None:
    assert type(bot_request("httpx")).__name__ == "HTTPXRequest"
    assert isinstance(bot_request("aiohttp"), AiohttpRequest)
