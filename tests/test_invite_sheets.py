"""Issue 17: `gridbot roster invites` writes a printable sheet per member without an id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from docx import Document

from bot.grids.invitations import token_hash
from bot.grids.roster import import_roster
from handlers.emulator.server import BotApiEmulator
from storage.store import open_store
from tests.cli import gridbot
from tests.offices import gbk_csv, messy_workbook

DEMO = Path(__file__).parents[1] / "bot" / "data" / "demo"


async def _office(url: str, tmp_path: Path) -> None:
    store = await open_store(url)
    await import_roster(store, [messy_workbook(tmp_path / "花名册.xlsx")])
    await import_roster(store, [gbk_csv(tmp_path / "委员.csv")])
    await store.close()


async def test_invitation_sheets_hold_a_qr_code_name_grid_and_working_link(
    database_url: str, tmp_path: Path
) -> None:
    await _office(database_url, tmp_path)
    out = tmp_path / "邀请.docx"
    env = {"GRIDBOT_DATABASE_URL": database_url, "GRIDBOT_BOT_USERNAME": "@grid_helper_bot"}
    ran = await gridbot("roster", "invites", "--out", str(out), env=env)
    assert ran.code == 0, ran.err
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert len(document.inline_shapes) == 2  # 孙丽 and 钱多多: one QR code each
    assert "孙丽" in text and "A02" in text and "钱多多" in text and "扫描" in text
    links = [p.text for p in document.paragraphs if p.text.startswith("https://t.me/")]
    assert len(links) == 2 and all("grid_helper_bot?start=" in link for link in links)
    store = await open_store(database_url)
    for link in links:  # each printed link opens its member's invitation, once
        found = await store.invitations.redeem(
            # The command stamped them with the real time, so they are opened at it too.
            token_hash(link.split("=", 1)[1]),
            9000 + links.index(link),
            datetime.now(UTC),
        )
        assert found.outcome == "ok"
    assert await store.invitations.waiting() == []
    await store.close()


async def test_invites_for_one_grid_accept_the_code_as_typed(
    database_url: str, tmp_path: Path
) -> None:
    await _office(database_url, tmp_path)
    out = tmp_path / "a02.docx"
    env = {"GRIDBOT_DATABASE_URL": database_url, "GRIDBOT_BOT_USERNAME": "grid_helper_bot"}
    ran = await gridbot("roster", "invites", "--grid", "ａ０２", "--out", str(out), env=env)
    assert ran.code == 0, ran.err
    names = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "孙丽" in names and "钱多多" not in names


async def test_invites_take_the_bot_name_from_telegram_with_a_token(
    database_url: str, tmp_path: Path
) -> None:
    await _office(database_url, tmp_path)
    out = tmp_path / "邀请.docx"
    async with BotApiEmulator() as emu:
        env = {"GRIDBOT_DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": emu.token,
               "GRIDBOT_TELEGRAM_API": emu.base_url}  # fmt: skip
        ran = await gridbot("roster", "invites", "--out", str(out), env=env)
    assert ran.code == 0, ran.err
    username = emu.bot_user["username"]
    links = [p.text for p in Document(str(out)).paragraphs if p.text.startswith("https://")]
    assert links and all(link.startswith(f"https://t.me/{username}?start=") for link in links)


async def test_invites_without_a_bot_name_or_a_folder_are_one_line(
    database_url: str, tmp_path: Path
) -> None:
    env = {"GRIDBOT_DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": ""}
    ran = await gridbot("roster", "invites", "--out", str(tmp_path / "x.docx"), env=env)
    assert ran.code == 2 and "GRIDBOT_BOT_USERNAME" in ran.err and "Traceback" not in ran.err
    env["GRIDBOT_BOT_USERNAME"] = "grid_helper_bot"
    ran = await gridbot("roster", "invites", "--out", str(tmp_path / "no" / "x.docx"), env=env)
    assert ran.code == 2 and "does not exist" in ran.err
    ran = await gridbot("roster", "invites", "--out", str(tmp_path / "x.pdf"), env=env)
    assert ran.code == 2 and ".docx" in ran.err and "Traceback" not in ran.err
