"""The urgency opinion: dangers described in words no danger pattern knows (issue 18)."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import (
    Category,
    Danger,
    Taxonomy,
    dump_taxonomy,
    load_taxonomy,
    parse_taxonomy,
)

URGENT_EXAMPLES = ("电线耷拉到地上一闪一闪", "线头垂下来一闪一闪的", "那根线耷拉着还闪")
CALM_EXAMPLES = ("楼道灯一闪一闪的不亮", "电费怎么交", "路灯坏了好几天", "灯管闪个不停")


def wire_taxonomy(lead: float, dangers: tuple[Danger, ...] = ()) -> Taxonomy:
    """A small taxonomy whose only urgent evidence can be the opinion's."""
    examples = tuple((t, "市政") for t in (*URGENT_EXAMPLES, *CALM_EXAMPLES)) * 2
    return Taxonomy(
        categories=(Category("市政", {"线": 2.0, "灯": 2.0}),),
        problem_threshold=1.5,
        examples=examples,
        urgent_examples=URGENT_EXAMPLES,
        urgent_lead=lead,
        urgent_advice="远离危险",
        dangers=dangers,
    )


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


def test_sparking_wire_down_is_urgent_with_95598(classifier: Classifier) -> None:
    # no danger word nor pattern: "线" is no 电线, 噼啪/闪光 are in no danger's list
    result = classifier.classify("楼下那根线垂到地上一直噼啪响还闪光")
    assert result.urgent and result.danger == "wire" and "95598" in result.advice
    assert any(line.startswith("urgency by character n-grams +") for line in result.reasons)


def test_the_opinion_alone_makes_urgent_and_names_its_ngrams() -> None:
    text = "门口那根线耷拉下来一闪一闪"
    assert not Classifier(wire_taxonomy(0.0)).classify(text).urgent
    result = Classifier(wire_taxonomy(6.0)).classify(text)
    assert result.is_problem and result.urgent
    assert result.urgent_keywords and all(g in text for g in result.urgent_keywords)


def test_urgent_without_a_danger_kind_gets_the_general_advice() -> None:
    result = Classifier(wire_taxonomy(6.0)).classify("门口那根线耷拉下来一闪一闪")
    assert result.urgent and result.danger is None and result.advice == "远离危险"


def test_the_danger_kind_is_chosen_from_its_examples_for_its_advice() -> None:
    # the examples a danger's words name teach its kind: 电线掉 the wire, 漏气 the gas
    wire = Danger("wire", {"电线掉": 2.0}, advice="拨打 95598")
    gas = Danger("gas", {"漏气": 2.0}, advice="开窗撤离")
    named = ("电线掉了耷拉着一闪一闪", "厨房漏气了一股臭味")
    tax = wire_taxonomy(6.0, (wire, gas))
    tax = replace(tax, urgent_examples=(*tax.urgent_examples, *named))
    result = Classifier(tax).classify("门口那根线耷拉下来一闪一闪")
    assert result.urgent and result.danger == "wire" and result.advice == "拨打 95598"


def test_an_ordinary_flicker_stays_not_urgent() -> None:
    result = Classifier(wire_taxonomy(6.0)).classify("楼道灯一闪一闪的，麻烦修一下")
    assert result.is_problem and not result.urgent


@pytest.mark.parametrize(
    "text",
    [
        "本周六上午小区开展消防演练，请大家配合",
        "燃气安全检查通知：下周二入户检查，请家中留人",
        "燃气管道老化了，担心会漏气",
        "电动车在楼道充电有火灾隐患",
    ],
)
def test_chat_about_danger_words_stays_not_urgent(classifier: Classifier, text: str) -> None:
    assert not classifier.classify(text).urgent


@pytest.mark.parametrize("text", ["[捂脸][捂脸]", "[捂脸]", "捂脸"])
def test_a_sticker_is_no_danger(classifier: Classifier, text: str) -> None:
    # its few n-grams lean towards 捂住口鼻 in the advice-like examples; a mean of three
    # n-grams is no evidence
    result = classifier.classify(text)
    assert not result.is_problem and not result.urgent, result.reasons


def test_urgent_column_of_the_examples_file_is_read_and_old_files_still_are(
    tmp_path: Path,
) -> None:
    toml = '[second_opinion]\nexamples = "ex.csv"\n[categories."市政".keywords]\n"线" = 2\n'
    (tmp_path / "t.toml").write_text(toml, encoding="utf-8")
    csv = tmp_path / "ex.csv"
    csv.write_text("text,category,urgent\n电线掉了,市政,1\n灯坏了,市政,0\n", encoding="utf-8")
    tax = load_taxonomy(tmp_path / "t.toml")
    assert tax.urgent_examples == ("电线掉了",) and len(tax.examples) == 2
    csv.write_text("text,category\n电线掉了,市政\n", encoding="utf-8")
    assert load_taxonomy(tmp_path / "t.toml").urgent_examples == ()


def test_urgency_opinion_round_trips() -> None:
    tax = replace(wire_taxonomy(6.0), urgent_clip=0.8)
    again = parse_taxonomy(tomllib.loads(dump_taxonomy(tax)))
    assert again.urgent_examples == tax.urgent_examples
    assert (again.urgent_lead, again.urgent_clip) == (6.0, 0.8)
