"""Issue 17: grid codes mean the same however they are typed (roster, /bind, --grid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.grids.codes import normalise_code
from tests.cli import gridbot
from tests.world import A02, ZHAO, World


@pytest.mark.parametrize("typed", ["A02", "a02", "Ａ０２", "ａ０２", " A 02 ", "A０2"])
def test_every_way_of_typing_a_code_is_the_same_code(typed: str) -> None:
    assert normalise_code(typed) == "A02"


async def test_bind_takes_the_code_as_typed(world: World) -> None:
    answer = await world.reply_to(world.say(ZHAO, "/bind ａ０２", chat=A02))
    assert "已将本群绑定到网格 A02" in answer.text
    grid = await world.store.grids.by_code("A02")
    assert grid is not None and grid.chat_id == A02


async def test_report_grid_option_takes_the_code_as_typed(
    database_url: str, tmp_path: Path
) -> None:
    out = str(tmp_path / "x.docx")
    ran = await gridbot("report", "sqmy", "--grid", "ｚ９９", "--out", out,
                        env={"GRIDBOT_DATABASE_URL": database_url})  # fmt: skip
    assert ran.code == 2 and "'Z99'" in ran.err and "Traceback" not in ran.err
