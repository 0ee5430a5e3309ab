"""Issue 18: the category comes from what is wrong, not from where it is or who is to blame;
two things in one message are resolved by the part still wrong; the character n-gram second
opinion names the n-grams that decided; not-a-problem shapes (thanks, announcements,
lost-and-found) are read whatever their words."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.classify.classifier import Classifier
from bot.classify.learning import learn
from bot.classify.taxonomy import (
    NOT_A_PROBLEM,
    Category,
    Taxonomy,
    TaxonomyError,
    dump_taxonomy,
    load_taxonomy,
    parse_taxonomy,
)
from bot.classify.textnorm import Normalizer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("物业说不归他们管，路口的红绿灯坏了一整天", "交通出行"),
        ("小区里的垃圾桶三天没人倒了，苍蝇乱飞", "环境卫生"),
        ("学校门口的井盖碎了一块，一直没人换", "市政设施"),
        ("小区篮球场的篮板裂了，孩子们没法打球", "教育文体"),
    ],
)
def test_what_is_wrong_decides_not_the_place_or_who_is_to_blame(
    classifier: Classifier, text: str, category: str
) -> None:
    result = classifier.classify(text)
    assert result.is_problem and result.category == category, result.reasons


def test_the_settled_part_of_a_two_thing_message_counts_little(classifier: Classifier) -> None:
    text = "路灯修好了谢谢，可是楼下那片垃圾还是没人收，臭死了"
    result = classifier.classify(text)
    assert result.is_problem and result.category == "环境卫生"
    assert any("修好了+0.8" in line for line in result.reasons), result.reasons


def test_thanks_without_a_contrast_stay_thanks(classifier: Classifier) -> None:
    assert not classifier.classify("谢谢物业，电梯修好了，跑得又快又稳").is_problem


def test_a_deciding_danger_names_the_category_and_explains_it(classifier: Classifier) -> None:
    result = classifier.classify("燃气管子裂开了，一直嘶嘶响，满屋子味道")
    assert result.urgent and result.danger == "gas" and result.category == "治安安全"
    assert result.keywords


@pytest.mark.parametrize(
    "text",
    [
        "感谢网格员，我妈的低保已经办妥了",
        "本周五上午小区统一开展灭蚊消杀，请关好门窗",
        "在东门捡到一个书包，已经交到门卫室了",
        "有人知道周末社区食堂开不开门吗",
    ],
)
def test_not_a_problem_shapes_are_read_and_shown(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert not result.is_problem
    shown = next(line for line in result.reasons if line.startswith("not-a-problem words"))
    # a matched shape is shown as the text it matched, without a weight
    parts = shown.split("(", 1)[1].rstrip(")").split(",")
    assert any("+" not in part and part in Normalizer().normalize(text) for part in parts)


def two_category_taxonomy(weight: float) -> Taxonomy:
    return Taxonomy(
        categories=(Category("水电", {"停水": 2.0}), Category("文体", {"球场": 2.0})),
        min_score=1.0,
        opinion_weight=weight,
        examples=(("水管爆了水龙头没水", "水电"), ("篮板碎了没法打球", "文体")) * 3,
    )


def test_the_second_opinion_names_a_category_the_keywords_miss_and_shows_its_ngrams() -> None:
    result = Classifier(two_category_taxonomy(3.0)).classify("家里水龙头一直没水")
    assert result.category == "水电"
    assert result.opinion and result.keywords == result.opinion
    norm = Normalizer()
    assert all(norm.normalize(gram) in "家里水龙头一直没水" for gram in result.opinion)
    assert any(line.startswith("category 水电 by character n-grams") for line in result.reasons)


def test_when_the_ngrams_overrule_the_keywords_each_line_names_its_own_category() -> None:
    result = Classifier(two_category_taxonomy(3.0)).classify("球场边水龙头一直没水没水")
    assert result.category == "水电"
    # The category term is the keywords' score: it names their category and their words,
    # never the category given with words that are not in the text.
    assert result.reasons[0] == "category 文体 +2.0 (球场+2)"
    assert result.reasons[1].startswith("category 水电 by character n-grams (")


def test_without_the_second_opinion_the_keywords_alone_decide() -> None:
    result = Classifier(two_category_taxonomy(0.0)).classify("家里水龙头一直没水")
    assert result.category == "其他" and not result.opinion


def test_the_second_opinion_never_overrules_strong_keywords() -> None:
    result = Classifier(two_category_taxonomy(3.0)).classify("球场停水停水停水了，水龙头没水")
    assert result.category == "水电" and not result.opinion
    result = Classifier(two_category_taxonomy(3.0)).classify("球场球场旁边的水龙头没水")
    assert result.category == "文体"


def test_a_text_about_nothing_in_particular_stays_in_the_catch_all(
    classifier: Classifier,
) -> None:
    result = classifier.classify("这个事反映了好多次，一直没人理，到底找谁")
    assert result.is_problem and result.category == "其他" and not result.opinion


def test_second_opinion_round_trips_and_reads_its_examples_file(tmp_path: Path) -> None:
    tax = two_category_taxonomy(2.5)
    again = parse_taxonomy(__import__("tomllib").loads(dump_taxonomy(tax)))
    assert again.examples == tax.examples and again.opinion_weight == 2.5
    (tmp_path / "ex.csv").write_text("text,category\n水管爆了,水电\n", encoding="utf-8")
    (tmp_path / "t.toml").write_text(
        '[second_opinion]\nweight = 1\nexamples = "ex.csv"\n[categories."水电".keywords]\n'
        '"停水" = 2\n',
        encoding="utf-8",
    )
    assert load_taxonomy(tmp_path / "t.toml").examples == (("水管爆了", "水电"),)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[second_opinion]\nexamples = "nowhere.csv"\n', "nowhere.csv"),
        ("[second_opinion]\nexamples = [1, 2]\n", "examples"),
        ("[second_opinion]\nweight = -1\n", "second_opinion.weight"),
        ("[problem.chitchat_patterns]\n'(' = 1\n", "chitchat_patterns"),
    ],
)
def test_bad_second_opinion_or_pattern_gives_one_line(
    tmp_path: Path, body: str, says: str
) -> None:
    file = tmp_path / "t.toml"
    file.write_text(body + '[categories."甲".keywords]\n"路灯" = 1\n', encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(file)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_a_learned_taxonomy_carries_its_texts_for_the_second_opinion() -> None:
    rows = [("路灯坏了不亮", "城建"), ("路灯又坏", "城建"), ("学校收费太高", "教育")] * 2
    tax = learn(rows)
    categorised = {e for e in tax.examples if e[1] != NOT_A_PROBLEM}
    assert tax.opinion_weight > 0 and categorised == set(rows)
    # the base's non-problems stay, the problem opinion's other side
    assert any(label == NOT_A_PROBLEM for _, label in tax.examples)
    assert not tax.settled_markers
    assert Classifier(replace(tax)).classify("学校乱收费").category == "教育"


def test_grid_eval_measures_any_csv_given_with_file(tmp_path: Path) -> None:
    file = tmp_path / "sealed.csv"
    file.write_text(
        "text,is_problem,category,urgent\n"
        "小区门口的路灯坏了好几天了,1,市政设施,0\n"
        "大家早上好,0,,0\n"
        "电梯卡住了我被困在里面,1,物业管理,1\n",
        encoding="utf-8",
    )
    ran = subprocess.run(
        [sys.executable, "-m", "bench.grid_eval", "--file", str(file)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "rows: 3" in ran.stdout and "problem recall: 2/2" in ran.stdout
    assert "urgent recall: 1/1" in ran.stdout


def test_grid_eval_names_a_missing_column_in_one_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("text,category\n路灯坏了,市政设施\n", encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-m", "bench.grid_eval", "--file", str(file)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode != 0
    assert ran.stderr.strip().count("\n") == 0 and "is_problem" in ran.stderr


def problem_opinion_taxonomy(weight: float) -> Taxonomy:
    notices = ("通知明天上午停水请提前储水", "温馨提示本周六停水请大家提前准备")
    reports = ("家里又停水了一直没人管", "停水好几天了到底怎么回事")
    return Taxonomy(
        categories=(Category("水电", {"停水": 1.0}),),
        problem_threshold=1.5,
        problem_markers={"没人管": 1.0},
        problem_weight=weight,
        examples=tuple((t, "非诉求") for t in notices * 3)
        + tuple((t, "水电") for t in reports * 3),
    )


def test_the_problem_opinion_tells_a_notice_from_a_report_and_shows_its_ngrams() -> None:
    notice = "通知：下周二停水，请提前储水"
    assert Classifier(problem_opinion_taxonomy(0.0)).classify(notice + "没人管").is_problem
    with_opinion = Classifier(problem_opinion_taxonomy(3.0))
    result = with_opinion.classify(notice)
    assert not result.is_problem
    line = next(r for r in result.reasons if r.startswith("character n-grams -"))
    grams = line.split("(", 1)[1].rstrip(")").split(",")
    assert grams and all(
        Normalizer().normalize(g) in Normalizer().normalize(notice) for g in grams
    )
    assert with_opinion.classify("又停水了，好几天了到底怎么回事").is_problem


def test_the_problem_opinion_alone_never_makes_a_problem() -> None:
    # no category or problem word: whatever the n-grams lean, nothing is added
    result = Classifier(problem_opinion_taxonomy(3.0)).classify("家里到底怎么回事了")
    assert not result.is_problem
    assert not any(r.startswith("character n-grams +") for r in result.reasons)


def test_problem_opinion_settings_round_trip() -> None:
    tax = problem_opinion_taxonomy(2.0)
    again = parse_taxonomy(__import__("tomllib").loads(dump_taxonomy(tax)))
    assert again.problem_weight == 2.0 and again.problem_clip == tax.problem_clip
    assert again.examples == tax.examples


def test_two_things_the_problem_opinion_reads_the_part_still_wrong(
    classifier: Classifier,
) -> None:
    # the thanks for the lift do not make the flooded garage a thank-you note
    assert classifier.classify("电梯问题解决了，可是地下车库又积水了").is_problem
