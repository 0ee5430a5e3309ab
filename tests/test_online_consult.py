"""Online consultation (线上协商): `/consult online` posts the topic with a native poll and an
end; replies are comments, not issues; at the end the result is posted, minuted, noted on
the linked issues, once; coordinators' digests show it."""

from __future__ import annotations

from datetime import timedelta

from bot.reports import oversight
from bot.reports.digest import Window
from bot.texts import DEFAULT
from tests.conftest import Clock
from tests.schedules import run_job
from tests.world import A01, LI, LIU, WANG, ZHANG, ZHAO, ZHOU, World

LAMP = "3号楼门口的路灯坏了好几天了"
MANHOLE = "东门口的井盖不见了，太危险了"
ONLINE = "/consult online 路灯维修方案 | 换LED灯 | 修旧灯 | 截止 2026-11-20 18:00 | #1 #2"
PHONE = "13812345678"


async def two_issues(world: World) -> None:
    await world.reply_to(world.say(ZHANG, LAMP))
    await world.reply_to(world.say(LIU, MANHOLE))


async def opened(world: World, line: str = ONLINE) -> tuple[int, int]:
    """(announcement, poll) message ids in the group."""
    world.say(LI, line)
    poll = await world.emu.wait_for(lambda s: s.method == "sendPoll")
    notice = await world.in_group(A01, "线上协商（编号")
    # The bot keeps the poll's id once Telegram has answered the send; votes come after.
    await world.settle()
    return notice.message_id, poll.message_id


def results(world: World) -> list[str]:
    return [s.text or "" for s in world.emu.sent if "线上协商结果" in (s.text or "")]


async def test_online_consultation_posts_a_poll_of_the_options_with_its_end(
    world: World,
) -> None:
    await two_issues(world)
    await opened(world)
    notice = await world.in_group(A01, "线上协商（编号 1）")
    for part in ("路灯维修方案", "换LED灯 / 修旧灯", "截止：11月20日（周五）18:00", "#1 #2"):
        assert part in notice.text
    [poll] = world.emu.polls
    assert poll["poll"]["is_anonymous"] is False
    assert [o["text"] for o in poll["poll"]["options"]] == ["换LED灯", "修旧灯"]
    assert "11月20日（周五）18:00 截止" in poll["poll"]["question"]
    notes = [e.note for e in await world.store.issues.events(1)]
    assert any("列入线上协商（编号 1）" in note for note in notes)


async def test_replies_are_comments_not_issues_nor_supporters(world: World) -> None:
    await two_issues(world)
    notice, poll = await opened(world)
    world.say(ZHANG, f"换LED灯更亮，有事打我电话{PHONE}", reply_to=notice)
    world.say(ZHOU, "+1", reply_to=poll)
    world.say(WANG, "楼道里的灯也坏了，一起修吧", reply_to=notice)
    await world.settle()
    assert await world.store.issues.count() == 2
    assert await world.store.supporters.count(1) == 0
    comments = await world.store.meetings.comments(1)
    assert [c.telegram_id for c in comments] == [ZHANG.id, ZHOU.id, WANG.id]
    assert comments[0].text.endswith(PHONE)  # kept as said; masked wherever it is shown
    world.say(ZHOU, "+1", reply_to=3)  # a reply to the manhole report still seconds it
    await world.settle()
    assert await world.store.supporters.count(2) == 1


async def test_at_the_end_the_result_is_posted_minuted_and_noted_on_issues_once(
    world: World, clock: Clock
) -> None:
    await two_issues(world)
    notice, poll = await opened(world)
    world.say(ZHANG, f"换LED灯更亮更省电，有事打我电话{PHONE}", reply_to=notice)
    world.say(LIU, "修旧灯就行，省钱", reply_to=poll)
    for who, choice in ((ZHANG, 0), (LIU, 1), (ZHOU, 0)):
        world.emu.vote_poll(A01, poll, who.id, [choice])
    await world.settle()
    await run_job(world, "consult:online")
    assert results(world) == []  # not yet
    clock.now = clock.now.replace(day=20, hour=10, minute=1)  # 18:01 in Shanghai
    await run_job(world, "consult:online")
    [result] = results(world)
    for part in ("路灯维修方案", "共 3 人投票", "换LED灯：2 票", "修旧灯：1 票", "138****5678"):
        assert part in result
    assert PHONE not in result and "修旧灯就行" in result
    assert world.emu.polls[0]["poll"]["is_closed"] is True
    meeting = await world.store.meetings.get(1)
    assert meeting is not None and meeting.status == "minuted"
    assert meeting.minutes is not None and "换LED灯 2 票、修旧灯 1 票" in meeting.minutes
    for number in (1, 2):
        notes = [e.note for e in await world.store.issues.events(number)]
        assert any("换LED灯 2 票" in note for note in notes)
        assert (await world.issue(number)).status == "new"
    post = await world.in_group(A01, "#2 协商结果：微协商（编号 1）")
    assert post.reply_to_message_id == 3 and "当前状态：已受理" in post.text  # LIU's report
    order = [s.text or "" for s in world.emu.messages_in(A01)]
    first_note = next(i for i, text in enumerate(order) if "#1 协商结果：微协商" in text)
    assert order.index(result) < first_note  # the result first, then each issue's note
    world.emu.vote_poll(A01, poll, WANG.id, [1])  # too late: no longer counted
    await run_job(world, "consult:online")
    clock.advance(minutes=1)
    await run_job(world, "consult:online")
    assert len(results(world)) == 1
    meeting = await world.store.meetings.get(1)
    assert meeting is not None and meeting.votes == (2, 1)


async def test_online_mistakes_get_one_line_answers(world: World) -> None:
    await two_issues(world)
    for line in (
        "/consult online",
        "/consult online 只有标题",
        "/consult online 标题 | 只有一个选项",
        "/consult online 标题 | A | A",
        "/consult online 标题 | A | B | #x",
        "/consult online 标题 | A | B | #1 | #2",
        "/consult online 标题 | A | B | 截止 2026-11-20 18:00 | 截止 2026-11-21 18:00",
        "/consult online 标题 | A | | B",
    ):
        answer = await world.reply_to(world.say(LI, line))
        assert answer.text.startswith("用法：/consult online") and "\n" not in answer.text
    for end in ("截止 明天", "截止 2026-11-01 18:00"):
        answer = await world.reply_to(world.say(LI, f"/consult online 标题 | A | B | {end}"))
        assert answer.text.startswith("截止时间应为") and "\n" not in answer.text
    refused = await world.reply_to(world.say(LIU, ONLINE))
    assert "只有本网格" in refused.text
    assert world.emu.polls == []


async def test_default_end_is_two_days_and_coordinator_may_open_in_private(
    world: World,
) -> None:
    await two_issues(world)
    world.say(ZHAO, "/consult online 井盖怎么补 | 物业补 | 城管补 | #2", chat=ZHAO.id)
    answer = await world.private(ZHAO, "已发布线上协商（编号 1）")
    assert "11月21日（周六）10:00 截止" in answer.text
    notice = await world.in_group(A01, "线上协商（编号 1）")
    assert "截止：11月21日（周六）10:00" in notice.text
    listed = await world.reply_to(world.say(LIU, "/consult list"))
    assert "编号 1｜线上" in listed.text and "投票中" in listed.text and "#2" in listed.text


async def test_coordinators_digest_shows_online_consultations_and_sqmy_topics(
    world: World, clock: Clock
) -> None:
    await two_issues(world)
    # Two more lamps (other buildings): with #1 one problem reported three times, a 社情民意
    # topic; the manhole (#2) is another problem and alone does not recur.
    await world.reply_to(world.say(ZHOU, "5号楼旁边的路灯坏了，晚上黑漆漆的"))
    await world.reply_to(world.say(LI, "/report 8号楼的路灯也坏了"))
    _, poll = await opened(world)
    world.emu.vote_poll(A01, poll, ZHANG.id, [1])
    await world.settle()
    services = world.services
    grids = await world.store.grids.all()
    window = Window.ending(clock() + timedelta(hours=1), services.settings.timezone)
    report = await oversight.report(services, grids, window, "oversight_head", True, DEFAULT)
    assert "线上协商：1 场，投票中 1 场，已结束 0 场。" in report
    assert "编号 1 A01 “路灯维修方案”投票中：换LED灯 0 票、修旧灯 1 票" in report
    assert "社情民意：本期有 1 个反复出现的议题" in report and "/sqmy" in report
    clock.now = clock.now.replace(day=20, hour=11)
    await run_job(world, "consult:online")
    window = Window.ending(clock(), services.settings.timezone)
    report = await oversight.report(services, grids, window, "oversight_head", True, DEFAULT)
    assert "已结束 1 场" in report and "已结束：换LED灯 0 票" in report


async def test_redelivered_command_and_comment_count_once(world: World) -> None:
    await two_issues(world)
    notice, _ = await opened(world)
    world.emu.redeliver(world.emu.last_update_id)  # the /consult online line
    world.say(ZHANG, "换LED灯吧", reply_to=notice)
    await world.settle()
    world.emu.redeliver(world.emu.last_update_id)
    await world.settle()
    assert len(world.emu.polls) == 1
    assert len(await world.store.meetings.comments(1)) == 1
