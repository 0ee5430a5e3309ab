"""Issue 18 (T7, the sealed7 round): rules written by kind after reading tune7's misses,
checked on sentences of my own. A medical collapse and an e-bike fire name their category
wherever they happen; a child described by clothes or gone "in a blink" is missing; a
leak someone felt is a live wire; a person knocked down is hurt but a railing is not; an
idiom of darkness is no elder unseen; and chat that only names a topic (a service that was
quick, a pet's mischief, an alarm lifted, a giveaway, heat) is no report."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "danger", "category"),
    [
        # a collapse at a sports ground or in a lift is medical, not the place's
        ("健身房有个大哥跑步机上突然倒地，叫他没反应，好像没有呼吸", "collapse", "医疗卫生"),
        ("菜市场有个阿姨一下子晕倒了，嘴唇都发紫", "collapse", "医疗卫生"),
        # an e-bike burning by a charging post is a fire risk (治安安全), not the post's
        ("小区门口充电桩旁边的电瓶车自燃了，火苗一下窜上来", "battery", "治安安全"),
        # a child in Cantonese not back and the phone watch unanswered (normalised 没返)
        ("個女放學冇返屋企，電話手錶打極都唔通，大家幫手留意", "missing", "治安安全"),
        ("有个穿蓝色校服背书包的小女孩在公园门口找不到了", "missing", "治安安全"),
        ("我孙子刚刚还在超市推车旁边，一眨眼就没影了", "missing", "治安安全"),
        ("五楼那个小伙子喝了酒说要从阳台跳下去，快来人", "jump", "治安安全"),
    ],
)
def test_a_danger_of_this_round_names_its_kind_and_category(
    classifier: Classifier, text: str, danger: str, category: str
) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.urgent and found.danger == danger, found
    assert found.category == category, found


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("下完雨单元门口那个配电箱漏电，我手碰到门被电了一下", "wire"),
        ("有个送外卖的在十字路口被一辆面包车撞倒了，躺着起不来", "hurt"),
        ("隔壁装修的师傅从梯子上摔下来了，手好像断了", "hurt"),
        ("厨房里有一股煤气的味道，打火灶都关着的", "gas"),
        # told by what the danger does, not by its name
        ("三楼走廊烟大得看不清楼梯了，上面的人都下不来", "fire"),
        ("暴雨一来，巷子里好几家都进水了，水还往里灌", "flood"),
        ("河边护栏外面站着一个人，看样子想跳河", "jump"),
        ("路口井盖被人撬了，刚有个大叔一只脚踩进去了", "hole"),
        ("大风把电线杆上的线刮下来了，搭在自行车棚上", "wire"),
        ("电梯门突然关上，小孩的手被夹住了拔不出来", "lift"),
    ],
)
def test_dangers_told_in_other_words_are_urgent(
    classifier: Classifier, text: str, danger: str
) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.urgent and found.danger == danger, found


@pytest.mark.parametrize(
    "text",
    [
        # a thing knocked down is a report, no one hurt
        "小区门口的护栏被车撞倒了，一直没人扶起来",
        # 伸手不见五指 is darkness: no elder unseen for days
        "楼道灯坏了好几天了，一到晚上伸手不见五指，老人都不敢下楼",
        # a reminder that names a battery fire
        "提醒大家电动车不要推进电梯，万一电池起火跑都跑不掉",
        # habits and past occasions
        "这部电梯门关得太快，老是夹到人，能不能调慢点",
        "上次小区着火的时候消防车根本进不来，通道到现在还堵着",
        "路口积水到小腿，下水道是不是堵了",
        "他最近好像想跳槽，天天加班",
    ],
)
def test_what_only_looks_like_a_danger_is_not_urgent(classifier: Classifier, text: str) -> None:
    assert not classifier.classify(text).urgent


def test_a_dark_stairwell_is_the_lamp_not_an_elder_alone(classifier: Classifier) -> None:
    found = classifier.classify("楼道灯坏了好几天了，一到晚上伸手不见五指，老人都不敢下楼")
    assert found.is_problem and found.category != "社会保障", found


@pytest.mark.parametrize(
    "text",
    [
        "上午去街道办了居住证，人不多，十分钟就好了",
        "请问公交卡怎么办卡？要带户口本吗",
        "家里买多了两袋狗粮，有养狗的要吗，免费送了",
        "我家猫把我的耳机线咬断了，还一脸无辜",
        "刚才的火警解除了，是厨房油烟触发的报警器",
        "冷死个人，暖气片摸着都不热乎，哈哈开玩笑的",
    ],
)
def test_chat_that_names_a_topic_is_not_registered(classifier: Classifier, text: str) -> None:
    assert not classifier.classify(text).is_problem


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # impersonating an office to get money is fraud, whichever office
        ("有人假冒医保局打电话，说卡被冻结了，叫老人转钱", "治安安全"),
        # a breach in the fence anyone can get through is security
        ("后门铁栅栏断了一根，外面的人谁都能钻进来", "治安安全"),
        # a village's septic tank is rural sewage
        ("我们村里的化粪池好久没抽了，都冒到田边上了", "农业农村"),
        # a household piling its rubbish at its own door is the neighbours' matter
        ("对门那户天天把垃圾堆门口，谁去说说他们", "邻里纠纷"),
    ],
)
def test_category_words_of_this_round(classifier: Classifier, text: str, category: str) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.category == category, found
