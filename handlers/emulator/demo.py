"""`gridbot demo`: a scripted grid group against the real bot on a local Bot API emulator.

The story runs on its own clock: a day that begins at 09:00 in GRIDBOT_TIMEZONE, moved on by
the script (past a vote's end, into the night and to the next morning), so it tells the same
story at any hour of the wall clock and in any zone."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import ScriptedClock, at_hour, utc_now
from bot.config import ConfigError, load_settings
from bot.reports.ledger import Paper, export_ledger
from handlers.emulator.local import LocalBot, local_bot
from handlers.emulator.server import BotApiEmulator, SentMessage

logger = logging.getLogger(__name__)

A01, A02 = -1001000000001, -1001000000002
RESIDENTS = {1001: "张阿姨", 1002: "刘师傅", 1003: "小周"}
STAFF = {2001: "李明", 2002: "王芳", 2003: "陈刚", 2100: "赵敏"}
STEP_TIMEOUT = 10.0
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)  # every update stored, whenever it came
DAY_BEGINS = 9  # the scripted day's first hour, local time


class Script:
    """Plays residents and members, waiting for the bot's answer after each step."""

    def __init__(self, local: LocalBot, clock: ScriptedClock) -> None:
        self.local = local
        self.emu = local.emulator
        self.clock = clock

    def heading(self, text: str) -> None:
        print(f"\n── {text} " + "─" * max(0, 60 - len(text) * 2), flush=True)

    async def expect(self, predicate: Callable[[SentMessage], bool]) -> SentMessage:
        return await self.emu.wait_for(predicate, STEP_TIMEOUT)

    async def say(self, user: int, text: str, chat: int = A01) -> dict:  # type: ignore[type-arg]
        message = self.emu.post_message(chat, user, text)
        await self.settle()
        return message

    async def reply(self, user: int, text: str, to: SentMessage, chat: int) -> None:
        """`user` answers the bot's message `to` (a prompt for a note) by replying to it."""
        self.emu.post_message(chat, user, text, reply_to=to.message_id)
        await self.settle()

    async def press(self, chat: int, sent: SentMessage, user: int, data: str) -> None:
        self.emu.press_button(chat, sent.message_id, user, data)
        await self.settle()

    async def settle(self) -> None:
        """Until every update is handled and every message due by the story's clock is sent.
        Quiet alone is not enough: on a busy machine the bot can be silent for longer than
        the quiet while it still owes an answer, and the transcript would change order."""
        store = self.local.services.store
        deadline = asyncio.get_running_loop().time() + STEP_TIMEOUT
        while True:
            await self.emu.wait_idle(quiet=0.4, timeout=STEP_TIMEOUT)
            due = await store.outbox.next_due_at()
            owed = due is not None and due <= self.clock()
            if not self.emu.undelivered() and not owed and not await store.updates.unhandled(
                FOREVER
            ):
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the bot never caught up with the story")
            await asyncio.sleep(0.05)

    def in_chat(self, chat: int, contains: str) -> Callable[[SentMessage], bool]:
        return lambda s: s.chat_id == chat and contains in (s.text or "")

    async def later(self, moment: datetime) -> None:
        """Move the story's clock on to `moment`; what fell due by then goes out."""
        self.clock.advance_to(moment)
        self.local.services.outbox_ready.set()  # the sender sleeps on the old time
        await self.settle()

    def today_at(self, hour: int, minute: int = 0, days: int = 0) -> datetime:
        zone = self.local.services.settings.timezone
        return at_hour(self.clock().astimezone(zone).date() + timedelta(days=days), hour, zone,
                       minute)  # fmt: skip


async def play(script: Script) -> None:
    """The story: chit-chat, reports, routing, progress, feedback, binding a new group."""
    s = script
    s.heading("机器人入群，居民闲聊（不登记）")
    s.emu.add_bot_to_group(A01, 2100)
    await s.settle()
    await s.say(1001, "大家早上好！")
    await s.say(1002, "收到，谢谢")
    s.heading("居民反映问题：登记、分类、派给委员")
    await s.say(1001, "3号楼门口的路灯坏了好几天了，晚上黑漆漆的，老人出门不安全")
    await s.say(1002, "楼下好像煤气泄漏了，味道很大，快来人看看！")
    await s.say(1003, "我妈的养老金这个月还没到账，问了好几次没人管")
    s.heading("委员用通知上的按钮认领、反馈进展，在群里办结")
    notice = await s.expect(s.in_chat(2001, "#1"))
    await s.press(2001, notice, 2001, "take:1")
    await s.press(2001, notice, 2001, "progress:1")
    prompt = await s.expect(s.in_chat(2001, "写下进展说明"))
    await s.reply(2001, "已联系物业电工，明天上午来修", prompt, chat=2001)
    await s.say(2001, "/done1 路灯已更换，晚上已经亮了")  # as a phone types it: no space
    s.heading("居民评价")
    ask = await s.expect(s.in_chat(A01, "评价"))
    await s.press(A01, ask, 1002, "rate:1:s")
    await s.press(A01, ask, 1001, "rate:1:s")
    s.heading("未绑定的群：提示绑定，召集人 /bind 后开始登记")
    await s.say(1003, "小区东门的垃圾好几天没人清了", chat=A02)
    await s.say(2100, "/bind A02", chat=A02)
    await s.say(1003, "小区东门的垃圾好几天没人清了，臭得很", chat=A02)
    s.heading("委员查看时间线；召集人看谁能收到私聊；居民看帮助")
    await s.say(2001, "/issue 1", chat=2001)
    await s.say(2100, "/stats", chat=2100)
    await s.say(1001, "/help")
    helped = await s.expect(s.in_chat(A01, "/my"))
    await s.press(A01, helped, 1001, "help:resident")
    s.heading("召集人要本周周报（含图表）")
    await s.say(2100, "/digest")
    await s.expect(lambda m: m.method == "sendPhoto")  # the chart is drawn off the loop
    await consult_online(s)


async def consult_online(s: Script) -> None:
    """Issue 10: the same kind of problem again, an online consultation, a 社情民意 draft."""
    s.heading("同类问题又来了：委员发起线上协商，居民投票、回复意见")
    await s.say(1002, "东门口的井盖不见了，晚上看不见，太危险了")
    await s.say(1003, "小区停水两天了，自来水一直没来")
    await s.say(2001, "/consult online 东门井盖和停水先解决哪个 | 先补井盖 | 先查水管 | #5 #6")
    poll = await s.expect(lambda m: m.method == "sendPoll")
    announcement = await s.expect(s.in_chat(A01, "线上协商（编号"))
    await s.settle()
    for resident, option in ((1001, 0), (1002, 0), (1003, 1)):
        s.emu.vote_poll(A01, poll.message_id, resident, [option])
    s.emu.post_message(A01, 1003, "停水影响做饭，希望先查水管，电话13912345678",
                       reply_to=announcement.message_id)  # fmt: skip
    await s.settle()
    s.heading("（演示时钟快进到投票截止之后）公布结果、记入纪要")
    await s.later(s.clock() + timedelta(days=3))
    await run_job(s, "consult:online")
    await s.expect(s.in_chat(A01, "#6 协商结果"))  # the last the closing posts
    s.heading("别处也停水了：同一个问题又有两处反映")
    await s.say(1001, "我们这边也停水了，一整天没有自来水", chat=A02)
    # Each told in full before the next: on a busy machine the quiet after a step can come
    # before the bot has answered, and the transcript would change order.
    await s.expect(s.in_chat(2002, "新诉求 #7"))
    await s.say(1002, "8号楼停水一整天了，物业说是市政管道爆了")
    await s.expect(s.in_chat(2001, "新诉求 #8"))
    s.heading("召集人私聊生成社情民意草稿（Word）")
    await s.say(2100, "/sqmy", chat=2100)
    await s.expect(lambda m: m.method == "sendDocument")  # written off the loop
    await night(s)


async def run_job(s: Script, name: str) -> None:
    """A scheduled job, run now on the story's clock (the wall clock never fires them here)."""
    queue = s.local.app.job_queue
    assert queue is not None
    for job in queue.get_jobs_by_name(name):
        await job.run(s.local.app)
    await s.settle()


async def night(s: Script) -> None:
    """Quiet hours: at night the resident is answered at once, the member only in the
    morning, unless it is urgent."""
    s.heading("夜里 22:30：居民照常得到回复；非紧急的委员通知等到早上 7 点")
    await s.later(s.today_at(22, 30))
    await s.say(1003, "小区里有人半夜在广场上放音乐，吵得睡不着")
    await s.say(1002, "配电箱着火了，冒烟很大，快来人！")
    await s.expect(s.in_chat(A01, "#10"))
    await s.expect(s.in_chat(2001, "#10（紧急）"))  # the urgent notice did not wait
    assert not [m for m in s.emu.sent if m.chat_id == 2001 and "#9" in (m.text or "")]
    s.heading("第二天早上 7:00：夜里留下的通知送到委员")
    await s.later(s.today_at(7, 0, days=1))
    await s.expect(s.in_chat(2001, "#9"))


def fresh_folder(out: Path) -> None:
    """An empty `out`: a new folder, or the outputs of an earlier demo removed. Any other
    folder is left alone; the demo never deletes what it did not make."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder for the demo's outputs")
    if out.is_dir() and any(out.iterdir()):
        if not (out / "demo.db").exists():
            raise ConfigError(f"--out {out} holds other files; give a new or empty folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def story_clock(zone: ZoneInfo) -> ScriptedClock:
    """Today (in `zone`) at the hour the story begins, whatever the hour on the wall."""
    return ScriptedClock(at_hour(utc_now().astimezone(zone).date(), DAY_BEGINS, zone))


async def run(out: Path) -> int:
    """Run the demo; the database, ledger and chart land in `out`."""
    logging.getLogger().setLevel(logging.WARNING)
    # Only the zone is taken from the environment: the demo keeps its own database and bot.
    zone_setting = {"GRIDBOT_TIMEZONE": os.environ.get("GRIDBOT_TIMEZONE", "")}
    # The emulator enforces no limits, and a story told in seconds would otherwise wait
    # a minute for a group's 20 posts a minute (README: bursts and limits).
    bot_env = {**zone_setting, "GRIDBOT_SEND_LIMITS": "off"}
    clock = story_clock(load_settings(env=zone_setting).timezone)
    fresh_folder(out)
    async with BotApiEmulator(clock=clock.timestamp) as emu:
        emu.on_transcript = lambda line: print(line, flush=True)
        for user_id, name in {**RESIDENTS, **STAFF}.items():
            emu.add_user(user_id, name)
        emu.add_group(A01, "幸福里第一网格群")
        emu.add_group(A02, "幸福里第二网格群")
        for user_id in (2001, 2002, 2100):  # 陈刚 has not pressed Start yet
            emu.start_private(user_id)
        database = f"sqlite:///{out / 'demo.db'}"
        async with local_bot(database, emu, clock=clock, env=bot_env) as local:
            await play(Script(local, clock))
            chart = await emu.wait_for(lambda m: m.method == "sendPhoto", STEP_TIMEOUT)
            (out / "digest.png").write_bytes(emu.file_bytes(chart.payload["photo"]["file_id"]))
            draft = await emu.wait_for(lambda m: m.method == "sendDocument", STEP_TIMEOUT)
            content = emu.file_bytes(draft.payload["document"]["file_id"])
            (out / "社情民意草稿.docx").write_bytes(content)
            store, zone = local.services.store, local.services.settings.timezone
            count = await export_ledger(store, "csv", out / "ledger.csv", zone, None, None)
            paper = Paper(unit="幸福里社区", made_at=local.services.clock())
            await export_ledger(store, "xlsx", out / "ledger.xlsx", zone, None, None, paper)
    print(f"\n台账：{count} 件诉求已导出到 {out / 'ledger.csv'} 和 {out / 'ledger.xlsx'}")
    print(f"周报图表：{out / 'digest.png'}")
    print(f"社情民意草稿：{out / '社情民意草稿.docx'}")
    return 0


if __name__ == "__main__":
    asyncio.run(run(Path("demo-out")))
