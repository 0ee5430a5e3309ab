"""Issue 17: members without a Telegram id join by a personal, single-use, expiring link."""

from __future__ import annotations

from pathlib import Path

from bot.grids.invitations import invite_all
from bot.grids.roster import import_roster
from bot.issues.leaving import remove_member
from tests.conftest import Clock
from tests.world import A02, LI, WANG, ZHANG, ZHAO, Person, World

SUN = Person(2004, "孙丽")  # in the roster of A02 with no Telegram id
QIAN = Person(2005, "钱多多")
LAMP = "3号楼门口的路灯坏了好几天了"


async def _roster_with_invitees(world: World, tmp_path: Path) -> None:
    extra = tmp_path / "invitees.csv"
    extra.write_text(
        "姓名,TelegramID,角色,界别,专长,网格\n孙丽,,委员,妇联,市政,ａ02\n钱多多,,委员,,物业,A01\n",
        encoding="utf-8",
    )
    report = await import_roster(world.store, [extra])
    assert report.errors == []
    for person in (SUN, QIAN):
        world.emu.add_user(person.id, person.name)


async def _link(world: World, name: str) -> str:
    made = await invite_all(world.services, world.services.bot_username)
    return next(i.link for i in made if i.member.name == name)


def _token(link: str) -> str:
    return link.split("?start=", 1)[1]


async def test_invited_member_joins_by_link_and_gets_next_notice_privately(
    world: World, tmp_path: Path
) -> None:
    await _roster_with_invitees(world, tmp_path)
    link = await _link(world, "孙丽")
    assert link.startswith(f"https://t.me/{world.services.bot_username}?start=")
    world.say(SUN, f"/start {_token(link)}", chat=SUN.id)
    welcome = await world.private(SUN, "欢迎您，孙丽")
    assert "A02" in welcome.text
    member = await world.store.members.by_telegram_id(SUN.id)
    assert member is not None and member.grid_codes == ("A02",) and member.reachable
    assert [p.name for p in await world.store.invitations.waiting()] == ["钱多多"]
    # Her next notice comes to her privately: A02's street-light issues are hers (市政).
    await world.reply_to(world.say(ZHAO, "/bind A02", chat=A02))
    await world.reply_to(world.say(ZHANG, LAMP, chat=A02))
    notice = await world.private(SUN, "#1")
    assert "市政设施" in notice.text and LAMP in notice.text


async def test_used_expired_and_revoked_links_are_refused_politely(
    world: World, tmp_path: Path, clock: Clock
) -> None:
    await _roster_with_invitees(world, tmp_path)
    sun = _token(await _link(world, "孙丽"))
    world.say(SUN, f"/start {sun}", chat=SUN.id)
    await world.private(SUN, "欢迎您")
    world.say(QIAN, f"/start {sun}", chat=QIAN.id)  # someone else with the same sheet
    assert "已经使用过" in (await world.private(QIAN, "邀请")).text
    first = _token(await _link(world, "钱多多"))
    second = _token(await _link(world, "钱多多"))  # a new sheet: the old one is void
    world.say(QIAN, f"/start {first}", chat=QIAN.id)
    await world.private(QIAN, "已作废")
    clock.advance(days=31)
    world.say(QIAN, f"/start {second}", chat=QIAN.id)
    await world.private(QIAN, "已过期")
    world.say(QIAN, "/start abcdefghijklmnopqrstuv", chat=QIAN.id)
    await world.private(QIAN, "没有找到这个邀请")
    assert await world.store.members.by_telegram_id(QIAN.id) is None


async def test_coordinator_gets_an_invitation_link_by_name_in_private(
    world: World, tmp_path: Path
) -> None:
    await _roster_with_invitees(world, tmp_path)
    world.say(ZHAO, "/invite 钱多多", chat=ZHAO.id)
    answer = await world.private(ZHAO, "钱多多 的邀请链接")
    username = world.services.bot_username
    token = answer.text.split(f"https://t.me/{username}?start=", 1)[1].split()[0]
    world.say(QIAN, f"/start {token}", chat=QIAN.id)
    await world.private(QIAN, "欢迎您，钱多多")
    world.say(LI, "/invite 孙丽", chat=LI.id)
    await world.private(LI, "只有召集人")
    world.say(ZHAO, "/invite 无此人", chat=ZHAO.id)
    await world.private(ZHAO, "没有尚未加入的委员「无此人」")


async def test_stats_and_digest_list_members_not_yet_joined(world: World, tmp_path: Path) -> None:
    await _roster_with_invitees(world, tmp_path)
    world.say(ZHAO, "/stats", chat=ZHAO.id)
    stats = await world.private(ZHAO, "尚未加入的委员")
    assert "孙丽（A02）" in stats.text and "钱多多（A01）" in stats.text
    world.say(ZHAO, "/digest", chat=ZHAO.id)  # the coordinators' weekly digest, on demand
    digest = await world.emu.wait_for(
        lambda s: s.chat_id == ZHAO.id and s.message_id > stats.message_id
        and "尚未加入的委员" in (s.text or "")
    )  # fmt: skip
    assert "孙丽" in digest.text
    world.say(WANG, "/stats", chat=WANG.id)  # a member's figures do not list them
    figures = await world.emu.wait_for(lambda s: s.chat_id == WANG.id)
    assert "尚未加入" not in (figures.text or "")


async def test_link_of_a_member_removed_before_joining_is_refused(
    world: World, tmp_path: Path
) -> None:
    await _roster_with_invitees(world, tmp_path)
    token = _token(await _link(world, "孙丽"))
    assert await remove_member(world.services, "孙丽") == ("孙丽", 0)
    world.say(SUN, f"/start {token}", chat=SUN.id)
    await world.private(SUN, "已作废")
    assert await world.store.members.by_telegram_id(SUN.id) is None
