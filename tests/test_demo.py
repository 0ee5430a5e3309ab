"""README's first command: `gridbot demo` plays the whole story with no token and no network,
prints the conversation and leaves the ledger, the digest chart and a 社情民意 draft."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[1]


def test_demo_plays_the_story_and_leaves_its_files(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "demo"], cwd=tmp_path, capture_output=True,
        text=True, timeout=180, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    out = tmp_path / "demo-out"
    for told in ("✅ 已受理 #1【市政设施】", "#1 已解决", "线上协商结果（编号 1）", "2 票"):
        assert told in ran.stdout
    # One post per step: the result and the rating buttons together; a note asked for with
    # a reply prompt; a command typed without its space; roles and times as people say them.
    assert "已解决：路灯已更换，晚上已经亮了\n请张阿姨点下面的按钮评价" in ran.stdout
    assert "[按钮: 满意 | 基本满意 | 不满意]" in ran.stdout and "[回复框]" in ran.stdout
    for machine_like in (
        "已更新为",
        "已等待 0 天",
        "设为 member",
        "已认领：李明 已认领",
        "已受理：微协商",
    ):
        assert machine_like not in ran.stdout
    # The resident wrote the number in full once; the bot quotes the comment masked.
    assert ran.stdout.count("13912345678") == 1 and "139****5678" in ran.stdout
    rows = list(csv.DictReader(io.StringIO((out / "ledger.csv").read_text(encoding="utf-8-sig"))))
    assert [row["id"] for row in rows] == [str(n) for n in range(1, 11)]
    assert (out / "digest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    draft = Document(str(out / "社情民意草稿.docx"))
    text = "\n".join(paragraph.text for paragraph in draft.paragraphs)
    # One problem, 停水, reported three times (#6, #7 in A02, #8); the numbers are only in
    # the appendix table, the body names the community and grids.
    assert "关于幸福里社区停水问题的社情民意" in text and "四、建议" in text
    assert "#" not in text and "A01" not in text and "附议 0" not in text
    [table] = draft.tables
    assert [cell.text for cell in table.rows[1].cells][3] == "#6 #7 #8"
    assert (out / "ledger.xlsx").read_bytes()[:2] == b"PK"
