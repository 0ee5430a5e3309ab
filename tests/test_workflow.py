"""SPEC §7 Member commands, Statuses, Progress, Feedback, Authority, Privacy."""

from __future__ import annotations

from typing import Any

from tests.world import A01, CHEN, LI, LIU, WANG, ZHANG, ZHAO, World

LAMP = "3号楼门口的路灯坏了好几天了，有事打我电话13812345678"


async def reported(world: World, text: str = LAMP, who: Any = ZHANG) -> dict[str, Any]:
    message = world.say(who, text)
    await world.reply_to(message)
    return message


async def group_post(world: World, contains: str) -> Any:
    return await world.in_group(A01, contains)


async def test_member_takes_progresses_and_solves_then_resident_is_asked(world: World) -> None:
    message = await reported(world)
    world.say(LI, "/take 1")
    assert "#1" in (await group_post(world, "已认领")).text
    world.say(LI, "/progress 1 已联系电工，明天上午来修")
    post = await group_post(world, "明天上午来修")
    assert "办理中" in post.text and post.reply_to_message_id == message["message_id"]
    world.say(LI, "/done 1 路灯已修好")
    solved = await group_post(world, "路灯已修好")
    assert solved.text.startswith("#1 已解决：") and "请张阿姨点下面的按钮评价" in solved.text
    labels = [b["text"] for row in solved.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["满意", "基本满意", "不满意"]
    assert (await world.issue(1)).status == "resolved"


async def test_each_step_is_one_post_that_does_not_repeat_its_label(world: World) -> None:
    message = await reported(world)
    for command in ("/take 1", "/progress 1 已联系电工", "/done 1 路灯已修好"):
        world.say(LI, command)
    await group_post(world, "路灯已修好")
    await world.settle()
    report = message["message_id"]
    posts = [s for s in world.emu.messages_in(A01) if s.reply_to_message_id == report]
    texts = [post.text for post in posts[1:]]  # after the acknowledgement
    assert [t.split("：", 1)[0] for t in texts] == ["#1 已认领", "#1 办理中", "#1 已解决"]
    assert "认领" not in texts[0].split("：", 1)[1]
    assert all("评价" not in t for t in texts[:2]) and posts[-1].reply_markup is not None


async def test_unsatisfied_reopens_and_tells_member_then_satisfied_closes(world: World) -> None:
    await reported(world)
    world.say(LI, "/done 1 路灯已修好")
    ask = await world.in_group(A01, "评价")
    world.emu.press_button(A01, ask.message_id, ZHANG.id, "rate:1:u")
    await world.private(LI, "不满意")
    await world.private(ZHAO, "不满意")
    assert (await world.issue(1)).status == "in_progress"
    world.say(LI, "/done 1 换了新灯泡")
    ask = await world.in_group(A01, "换了新灯泡")
    world.emu.press_button(A01, ask.message_id, ZHANG.id, "rate:1:s")
    await group_post(world, "已办结")
    issue = await world.issue(1)
    assert issue.status == "closed" and issue.rating == "满意"


async def unsatisfied(world: World) -> Any:
    """Reported, solved and rated 不满意: the group post asking why."""
    await reported(world)
    world.say(LI, "/done 1 路灯已修好")
    ask = await world.in_group(A01, "评价")
    world.emu.press_button(A01, ask.message_id, ZHANG.id, "rate:1:u")
    return await world.in_group(A01, "哪里不满意")


async def test_unsatisfied_reporter_gives_a_reason_by_button(world: World) -> None:
    post = await unsatisfied(world)
    labels = [b["text"] for row in post.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["没有修好", "处理太慢", "态度不好", "其他原因"]
    world.emu.press_button(A01, post.message_id, LIU.id, "why:1:s")
    await world.settle()
    assert "只有反映人" in world.emu.callback_answers[-1]["text"]
    world.emu.press_button(A01, post.message_id, ZHANG.id, "why:1:s")
    assert "处理太慢" in (await world.private(LI, "不满意的原因")).text
    assert "处理太慢" in (await world.private(ZHAO, "不满意的原因")).text
    timeline = await world.reply_to(world.say(LI, "/issue 1"))
    assert "不满意原因：处理太慢" in timeline.text


async def test_unsatisfied_reporter_gives_a_reason_by_reply(world: World) -> None:
    post = await unsatisfied(world)
    world.emu.press_button(A01, post.message_id, ZHANG.id, "why:1:o")
    await world.settle()
    assert "直接回复" in world.emu.callback_answers[-1]["text"]
    world.say(ZHANG, "灯还是一闪一闪的，根本没修好", reply_to=post.message_id)
    assert "一闪一闪" in (await world.private(LI, "不满意的原因")).text
    timeline = await world.reply_to(world.say(LI, "/issue 1"))
    assert "不满意原因：灯还是一闪一闪的" in timeline.text
    assert await world.store.issues.count() == 1


async def test_only_the_reporters_press_counts(world: World) -> None:
    await reported(world)
    world.say(LI, "/done 1 路灯已修好")
    ask = await world.in_group(A01, "评价")
    world.emu.press_button(A01, ask.message_id, LIU.id, "rate:1:s")
    await world.settle()
    assert "只有反映人" in world.emu.callback_answers[-1]["text"]
    assert (await world.issue(1)).status == "resolved"


async def test_resident_refused_when_closing_issue(world: World) -> None:
    await reported(world)
    answer = await world.reply_to(world.say(LIU, "/done 1 我觉得好了"))
    assert "无权" in answer.text
    assert (await world.issue(1)).status == "new"


async def test_member_of_another_grid_is_refused(world: World) -> None:
    await reported(world)
    answer = await world.reply_to(world.say(CHEN, "/take 1"))
    assert "无权" in answer.text
    assert (await world.issue(1)).assignee_id != CHEN.id


async def test_coordinator_may_act_in_every_grid(world: World) -> None:
    await reported(world)
    world.say(ZHAO, "/reject 1 属于私人财产纠纷，请走司法途径")
    post = await group_post(world, "不予受理")
    assert "司法途径" in post.text
    assert (await world.issue(1)).status == "rejected"


async def test_plan_requires_a_real_date_and_shows_it(world: World) -> None:
    await reported(world)
    assert "YYYY-MM-DD" in (await world.reply_to(world.say(LI, "/plan 1 notadate x"))).text
    world.say(LI, "/plan 1 2026-12-15 纳入年底道路改造")
    post = await group_post(world, "12月15日（周二）")
    assert "已列入计划" in post.text
    assert (await world.issue(1)).plan_date == "2026-12-15"


async def test_escalate_names_department_and_note(world: World) -> None:
    await reported(world)
    world.say(LI, "/escalate 1 城管局 建议一周内完成维修并回复居民")
    post = await group_post(world, "城管局")
    assert "已转交" in post.text and "建议一周内" in post.text
    assert (await world.issue(1)).department == "城管局"


async def test_dup_merges_and_tells_the_other_number(world: World) -> None:
    await reported(world)
    await reported(world, "3号楼路灯还是不亮", LIU)
    world.say(LI, "/dup 2 1")
    post = await world.in_group(A01, "已合并")
    assert "#2" in post.text and "#1" in post.text
    assert (await world.issue(2)).merged_into == 1


async def test_assign_and_recategorise_are_recorded(world: World) -> None:
    await reported(world)
    world.say(ZHAO, "/assign 1 王芳")
    await world.private(WANG, "#1")
    world.say(ZHAO, "/cat 1 物业管理")
    await group_post(world, "物业管理")
    events = [e.action for e in await world.store.issues.events(1)]
    assert events == ["created", "assign", "recategorise"]
    issue = await world.issue(1)
    assert issue.category == "物业管理" and issue.assignee_id is not None


async def test_malformed_commands_get_one_line_usage(world: World) -> None:
    await reported(world)
    for command in ("/take", "/take abc", "/progress 1", "/dup 1", "/cat 1", "/take 99999999999"):
        answer = await world.reply_to(world.say(LI, command))
        assert answer.text.startswith("用法") and "\n" not in answer.text
    assert "没有找到" in (await world.reply_to(world.say(LI, "/take 42"))).text
    assert "没有" in (await world.reply_to(world.say(LI, "/cat 1 外星人"))).text


async def test_timeline_lists_every_step(world: World) -> None:
    await reported(world)
    world.say(LI, "/take 1")
    world.say(LI, "/progress 1 已联系电工")
    await group_post(world, "已联系电工")
    timeline = await world.reply_to(world.say(LI, "/issue 1"))
    for part in ("#1", "登记", "认领", "进展", "已联系电工"):
        assert part in timeline.text


async def test_timeline_names_the_status_each_step_reached(world: World) -> None:
    await reported(world)
    world.say(LI, "/take 1")
    world.say(LI, "/progress 1 已联系电工")
    world.say(LI, "/done 1 路灯已修好")
    ask = await world.in_group(A01, "评价")
    world.emu.press_button(A01, ask.message_id, ZHANG.id, "rate:1:s")
    await group_post(world, "已办结")
    lines = (await world.reply_to(world.say(LI, "/issue 1"))).text.splitlines()
    steps = {label: next(line for line in lines if line.endswith(label) or f"→ {label}" in line)
             for label in ("已受理", "已认领", "办理中", "已解决", "已办结")}  # fmt: skip
    assert "路灯已修好" in steps["已解决"] and "办结" not in steps["已解决"]
    assert "满意" in steps["已办结"]


async def test_phone_numbers_never_appear_in_full_in_the_group(world: World) -> None:
    await reported(world)
    world.say(LI, "/issue 1")
    world.say(LI, "/progress 1 已回电13812345678")
    await group_post(world, "已回电")
    await world.settle()
    assert all("13812345678" not in (s.text or "") for s in world.emu.messages_in(A01))
    notice = await world.private(LI, "#1")
    assert "13812345678" in notice.text  # the member sees it in private


async def test_mine_open_and_my_list_issues(world: World) -> None:
    await reported(world)
    assert "#1" in (await world.reply_to(world.say(LI, "/mine"))).text
    assert "#1" in (await world.reply_to(world.say(LI, "/open"))).text
    assert "#1" in (await world.reply_to(world.say(ZHANG, "/my"))).text
    assert "仅供委员" in (await world.reply_to(world.say(LIU, "/open"))).text


async def test_forged_button_changes_nothing(world: World) -> None:
    await reported(world)
    notice = await world.private(LI, "#1")
    for data in ("take:abc", "drop:1", "take:99999999999999999999", "rate:1:x"):
        world.emu.press_button(LI.id, notice.message_id, LI.id, data, check=False)
    await world.settle()
    assert (await world.issue(1)).status == "new"
    assert len(world.emu.callback_answers) == 4


async def test_xlsx_ledger_has_chinese_headers_and_the_timeline(
    world: World, tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    from bot.reports.ledger import export_ledger

    await reported(world)
    world.say(LI, "/take 1")
    await group_post(world, "已认领")
    out = tmp_path / "ledger.xlsx"
    await export_ledger(world.store, "xlsx", out, world.services.settings.timezone, None, None)
    book = load_workbook(out)
    ledger, events = book["台账"], book["办理过程"]
    # Under the title and the period line (tests/test_ledger.py reads the print layout).
    assert [c.value for c in ledger[3]][:4] == ["编号", "网格", "类别", "状态"]
    assert [c.value for c in ledger[4]][:4] == [1, "幸福里第一网格", "市政设施", "已认领"]
    assert ledger.freeze_panes == "A4"
    assert [row[4] for row in events.iter_rows(min_row=4, values_only=True)] == ["登记", "认领"]


async def test_recategorisations_feed_learn_from_db(world: World, tmp_path: Any) -> None:
    from tests.cli import gridbot

    await reported(world, "小区里那个健身器材坏了好久，孩子差点受伤")
    world.say(LI, "/cat 1 物业管理")  # the compound's own equipment: the property company's
    await group_post(world, "类别调整")
    assert await world.store.issues.corrections() == [
        ("小区里那个健身器材坏了好久，孩子差点受伤", "物业管理")
    ]
    data = tmp_path / "labels.csv"
    data.write_text("text,label\n路灯坏了,市政设施\n垃圾没人清,环境卫生\n", encoding="utf-8")
    out = tmp_path / "learned.toml"
    env = {"GRIDBOT_DATABASE_URL": world.services.settings.database_url}
    ran = await gridbot("learn", str(data), "--from-db", "--out", str(out), env=env)
    assert ran.code == 0, ran.err
    assert "物业管理" in out.read_text(encoding="utf-8")
