"""Issue 18 (session 10, the sealed10 round): rules written by kind after reading tune10's
misses, checked on sentences of my own. A plan or a notice followed by 结果 (what happened
instead) is read from 结果 on; thanks followed by 顺便说下/另外 is read from there; a child
separated from the family (走散) or gone though 走丢 is written too is a missing person,
urgent; power or water not back when due is a problem; what a smell or smoke turned out to
be (不是着火, 不是化学品) and a hole already fenced off are no dangers."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        # a child separated in a crowd, in both scripts; gone, then 走丢 in passing
        ("庙会人太多 我孙子跟我走散了 6岁 穿黄色羽绒服", "missing"),
        ("幫忙留意 我個女喺商場同我走散咗 8歲 著粉紅色外套", "missing"),
        ("小孩不见了 刚才还在滑梯那玩 可能是自己走丢的", "missing"),
        # a plan, then what happened instead: the danger after 结果 counts
        ("本来想问问快递到了没 结果看见楼下有人拿着刀在吵架 已经报警了", "violence"),
    ],
)
def test_a_danger_after_the_plan_or_among_lost_words_is_urgent(
    classifier: Classifier, text: str, danger: str
) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.urgent and found.danger == danger, found.explain()


@pytest.mark.parametrize(
    "text",
    [
        "停水通知说中午十二点恢复 结果到现在下午五点了还没来水",
        "通知说今天下午来电 结果天都黑了还没来电",
        "谢谢师傅把楼道灯修好了 顺便说一下 地下室的水管一直在漏",
        "感谢网格员帮忙 另外我们单元的垃圾三天没人收了",
    ],
)
def test_what_came_after_the_notice_or_the_thanks_is_the_report(
    classifier: Classifier, text: str
) -> None:
    found = classifier.classify(text)
    assert found.is_problem, found.explain()


@pytest.mark.parametrize(
    "text",
    [
        "刚才那股烟是烧烤店的油烟 不是着火 大家放心",
        "查过了 那个怪味是油漆 不是化学品泄漏",
        "人行道塌的那个坑已经围起来了 明天施工队来填",
        "小狗走丢了 家里孩子哭着到处找 大家帮忙留意",
        "本来想去公园跑步 结果下雨了",
    ],
)
def test_what_it_turned_out_to_be_is_no_danger(classifier: Classifier, text: str) -> None:
    found = classifier.classify(text)
    assert not found.urgent, found.explain()
    assert not found.is_problem, found.explain()
