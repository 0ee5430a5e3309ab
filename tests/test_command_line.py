"""SPEC §4: a bad path or argument on any command is one clear line and exit 2, never a
traceback; without `--format` the format follows the file name (issue 14)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.cli import build_parser, main
from handlers.cli.helptext import missing
from tests.cli import Ran, run_command

MISSING = "/no/such/folder"


def gridbot(tmp_path: Path, *args: str) -> Ran:
    """`gridbot ARGS` run in `tmp_path` with nothing in the environment but PATH and a database."""
    env = {"PATH": "/usr/bin", "GRIDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"}
    with contextlib.chdir(tmp_path):
        return run_command(list(args), env, only=True)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["export", "--out", f"{MISSING}/ledger.csv"], "does not exist"),
        (["export", "--out", "."], "is a folder"),
        (["export", "--out", "ledger.txt"], "cannot tell the format"),
        (["export", "--format", "csv", "--out", "ledger.xlsx"], "says xlsx"),
        (["export", "--format", "pdf", "--out", "ledger.pdf"], "--format must be one of"),
        (["report", "sqmy", "--out", f"{MISSING}/draft.docx"], "does not exist"),
        (["report", "sqmy", "--out", "."], "is a folder"),
        (["report", "sqmy", "--format", "docx", "--out", "draft.md"], "says md"),
        (["report", "sqmy", "--out", "draft.txt"], "cannot tell the format"),
        (["backup", f"{MISSING}/copy.db"], "does not exist"),
        (["backup", "."], "is a folder"),
        (["demo", "--out", "g.db"], "is a file"),
        (["jobs", "run", "topics", "--grid", "A01"], "--grid does not apply"),
    ],
)
def test_bad_output_paths_and_formats_are_one_line(
    tmp_path: Path, args: list[str], said: str
) -> None:
    (tmp_path / "g.db").touch()
    ran = gridbot(tmp_path, *args)
    assert ran.code == 2, ran.err
    assert said in ran.err and ran.err.count("\n") == 1
    assert "Traceback" not in ran.err + ran.out


def test_export_takes_the_format_from_the_file_name(tmp_path: Path) -> None:
    ran = gridbot(tmp_path, "export", "--out", "台账.xlsx")
    assert ran.code == 0, ran.err
    assert load_workbook(tmp_path / "台账.xlsx").sheetnames  # a workbook, not CSV text
    assert gridbot(tmp_path, "export", "--out", "台账.csv").code == 0
    assert (tmp_path / "台账.csv").read_text(encoding="utf-8-sig").startswith("id,grid,")


def test_demo_never_deletes_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("my notes")
    ran = gridbot(tmp_path, "demo", "--out", "mine")
    assert ran.code == 2 and "holds other files" in ran.err
    assert (tmp_path / "mine" / "keep.txt").read_text() == "my notes"


def test_an_unexpected_failure_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("handlers.cli.classify.run_classify", broken)
    code = main(["classify", "路灯坏了"])
    err = capsys.readouterr().err
    assert code == 1 and "disk on fire" in err and "-v" in err and "Traceback" not in err


def test_every_command_and_option_is_explained_in_chinese_and_english(tmp_path: Path) -> None:
    assert missing(build_parser()) == []
    for args in (["jobs", "run", "--help"], ["report", "sqmy", "--help"]):
        shown = gridbot(tmp_path, *args)
        assert shown.code == 0 and "用法 usage:" in shown.out
        assert "选项 options" in shown.out and "显示帮助并退出" in shown.out
    helped = gridbot(tmp_path, "jobs", "run", "--help").out
    assert "只显示将要发送的消息" in helped and "print what would be sent" in helped


def test_short_commands_print_a_summary_and_no_log_lines(tmp_path: Path) -> None:
    ran = gridbot(tmp_path, "report", "sqmy", "--out", "draft.md")
    assert ran.code == 0, ran.err
    assert "INFO" not in ran.out + ran.err and "未生成文稿" in ran.out
    ran = gridbot(tmp_path, "export", "--out", "ledger.csv")
    assert ran.code == 0 and "已写入" in ran.out and "INFO" not in ran.err


def test_the_command_starts_as_its_own_program() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 0 and "用法 usage:" in shown.stdout
    assert "选项 options" in shown.stdout and "显示帮助并退出" in shown.stdout
