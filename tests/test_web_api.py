"""The web app's API (SPEC §11): /api/me for initData Telegram signed, and refused otherwise;
who may see which issues; figures, filters, timelines, downloads; /web login links."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from handlers.web.auth import sign_init_data
from tests.conftest import Clock
from tests.web_world import WEB_URL, WebApp, init_data
from tests.world import A01, A02, LI, LIU, WANG, ZHANG, ZHAO, ZHOU, World


async def report(world: World, who: object, text: str, chat: int = A01) -> int:
    """A resident's problem, registered; its issue number."""
    message = world.say(who, text, chat=chat)  # type: ignore[arg-type]
    reply = await world.reply_to(message)
    found = re.search(r"#(\d+)", reply.text or "")
    assert found, reply.text
    return int(found[1])


async def bind_a02(world: World) -> None:
    world.say(ZHAO, "/bind A02", chat=A02)
    await world.in_group(A02, "已将本群绑定到网格 A02")


async def test_me_answers_a_coordinator_with_every_grid(web: WebApp) -> None:
    status, me = await web.get("/api/me", ZHAO)
    assert status == 200
    assert me["role"] == "coordinator" and me["all_grids"] is True
    assert [grid["code"] for grid in me["grids"]] == ["A01", "A02", "B01"]
    assert me["labels"]["respond"] == "响应率"


async def test_me_answers_a_member_with_their_grids(web: WebApp) -> None:
    status, li = await web.get("/api/me", LI)
    assert status == 200 and li["role"] == "member" and li["name"] == "李明"
    assert [grid["code"] for grid in li["grids"]] == ["A01"]
    _, wang = await web.get("/api/me", WANG)
    assert [grid["code"] for grid in wang["grids"]] == ["A01", "A02"]


async def test_me_refuses_forged_init_data(web: WebApp) -> None:
    genuine = web.signed(LI)
    forged = genuine.replace("2001", "2100")  # LI's id swapped for the coordinator's
    assert forged != genuine
    assert (await web.get("/api/me", forged))[0] == 401
    other_bot = init_data(ZHAO, "999:OTHER-TOKEN", web.world.services.clock())
    assert (await web.get("/api/me", other_bot))[0] == 401
    no_hash = re.sub(r"&?hash=[0-9a-f]+", "", genuine)
    assert (await web.get("/api/me", no_hash))[0] == 401
    twice = genuine + "&user=%7B%22id%22%3A2100%7D"
    assert (await web.get("/api/me", twice))[0] == 401
    assert (await web.get("/api/me", "not initData at all"))[0] == 401


async def test_me_refuses_stale_init_data(web: WebApp, clock: Clock) -> None:
    now = clock()
    assert (await web.get("/api/me", web.signed(ZHAO, now - timedelta(hours=23))))[0] == 200
    stale = web.signed(ZHAO, now - timedelta(days=1, minutes=1))
    assert (await web.get("/api/me", stale))[0] == 401
    signed_once = web.signed(ZHAO, now)
    clock.advance(days=1, minutes=1)
    assert (await web.get("/api/me", signed_once))[0] == 401


async def test_nothing_answers_without_credentials(web: WebApp) -> None:
    for path in ("/api/me", "/api/overview", "/api/issues", "/api/issues/1",
                 "/api/download/ledger.xlsx"):  # fmt: skip
        status, body = await web.get(path)
        assert status == 401 and body == {"error": "unauthorized"}, path


async def test_init_data_without_a_user_is_refused(web: WebApp, clock: Clock) -> None:
    fields = {"auth_date": str(int(clock().timestamp())), "query_id": "AAH1"}
    assert (await web.get("/api/me", sign_init_data(fields, web.token)))[0] == 401


async def test_overview_gives_rates_per_street_community_grid_and_overdue(
    web: WebApp, clock: Clock
) -> None:
    world = web.world
    first = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    await report(world, LIU, "小区东门的垃圾桶满了没人清，臭得不行")
    world.say(LI, f"/take {first}")
    await world.in_group(A01, "已认领")
    clock.advance(days=8)
    status, data = await web.get("/api/overview", ZHAO, days="28")
    assert status == 200
    assert data["rates"]["total"] == 2 and data["rates"]["responded"] == 1
    assert data["rates"]["respond"] == 50 and data["overdue"]["total"] == 2
    [street] = [s for s in data["streets"] if s["name"] == "城关街道"]
    [community] = street["children"]
    assert community["name"] == "幸福里社区"
    grids = {grid["name"]: grid for grid in community["children"]}
    assert set(grids) == {"A01 幸福里第一网格", "A02 幸福里第二网格"}
    assert grids["A01 幸福里第一网格"]["rates"]["total"] == 2
    assert grids["A01 幸福里第一网格"]["link"] == {"grid": "A01", "days": "28"}
    assert {row["n"] for row in data["overdue"]["rows"]} == {first, first + 1}
    assert len(data["trend"]) == 8 and sum(week["total"] for week in data["trend"]) == 2
    assert {grid["code"] for grid in data["unbound"]} == {"A02", "B01"}
    # The figure links to the issues behind it: the same two.
    _, listed = await web.get("/api/issues", ZHAO, **grids["A01 幸福里第一网格"]["link"])
    assert listed["total"] == 2
    _, late = await web.get("/api/issues", ZHAO, overdue="1")
    assert late["total"] == data["overdue"]["total"]
    assert all(row["overdue"] for row in late["rows"])  # the list's flag says the same


async def test_overview_names_members_who_never_started_the_bot(web: WebApp) -> None:
    world = web.world
    world.say(LI, "/start", chat=LI.id)
    await world.private(LI, "私聊通知已开通")
    _, data = await web.get("/api/overview", ZHAO)
    names = {member["name"] for member in data["unreachable"]}
    assert "陈刚" in names and "李明" not in names


async def test_member_sees_only_the_issues_of_their_grids(web: WebApp) -> None:
    world = web.world
    await bind_a02(world)
    mine = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    theirs = await report(world, LIU, "二网格的下水道堵了，污水流到路上", chat=A02)
    _, li = await web.get("/api/issues", LI)
    assert [row["n"] for row in li["rows"]] == [mine]
    assert (await web.get(f"/api/issues/{theirs}", LI))[0] == 404
    _, wang = await web.get("/api/issues", WANG)
    assert {row["n"] for row in wang["rows"]} == {mine, theirs}
    _, filtered = await web.get("/api/issues", LI, grid="A02")
    assert filtered["total"] == 0  # naming a grid never widens the scope


async def test_resident_sees_only_their_own_issues(web: WebApp) -> None:
    world = web.world
    hers = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    other = await report(world, LIU, "小区东门的垃圾桶满了没人清，臭得不行")
    status, me = await web.get("/api/me", ZHANG)
    assert status == 200 and me["role"] == "resident" and me["grids"] == []
    _, listed = await web.get("/api/issues", ZHANG)
    assert [row["n"] for row in listed["rows"]] == [hers]
    assert (await web.get(f"/api/issues/{other}", ZHANG))[0] == 404
    assert (await web.get("/api/overview", ZHANG))[0] == 403
    assert (await web.get("/api/issues", ZHOU))[1]["total"] == 0


async def test_phone_numbers_are_whole_only_for_the_assigned_member(web: WebApp) -> None:
    world = web.world
    number = await report(world, ZHANG, "3号楼路灯坏了，联系我 13812345678")
    issue = await world.issue(number)
    assignee = await world.store.members.by_id(issue.assignee_id or 0)
    assert assignee is not None
    member = LI if assignee.telegram_id == LI.id else WANG
    other = WANG if member is LI else LI
    _, own = await web.get(f"/api/issues/{number}", member)
    assert "13812345678" in own["text"]
    for who in (other, ZHAO, ZHANG):
        _, seen = await web.get(f"/api/issues/{number}", who)
        assert "13812345678" not in seen["text"] and "138****5678" in seen["text"], who
        _, listed = await web.get("/api/issues", who)
        assert "13812345678" not in str(listed)


async def test_filters_narrow_the_list(web: WebApp, clock: Clock) -> None:
    world = web.world
    light = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    await report(world, LIU, "小区东门的垃圾桶满了没人清，臭得不行")
    gas = await report(world, ZHOU, "5号楼煤气泄漏了，味道很大，快来人")
    _, everything = await web.get("/api/issues", ZHAO)
    assert everything["total"] == 3 and not any(row["overdue"] for row in everything["rows"])
    light_category = (await world.issue(light)).category
    _, by_category = await web.get("/api/issues", ZHAO, category=light_category)
    assert light in {r["n"] for r in by_category["rows"]} and by_category["total"] < 3
    _, by_text = await web.get("/api/issues", ZHAO, q="垃圾桶")
    assert [r["n"] for r in by_text["rows"]] == [light + 1]
    _, urgent = await web.get("/api/issues", ZHAO, urgent="1")
    assert [r["n"] for r in urgent["rows"]] == [gas]
    world.say(LI, f"/take {light}")
    await world.in_group(A01, "已认领")
    _, taken = await web.get("/api/issues", ZHAO, status="taken")
    assert [r["n"] for r in taken["rows"]] == [light]
    _, fresh = await web.get("/api/issues", ZHAO, days="7")
    assert fresh["total"] == 3
    clock.advance(days=10)
    assert (await web.get("/api/issues", ZHAO, days="7"))[1]["total"] == 0
    assert (await web.get("/api/issues", ZHAO, status="nonsense"))[0] == 400
    assert (await web.get("/api/issues", ZHAO, **{"from": "2026-13-01"}))[0] == 400


async def test_timeline_lists_every_step(web: WebApp) -> None:
    world = web.world
    number = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    world.say(LI, f"/take {number}")
    await world.in_group(A01, "已认领")
    world.say(LI, f"/progress {number} 已联系电工，明天上午来修")
    await world.in_group(A01, "明天上午来修")
    status, timeline = await web.get(f"/api/issues/{number}", ZHAO)
    assert status == 200 and timeline["n"] == number
    steps = [(e["action"], e["note"]) for e in timeline["events"]]
    assert steps[0][0] == "登记" and ("认领", "") in [(a, "") for a, _ in steps]
    assert ("进展", "已联系电工，明天上午来修") in steps
    assert timeline["status_label"] == "办理中"
    assert timeline["created_at"].endswith("+08:00")


async def test_downloads_follow_the_filter(web: WebApp) -> None:
    world = web.world
    light = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    await report(world, LIU, "小区东门的垃圾桶满了没人清，臭得不行")
    status, body = await web.get("/api/download/ledger.xlsx", ZHAO, q="路灯")
    assert status == 200
    book = load_workbook(io.BytesIO(body))
    # Below the printed heading (title, period, column names) the rows start with numbers.
    numbers = [row[0] for row in book["台账"].iter_rows(values_only=True)]
    assert [n for n in numbers if isinstance(n, int)] == [light]
    steps = [row[0] for row in book["办理过程"].iter_rows(values_only=True)]
    assert {n for n in steps if isinstance(n, int)} == {light}
    status, draft = await web.get("/api/download/sqmy.docx", ZHAO, days="28")
    assert status == 200 and draft[:2] == b"PK"
    assert (await web.get("/api/download/sqmy.docx", ZHANG))[0] == 403


async def test_web_link_opens_a_session_once(web: WebApp, clock: Clock) -> None:
    world = web.world
    world.say(LI, "/web", chat=LI.id)
    sent = await world.private(LI, "/web/login?t=")
    link = re.search(r"(https://\S+)", sent.text or "")
    assert link and link[1].startswith(WEB_URL)
    path = urlsplit(link[1])
    async with web.http.get(f"{web.base}{path.path}?{path.query}", allow_redirects=False) as first:
        assert first.status == 302 and first.headers["Location"] == "/app/"
        cookie = first.cookies["gridbot_session"].value
    async with web.http.get(f"{web.base}/api/me", cookies={"gridbot_session": cookie}) as me:
        assert me.status == 200 and (await me.json())["name"] == "李明"
    web.http.cookie_jar.clear()
    async with web.http.get(f"{web.base}{path.path}?{path.query}", allow_redirects=False) as again:
        assert again.status == 401  # one time only
    world.say(LI, "/web", chat=LI.id)
    await world.settle()
    later = [s.text or "" for s in world.emu.sent if s.chat_id == LI.id]
    late = urlsplit(re.findall(r"(https://\S+/web/login\S+)", "\n".join(later))[-1])
    clock.advance(minutes=11)
    async with web.http.get(f"{web.base}{late.path}?{late.query}", allow_redirects=False) as old:
        assert old.status == 401  # expired
    tampered = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    async with web.http.get(f"{web.base}/api/me", cookies={"gridbot_session": tampered}) as bad:
        assert bad.status == 401


async def test_web_in_a_group_points_to_the_private_chat(web: WebApp) -> None:
    web.world.say(LI, "/web")
    reply = await web.world.in_group(A01, "私聊")
    assert "/web/login" not in (reply.text or "")


async def test_menu_button_of_members_opens_the_app(web: WebApp) -> None:
    world = web.world
    world.say(LI, "/start", chat=LI.id)
    await world.private(LI, "私聊通知已开通")
    await world.settle()
    button = world.emu.menu_buttons[LI.id]
    assert button["type"] == "web_app" and button["web_app"]["url"] == f"{WEB_URL}/app/"
    world.say(ZHANG, "/start", chat=ZHANG.id)
    await world.settle()
    assert ZHANG.id not in world.emu.menu_buttons  # residents keep the command menu


async def test_page_and_chart_library_are_served_from_gridbot(web: WebApp) -> None:
    status, page = await web.get("/app/")
    assert status == 200 and b"/app/static/vendor/chart-4.6.1.umd.min.js" in page
    assert b"http" not in re.sub(rb'href="/|src="/', b"", page).split(b"<body>")[0]
    status, library = await web.get("/app/static/vendor/chart-4.6.1.umd.min.js")
    assert status == 200 and b"Chart.js v4.6.1" in library[:200]


@pytest.mark.parametrize("language", ["zh-hant", "zh-TW"])
async def test_traditional_users_get_traditional_labels(web: WebApp, language: str) -> None:
    signed = init_data(ZHAO, web.token, web.world.services.clock(), language=language)
    _, me = await web.get("/api/me", signed)
    assert me["language"] == "zh-Hant" and me["labels"]["respond"] == "響應率"


async def test_large_answers_are_compressed_for_phones(web: WebApp) -> None:
    headers = {"Authorization": "tma " + web.signed(ZHAO), "Accept-Encoding": "gzip"}
    async with web.http.get(f"{web.base}/api/me", headers=headers) as answer:
        assert answer.status == 200 and answer.headers.get("Content-Encoding") == "gzip"
        assert (await answer.json())["role"] == "coordinator"
