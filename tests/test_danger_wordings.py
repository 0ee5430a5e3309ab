"""Issue 18 (the sealed6 round): dangers told in other words are urgent with their own
advice (a child gone a few words later or in Cantonese, water pouring into homes, a stray
dog biting, someone saying they will jump, a fire that has started), and what only looks
like one is not (a fire dreamt or imagined, a pit people keep tripping in, a false gas
alarm now cleared)."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "danger", "advice"),
    [
        ("我儿子在超市门口玩着玩着就不见了，七岁，戴黄帽子", "missing", "110"),
        ("個仔喺商場唔見咗，佢三歲，大家幫手睇下", "missing", "110"),
        ("暴雨太大了，雨水倒灌进一楼住户家里，床都泡了", "flood", "切断电源"),
        ("河边那几户成屋水浸，水还在涨", "flood", "119"),
        ("菜市场那群流浪狗扑上来咬了一个买菜的阿姨", "stray", "狂犬疫苗"),
        ("有个小伙子站在楼顶，一直喊着要跳", "jump", "12356"),
        ("3号楼电梯坏在半路，把人关在里面半小时了", "lift", "96333"),
        ("对面的仓库起火了，火苗窜得老高", "fire", "119"),
        ("隔壁楼的周伯伯三天打不通电话，他是一个人住的", "alone", "110"),
        ("污水处理站那股怪味飘过来，楼里好几个人头晕想吐", "toxic", "12369"),
    ],
)
def test_danger_in_other_words_is_urgent_with_its_advice(
    classifier: Classifier, text: str, danger: str, advice: str
) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.urgent and found.danger == danger, found
    assert advice in found.advice


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a child gone is public safety whatever place is named (学校, 公园)
        ("孩子在学校操场上一转眼就不见了，快帮忙找找", "治安安全"),
        # strays are nobody's pets: public safety, not the neighbours'
        ("小区里那条野狗今天追着咬了两个小孩", "治安安全"),
        # a pet named by its breed is the neighbours' matter
        ("三楼那家的泰迪冲出来咬了我女儿一口，腿都出血了", "邻里纠纷"),
    ],
)
def test_a_deciding_danger_names_the_category(
    classifier: Classifier, text: str, category: str
) -> None:
    found = classifier.classify(text)
    assert found.urgent and found.category == category, found


@pytest.mark.parametrize(
    "text",
    [
        "昨晚做梦梦见我们楼着火了，吓出一身汗",
        "要是着火了，这消防通道堆满杂物，消防车都进不来",
    ],
)
def test_a_fire_dreamt_or_imagined_is_no_emergency(classifier: Classifier, text: str) -> None:
    assert not classifier.classify(text).urgent


def test_a_pit_people_keep_tripping_in_is_a_complaint_not_an_emergency(
    classifier: Classifier,
) -> None:
    found = classifier.classify("菜场门口路面有个坑，骑车的经常摔，报了好几次了")
    assert found.is_problem and not found.urgent


def test_a_gas_alarm_cleared_is_neither_a_report_nor_urgent(classifier: Classifier) -> None:
    found = classifier.classify("燃气公司师傅来看过了，没漏气，是锅烧糊了")
    assert not found.is_problem and not found.urgent
    assert any("allclear:" in line for line in found.reasons)
