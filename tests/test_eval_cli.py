"""`gridbot classify`, `gridbot eval` and `gridbot learn` from the command line (issue 4)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.classify.evaluation import TITLE_REPEAT, DataError, read_labelled_csv
from bot.classify.taxonomy import load_taxonomy
from handlers.cli import main

DATA = Path(__file__).parent / "data" / "messages"
GRID_SET = Path(__file__).parent / "data" / "grid_messages.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_classify_prints_category_score_margin_and_keywords(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "classify", "我们小区门口的路灯不亮了")
    assert code == 0
    assert out.startswith("市政设施  score=")
    assert "margin=" in out and "keywords=" in out and "路灯" in out and "problem=yes" in out


def test_classify_json_is_one_object_with_the_explanation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "classify", "--json", "煤氣洩漏了！快來人")
    result = json.loads(out)
    assert code == 0
    assert result["category"] == "治安安全" and result["urgent"] is True
    assert "煤气泄漏" in result["urgent_keywords"] and result["keywords"]
    assert set(result) >= {"score", "margin", "is_problem"}


def test_classify_uses_the_taxonomy_named_by_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.toml"
    path.write_text("[categories.'水果'.keywords]\n'苹果' = 2\n", encoding="utf-8")
    monkeypatch.setenv("GRIDBOT_TAXONOMY", str(path))
    code, out, _ = run(capsys, "classify", "苹果坏了")
    assert code == 0 and out.startswith("水果  ")


def test_eval_json_reports_accuracy_macro_f1_and_coverage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "eval", str(GRID_SET), "--json")
    report = json.loads(out)
    assert code == 0
    assert report["accuracy"] >= 0.95 and 0 < report["macro_f1"] <= 1
    assert 0 < report["coverage"] <= 1
    assert report["per_category"]["市政设施"]["support"] >= 25
    assert report["confusion"]["非诉求"]["非诉求"] >= 100


def test_eval_text_report_has_per_category_table_and_confusion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "eval", str(GRID_SET))
    assert code == 0
    assert "macro-F1" in out and "precision" in out and "confusion" in out
    assert "chit-chat taken as a problem" in out


def test_learn_then_eval_with_the_learned_taxonomy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learned = tmp_path / "learned.toml"
    code, out, _ = run(
        capsys,
        "learn",
        str(DATA / "messages_dev.csv"),
        "--seed",
        str(DATA / "taxonomy.csv"),
        "--out",
        str(learned),
    )
    assert code == 0 and "8 categories" in out
    assert learned.read_text(encoding="utf-8").startswith("# Learned by `gridbot learn`")
    assert set(load_taxonomy(learned).names) >= {"城乡建设", "卫生计生", "其他"}
    code, out, _ = run(
        capsys, "eval", str(DATA / "messages_dev.csv"), "--taxonomy", str(learned), "--json"
    )
    report = json.loads(out)
    assert code == 0 and report["macro_f1"] > 0.85 and report["coverage"] == 1.0


def test_title_counts_as_many_mentions_in_front_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    rows = "id,title,text,label\n1,路灯不亮,已经三天了,市政设施\n2,,没有标题,x\n"
    path.write_text(rows, encoding="utf-8")
    titled = " ".join(["路灯不亮"] * TITLE_REPEAT + ["已经三天了"])
    assert TITLE_REPEAT > 1
    assert read_labelled_csv(path) == [(titled, "市政设施"), ("没有标题", "x")]


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["eval", "{tmp}/missing.csv"], "missing.csv: no such file"),
        (["eval", "{tmp}/nolabel.csv"], "missing column 'label'"),
        (["eval", "{grid}", "--taxonomy", "{tmp}/bad.toml"], "bad.toml: not valid TOML"),
        (["classify", "x", "--taxonomy", "{tmp}/missing.toml"], "no such taxonomy file"),
        (["learn", "{grid}", "--seed", "{tmp}/nolabel.csv", "--out", "{tmp}/o.toml"], "level1"),
        (["learn", "{grid}", "--out", "{tmp}/no/dir/o.toml"], "cannot write"),
        (["learn", "{tmp}/empty.csv", "--out", "{tmp}/o.toml"], "no labelled rows"),
    ],
)
def test_bad_input_gives_one_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], problem: str
) -> None:
    (tmp_path / "nolabel.csv").write_text("text,category\n路灯,市政\n", encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[categories\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("text,label\n", encoding="utf-8")
    args = [a.format(tmp=tmp_path, grid=GRID_SET) for a in argv]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and problem in err and "Traceback" not in err


def test_a_real_process_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "eval", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[1],
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().endswith("none.csv: no such file")
    assert "Traceback" not in done.stderr


def test_reading_a_csv_without_rows_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("text,label\n", encoding="utf-8")
    with pytest.raises(DataError, match="no labelled rows"):
        read_labelled_csv(path)
