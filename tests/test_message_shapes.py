"""Issue 18: shapes of a message that say "not a report" (a question for information, a
status update, a worker's reply, a sale or a find, chat about elsewhere) count against a
problem and are named in the reasons; a complaint asked as a question stays a problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classify.classifier import Classifier
from bot.classify.shapes import Shape, ShapeIndex
from bot.classify.taxonomy import TaxonomyError, dump_taxonomy, load_taxonomy, parse_taxonomy
from bot.classify.textnorm import Normalizer


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.mark.parametrize(
    "text",
    [
        "您好，已安排维修师傅，后天上午上门，请提前留人",
        "收到，已派人去二号楼看漏水的情况了",
        "您反映的垃圾桶破损问题，已经报给环卫所了",
    ],
)
def test_worker_reply_is_not_registered(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert not result.is_problem
    assert any(line.startswith("not-a-report shapes") for line in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "请问电梯坏了三天了什么时候修？",
        "请问路口的红绿灯为什么一直不亮？",
        "有没有人知道为什么我们单元又停电了",
    ],
)
def test_complaint_asked_as_question_is_registered(classifier: Classifier, text: str) -> None:
    assert classifier.classify(text).is_problem


@pytest.mark.parametrize(
    "text",
    [
        "医保卡丢了去哪里补办？要带什么材料",
        "想问一下高龄补贴怎么申请，是在社区办吗",
        "社区卫生站周末几点开门啊",
    ],
)
def test_information_question_is_not_registered(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert not result.is_problem
    shown = next(line for line in result.reasons if line.startswith("not-a-report shapes"))
    assert "question:" in shown


@pytest.mark.parametrize(
    "text",
    [
        "楼道灯又亮起来了，大家不用再报了",
        "出一个儿童安全座椅，八成新，自提",
        "要是哪天燃气泄漏了，记得先开窗别开灯",
        "看新闻说外地有个小区电梯困人了，好吓人",
    ],
)
def test_status_sale_and_elsewhere_chat_are_not_registered(
    classifier: Classifier, text: str
) -> None:
    result = classifier.classify(text)
    assert not result.is_problem and not result.urgent


def test_resident_quoting_an_answer_that_came_to_nothing_is_registered(
    classifier: Classifier,
) -> None:
    result = classifier.classify("已经跟居委会反映过好几次了，门口的水管还是漏")
    assert result.is_problem
    assert not any(line.startswith("not-a-report shapes") for line in result.reasons)


def test_a_shape_counts_once_and_an_unless_term_undoes_it(normalizer: Normalizer) -> None:
    index = ShapeIndex(
        (Shape("question", 2.0, ("怎么申请", "在哪办"), unless=("为什么",)),), normalizer
    )
    found = index.find(normalizer.normalize("低保怎么申请，在哪办？"))
    assert (found.weight, found.terms) == (2.0, ("question:怎么申请",))
    assert index.find(normalizer.normalize("为什么低保怎么申请都不批")).weight == 0.0


def test_gapped_and_anchored_terms_need_their_order_and_place(normalizer: Normalizer) -> None:
    index = ShapeIndex((Shape("q", 1.0, ("请问…吗", "^出一", "哈哈$")),), normalizer)
    assert index.find(normalizer.normalize("请问明天开门吗")).weight == 1.0
    assert index.find(normalizer.normalize("吗请问")).weight == 0.0
    assert index.find(normalizer.normalize("出一台冰箱")).weight == 1.0
    assert index.find(normalizer.normalize("我出一台冰箱")).weight == 0.0
    assert index.find(normalizer.normalize("堵车了😂")).weight == 1.0
    assert index.find(normalizer.normalize("哈哈路灯坏了")).weight == 0.0


def test_shapes_survive_a_dump_and_reload() -> None:
    tax = load_taxonomy()
    text = dump_taxonomy(tax)
    assert "[problem.shapes.question]" in text
    import tomllib

    assert parse_taxonomy(tomllib.loads(text)).shapes == tax.shapes


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[problem.shapes.q]\nweight = 0\nterms = ['请问']\n", "weight"),
        ("[problem.shapes.q]\nweight = 1\nterms = '请问'\n", "terms"),
        ("[problem.shapes.q]\nweight = 1\nterms = ['请问']\nunless = [1]\n", "unless"),
        ("[problem.shapes.q]\nweight = 1\nwords = ['请问']\n", "problem.shapes.q"),
    ],
)
def test_bad_shapes_give_one_line(tmp_path: Path, body: str, says: str) -> None:
    file = tmp_path / "t.toml"
    file.write_text(body + '[categories."甲".keywords]\n"路灯" = 1\n', encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(file)
    assert says in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "想问下老年卡申请条件是什么",
        "请问打流感疫苗要预约吗，还是直接去社区医院",
        "有没有人要婴儿床，搬家带不走",
        "热死了，空调都不管用了🥵",
        "火已经扑灭了，没人受伤，大家放心",
    ],
)
def test_questions_sales_weather_and_all_clear_are_not_registered(
    classifier: Classifier, text: str
) -> None:
    found = classifier.classify(text)
    assert not found.is_problem and not found.urgent, found.reasons


def test_a_question_about_something_left_for_days_is_a_complaint(classifier: Classifier) -> None:
    assert classifier.classify("想问下楼下的垃圾什么时候清，已经放了五天了").is_problem
