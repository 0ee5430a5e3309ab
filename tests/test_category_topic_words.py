"""Issue 18 (18c): the topic word decides the category over a place or a bystander named in
passing (a kindergarten, a bridge, a village, a stray dog), and the result names it."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "category", "word"),
    [
        ("羊圈里的羊被野狗咬了好几只", "农业农村", "羊"),
        ("幼儿园里好几个孩子出了水痘，也没人消毒", "医疗卫生", "水痘"),
        ("桥洞下面睡着个流浪汉，天这么冷没人管", "社会保障", "流浪汉"),
        ("燃气灶打不着火，整栋都一样", "市政设施", "打不着火"),
        ("村里到县城的班车停了，进城很不方便", "交通出行", "班车"),
        ("社区给的这个电话是空号", "其他", "空号"),
    ],
)
def test_the_topic_word_decides_over_the_place_named(
    classifier: Classifier, text: str, category: str, word: str
) -> None:
    result = classifier.classify(text)
    assert (result.is_problem, result.category) == (True, category)
    assert word in result.keywords


def test_a_stray_dog_is_nobodys_pet_but_a_neighbours_dog_is(classifier: Classifier) -> None:
    assert classifier.classify("羊圈里的羊被野狗咬了好几只").category != "邻里纠纷"
    assert classifier.classify("邻居家的狗把我咬了").category == "邻里纠纷"


def test_mahjong_at_night_is_a_neighbour_dispute_and_named(classifier: Classifier) -> None:
    result = classifier.classify("对面那户天天打麻将到半夜，吵得睡不着")
    assert result.category == "邻里纠纷"
    assert "麻将" in result.keywords
