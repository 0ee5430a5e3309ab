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
    # The resident wrote the number in full once; the bot quotes the comment masked.
    assert ran.stdout.count("13912345678") == 1 and "139****5678" in ran.stdout
    rows = list(csv.DictReader(io.StringIO((out / "ledger.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [str(n) for n in range(1, 9)]
    assert (out / "digest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    draft = Document(str(out / "社情民意草稿.docx"))
    text = "\n".join(paragraph.text for paragraph in draft.paragraphs)
    assert "#1 #5 #6" in text and "四、建议" in text
