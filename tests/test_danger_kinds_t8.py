"""Issue 18 (T8, the sealed8 round): rules written by kind after reading tune8's misses,
checked on sentences of my own. Questions for information (whom to hand a form to, from
what age, 请问 + when), jobs said done (已经…好了), people already rescued, power cut off to
make something safe, advice on what to do if a danger comes, a find handed in and a parcel
whose owner is asked for are no reports; a leak written 泄露, water in the living room, a
sign 摇摇欲坠, someone fainted where they stood and a head cut open are urgent; a loose
cover that rattles and things piled in a stairwell are not; stall food hygiene, registered
post, a school's bike shed and smoke from a flat name their own categories."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.mark.parametrize(
    "text",
    [
        # asking for information, not about something wrong
        "廉租房补助的申请表填完了交给谁？",
        "残疾人护理补贴多少岁以上可以领？",
        "请问今年的取暖补贴什么时候发放",
        # a job said done, people out, made safe
        "门口那段坑坑洼洼的路已经铺好了",
        "三楼卡在电梯里的小孩已经被救出来了，电梯先停用",
        "冒火花的那根电线已经断电处理，明天电工来换",
        "地下车库的积水已经抽干了",
        # advice forwarded: what to do if it happens
        "转发：家里着火了怎么办？用湿毛巾捂住口鼻，不要坐电梯，拨打119",
        # a find, a parcel whose owner is asked for
        "拾到一串钥匙，已经交到物业前台了",
        "驿站有个包裹放了一周了，收件人写的李先生，是谁的？",
        # the work done, and thanks
        "屋后那条水沟清好了，下雨不怕淹了，谢谢村里",
    ],
)
def test_not_a_report(classifier: Classifier, text: str) -> None:
    found = classifier.classify(text)
    assert not found.is_problem and not found.urgent, found.explain()


@pytest.mark.parametrize(
    "text",
    [
        # a complaint asked as a question stays a report
        "请问我爸的养老金这个月怎么没到账，要找谁",
        "请问这片停电什么时候来电，从中午停到现在了",
        "想问下门口的垃圾什么时候清，都堆了四天了",
    ],
)
def test_still_a_report(classifier: Classifier, text: str) -> None:
    assert classifier.classify(text).is_problem


def test_a_residents_word_of_a_repair_under_way_is_asked_about(classifier: Classifier) -> None:
    # Someone is already on it: registering it could double an issue, dropping it could
    # lose one, so the author is asked (登记为诉求 / 不用了).
    found = classifier.classify("5栋水管爆了，正在抢修")
    assert found.borderline and not found.is_problem, found.explain()


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("厨房里燃气泄露了，一股臭味", "gas"),
        ("楼道里一股煤气那个味儿，也不知道谁家的", "gas"),
        ("水管爆了，我家客厅卧室全淹了", "flood"),
        ("落咗成晚雨，水浸入屋，客厅都系水", "flood"),
        ("商场门口的大招牌被风吹得摇摇欲坠", "sign"),
        ("超市门口有个大叔晕倒在地上了", "collapse"),
        ("菜场有个阿婆滑了一跤，额头磕破了", "hurt"),
    ],
)
def test_dangers_of_this_round_are_urgent(classifier: Classifier, text: str, danger: str) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.urgent and found.danger == danger, found.explain()


def test_a_fainting_names_medical_care(classifier: Classifier) -> None:
    assert classifier.classify("有个老人昏倒在单元门口了，快打120").category == "医疗卫生"


@pytest.mark.parametrize(
    "text",
    [
        # hyperbole of heat or tiredness is no fainting
        "今天太热了，我在公交站快晕倒了",
        # a loose cover rattling is a nuisance; things stored are a risk
        "路口的井盖松了，车一过就哐哐响",
        "三单元楼道里有人堆放了好几个液化气罐，很危险",
        # a power cut is no broken wire
        "配电箱断电了，整栋楼没电",
    ],
)
def test_not_urgent(classifier: Classifier, text: str) -> None:
    assert not classifier.classify(text).urgent


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("夜市那家卤菜摊熟食不盖防蝇罩，苍蝇嗡嗡的", "医疗卫生"),
        ("巷口早点铺的油锅黑得发亮，从来不换油", "医疗卫生"),
        ("邮局把我的挂号信弄丢了，查了几次都说没有", "其他"),
        ("学校车棚昨晚丢了两辆自行车", "治安安全"),
        ("对面楼6楼冒黑烟了，窗户里全是烟", "治安安全"),
        ("暴雨倒灌进一楼住户家里，水都到小腿了", "市政设施"),
    ],
)
def test_categories_of_this_round(classifier: Classifier, text: str, category: str) -> None:
    assert classifier.classify(text).category == category
