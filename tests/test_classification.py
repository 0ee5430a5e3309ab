"""The default grid taxonomy and the keyword classifier (issue 4)."""

from __future__ import annotations

import csv
from pathlib import Path

import opencc
import pytest

from bot.classify.classifier import Classifier
from bot.classify.evaluation import NOT_A_PROBLEM, evaluate
from bot.classify.taxonomy import Category, Taxonomy, TaxonomyError, load_taxonomy, parse_taxonomy
from bot.classify.textnorm import Normalizer

GRID_SET = Path(__file__).parent / "data" / "grid_messages.csv"
CATEGORIES = (
    "市政设施",
    "环境卫生",
    "物业管理",
    "交通出行",
    "治安安全",
    "邻里纠纷",
    "教育文体",
    "医疗卫生",
    "社会保障",
    "农业农村",
    "其他",
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_taxonomy())


@pytest.fixture(scope="module")
def grid_rows() -> list[tuple[str, str]]:
    with GRID_SET.open(encoding="utf-8") as fh:
        return [(row["text"], row["label"]) for row in csv.DictReader(fh)]


def problems(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(t, label) for t, label in rows if label != NOT_A_PROBLEM]


def test_default_taxonomy_has_exactly_the_eleven_category_names() -> None:
    tax = load_taxonomy()
    assert tax.names == CATEGORIES
    assert tax.fallback == "其他"
    assert (str(tax.respond), str(tax.solve), str(tax.urgent_respond)) == ("24h", "7d", "2h")
    assert all(c.expertise for c in tax.categories)
    assert tax.category("医疗卫生").expertise == ("医疗",)  # type: ignore[union-attr]
    assert tax.category("社会保障").department == "人社局"  # type: ignore[union-attr]
    assert tax.category("不存在") is None
    assert len(tax.urgent_keywords) >= 30


def test_grid_set_has_enough_realistic_messages(grid_rows: list[tuple[str, str]]) -> None:
    counts = {name: sum(label == name for _, label in grid_rows) for name in CATEGORIES}
    assert all(counts[name] >= 25 for name in CATEGORIES if name != "其他")
    assert counts["其他"] >= 5
    assert len(problems(grid_rows)) >= 300
    assert sum(label == NOT_A_PROBLEM for _, label in grid_rows) >= 100


def test_clear_cut_grid_messages_get_the_right_category(
    classifier: Classifier, grid_rows: list[tuple[str, str]]
) -> None:
    # Registered, or asked of its author (borderline: a press registers it), never dropped.
    rows = problems(grid_rows)
    wrong = []
    for text, label in rows:
        result = classifier.classify(text)
        if not (result.is_problem or result.borderline) or result.category != label:
            wrong.append((label, result.category, result.is_problem, text))
    assert 1 - len(wrong) / len(rows) >= 0.95, wrong


def test_chit_chat_is_rarely_taken_as_a_problem(
    classifier: Classifier, grid_rows: list[tuple[str, str]]
) -> None:
    chat = [t for t, label in grid_rows if label == NOT_A_PROBLEM]
    taken = [t for t in chat if classifier.classify(t).is_problem]
    assert len(taken) / len(chat) <= 0.02, taken


def test_evaluation_report_agrees_with_the_thresholds(
    classifier: Classifier, grid_rows: list[tuple[str, str]]
) -> None:
    report = evaluate(classifier, grid_rows)
    assert report.accuracy >= 0.95
    assert report.problem_errors["chit-chat taken as a problem"] <= 0.02
    assert report.per_category[NOT_A_PROBLEM].support == len(grid_rows) - len(problems(grid_rows))


def test_traditional_and_simplified_classify_the_same(
    classifier: Classifier, grid_rows: list[tuple[str, str]]
) -> None:
    to_traditional = opencc.OpenCC("s2t")
    for text, _ in grid_rows:
        traditional = to_traditional.convert(text)
        assert classifier.classify(traditional) == classifier.classify(text), traditional


def _noisy(text: str) -> str:
    """Full-width letters and digits, decorative emoji, extra punctuation, spaces and
    zero-width joins (emoji that say something, like 😡 or 🛗❌, count as words)."""
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    wide = wide.replace("，", " ,,  ").replace("。", "…… ").replace("了", "了\u200b")
    return f"🌸🌸【{wide}】！！！✨🏠 ~~"


def test_width_decorative_emoji_and_punctuation_do_not_change_the_result(
    classifier: Classifier, grid_rows: list[tuple[str, str]]
) -> None:
    for text, _ in grid_rows:
        assert classifier.classify(_noisy(text)) == classifier.classify(text), text


def test_full_width_latin_matches_half_width_keywords() -> None:
    tax = Taxonomy(categories=(Category("网络", {"wifi": 2.0}),), min_score=1.0)
    result = Classifier(tax).classify("小区ＷＩＦＩ又断了")
    assert (result.category, result.keywords) == ("网络", ("wifi",))


URGENT = [
    "3栋楼道里一股很重的煤气味，是不是漏气了，快来人！",
    "着火了！！5栋三楼窗户在冒烟",
    "電梯困人了！有個老人被關在電梯裡出不來",
    "路边的电线掉下来了，还在冒火花",
    "工地的墙倒塌了，好像有人被压在下面",
    "有人在小区门口被车撞了，流了好多血",
    "老人在楼道里晕倒了，叫救护车",
    "天然气泄漏了，整个楼道都是味",
    "小孩掉进河里了，快来人救命",
    "家里漏电，我妈被电到了",
]
NOT_URGENT = [
    "楼道里堆满杂物，万一着火怎么办",
    "电动车在楼道充电有火灾隐患",
    "燃气管道老化了，担心会漏气",
    "社区组织消防演练，大家准时参加",
    "去年这里着过一次火",
    "电梯又坏了，好几天了",
    "老楼墙上有裂缝，怕以后会塌",
    "昨晚小区又有电动车被偷了",
    "大家早上好",
]


@pytest.mark.parametrize("text", URGENT)
def test_emergencies_are_urgent_and_say_why(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert result.urgent and result.is_problem
    assert result.urgent_keywords


@pytest.mark.parametrize("text", NOT_URGENT)
def test_risks_drills_and_past_events_are_not_urgent(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert not result.urgent
    assert result.urgent_keywords == ()


def test_every_result_explains_itself_with_keywords_from_the_message(
    classifier: Classifier, grid_rows: list[tuple[str, str]]
) -> None:
    norm = Normalizer()
    for text, _ in problems(grid_rows):
        result = classifier.classify(text)
        if result.category != "其他":
            assert result.keywords, text
        for word in result.keywords:
            assert norm.normalize(word) in norm.normalize(text)
        assert result.margin >= 0


def test_score_sums_weights_times_occurrences_and_margin_is_the_lead() -> None:
    tax = Taxonomy(
        categories=(Category("甲", {"路灯": 1.5, "不亮": 1.0}), Category("乙", {"停电": 2.0})),
        min_score=1.0,
    )
    result = Classifier(tax).classify("路灯不亮，路灯坏了，还停电")
    assert result.category == "甲"
    assert result.score == pytest.approx(1.5 * 2 + 1.0)
    assert result.margin == pytest.approx(4.0 - 2.0)
    assert result.keywords == ("路灯", "不亮")


def test_text_without_keywords_falls_back_and_is_not_a_problem(classifier: Classifier) -> None:
    result = classifier.classify("哈哈哈😂")
    assert (result.category, result.score, result.margin, result.is_problem) == (
        "其他",
        0.0,
        0.0,
        False,
    )


def test_complaint_markers_alone_make_a_problem_of_the_fallback(classifier: Classifier) -> None:
    result = classifier.classify("这个问题反映好几次了，一直没人管，到底找谁")
    assert result.category == "其他" and result.is_problem
    assert "没人管" in result.keywords


def test_any_category_set_works_and_the_fallback_is_added_when_missing() -> None:
    tax = Taxonomy(categories=(Category("A", {"apple": 2}), Category("B", {"banana": 2})))
    assert tax.names == ("A", "B", "其他")
    assert Classifier(tax).classify("an APPLE a day").category == "A"
    assert Classifier(tax).classify("a cherry").category == "其他"


def test_min_score_zero_always_picks_a_category() -> None:
    tax = Taxonomy(
        categories=(Category("A", {"apple": 2}), Category("B", {"banana": 2})),
        fallback="A",
        min_score=0.0,
    )
    weak = Taxonomy(categories=(Category("B", {"banana": 0.5}), Category("A", {})), fallback="A")
    assert Classifier(tax).classify("nothing here").category == "A"
    assert Classifier(weak).classify("one banana").category == "A"
    zero = Taxonomy(categories=weak.categories, fallback="A", min_score=0.0)
    assert Classifier(zero).classify("one banana").category == "B"


def test_keywords_listed_in_both_scripts_count_once() -> None:
    tax = Taxonomy(categories=(Category("物业", {"电梯": 1.0, "電梯": 1.0}),), min_score=0.5)
    assert Classifier(tax).classify("电梯").score == 1.0


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[categories", "not valid TOML"),
        ("fallback = '其他'\n", "no [categories]"),
        ("[categories.'A']\nkeyword = {x = 1}\n", "unknown key 'keyword'"),
        ("[categories.'A'.keywords]\nx = 'heavy'\n", "weight of 'x' must be a number"),
        ("[categories.'A'.keywords]\n'！！' = 1\n", "has no letters or digits"),
        ("[categories.'A']\nrespond_hours = -1\n", "respond_hours must be positive"),
        ("[categories.'A']\nexpertise = [1]\n", "expertise must be a string"),
        ("[urgent]\nthreshold = 'x'\n[categories.'A']\n", "urgent.threshold must be a number"),
    ],
)
def test_bad_taxonomy_files_give_one_line_naming_the_file(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    message = str(err.value)
    assert str(path) in message and problem in message and "\n" not in message


def test_missing_taxonomy_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="no such taxonomy file"):
        load_taxonomy(tmp_path / "nope.toml")


# Issue 18: the problem decision explained, typos, notices, dangers and their advice.


def test_every_decision_says_why(classifier: Classifier) -> None:
    found = classifier.classify("【通知】本周六小区停水，请提前储水")
    assert not found.is_problem
    assert any(r.startswith("not-a-problem words") and "通知" in r for r in found.reasons)
    assert found.reasons[-1].endswith("not a problem")
    assert classifier.classify("路灯坏了好几天了").reasons[-1].endswith("a problem")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("电悌又坏了，爬得腿都软了", "物业管理"), ("楼下垃级堆成山，臭死了", "环境卫生"),
     ("路灯以经坏了半个月", "市政设施")],
)  # fmt: skip
def test_typos_and_homophones_still_match(classifier: Classifier, typed: str, meant: str) -> None:
    found = classifier.classify(typed)
    assert found.is_problem and found.category == meant
    assert all(classifier.normalizer.normalize(k) in classifier.normalizer.normalize(typed)
               for k in found.keywords)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["各位业主：3号楼电梯年检已经通过，请放心使用", "【转发】警惕冒充公检法的电话诈骗",
     "寻狗：白色比熊昨晚在北门走丢了", "谢谢物业师傅，电梯已经修好了",
     "燃气公司本周入户安全检查，请家中留人"],
)  # fmt: skip
def test_notices_thanks_forwards_and_lost_pets_are_not_problems(
    classifier: Classifier, text: str
) -> None:
    assert not classifier.classify(text).is_problem, text


def test_a_grid_members_post_leans_towards_a_notice(classifier: Classifier) -> None:
    text = "3号楼水管爆了，维修中"
    assert classifier.classify(text).is_problem
    assert not classifier.classify(text, staff=True).is_problem
    assert "posted by a grid member -1.5" in classifier.classify(text, staff=True).reasons


DANGERS = [
    ("天然氣管道破了，嘶嘶的響", "gas", "119"),
    ("电梯卡在两层中间，里面关着一个老人", "lift", "96333"),
    ("电线杆倒了，电线一直在冒火花", "wire", "95598"),
    ("7栋外墙的瓷砖一块块往下掉", "falling", "物业"),
    ("井盖没了，刚才一个小孩差点掉下去", "hole", "警示"),
    ("隔壁独居的刘奶奶三天没见人了，敲门也没人应", "alone", "110"),
    ("广场上有个阿姨倒地不起，叫不醒", "hurt", "120"),
    ("5栋3楼冒黑烟了，好像着火了", "fire", "119"),
    ("菜场门口那块店招晃得厉害，随时会砸下来", "sign", "110"),
    ("厂里排出来的气味很刺鼻，好几个老人头晕想吐", "toxic", "12369"),
    ("楼上楼下两家吵着吵着打起来了，有人被打得流血", "fight", "110"),
    ("一个小孩掉进小区旁边的河里了", "drowning", "救生圈"),
    ("地下通道的积水淹到腰了，还有人在里面", "water", "110"),
    ("小区里有个老人走丢了，穿蓝色外套，记性不好", "missing", "110"),
    ("6楼有个年轻人坐在天台边上哭，说要跳下去", "jump", "120"),
    ("楼下那条大狗把小孩咬了，腿上一直流血", "bite", "狂犬疫苗"),
    # the fourth round: a child out of a window, a wall leaning out, a tree on a house
    ("对面楼有个孩子站到窗台外面了，大人不在家", "child", "110"),
    ("村小学的院墙裂开一条大口子，往路上歪了", "wall", "警戒"),
    ("刮完大风那棵老槐树被吹歪了，树枝搭在二楼窗户上", "tree", "绕行"),
]
# Where the danger's category is the message's whatever else it names.
DECIDING = [
    ("菜场门口那块店招晃得厉害，随时会砸下来", "治安安全"),
    ("楼上楼下两家吵着吵着打起来了，有人被打得流血", "邻里纠纷"),
    ("一个小孩掉进小区旁边的河里了", "治安安全"),
    ("6楼有个年轻人坐在天台边上哭，说要跳下去", "治安安全"),
    ("对面楼有个孩子站到窗台外面了，大人不在家", "治安安全"),
]


def test_a_lost_pet_is_no_missing_person(classifier: Classifier) -> None:
    assert not classifier.classify("我家狗子走丢了，大家帮忙留意一下").urgent


@pytest.mark.parametrize(("text", "danger", "advice"), DANGERS)
def test_each_danger_is_urgent_with_its_advice(
    classifier: Classifier, text: str, danger: str, advice: str
) -> None:
    found = classifier.classify(text)
    assert found.urgent and found.danger == danger and advice in found.advice, found
    # patterns are matched on the Simplified form: Traditional script finds the same danger
    again = classifier.classify(opencc.OpenCC("s2t").convert(text))
    assert again.urgent and again.danger == danger, again


@pytest.mark.parametrize(("text", "category"), DECIDING)
def test_a_deciding_danger_names_the_category(
    classifier: Classifier, text: str, category: str
) -> None:
    assert classifier.classify(text).category == category


def test_a_danger_category_must_name_a_category() -> None:
    gas = {"category": "B", "keywords": {"漏气": 2.0}}
    data = {"categories": {"A": {"keywords": {"路灯": 1.0}}}, "urgent": {"dangers": {"gas": gas}}}
    with pytest.raises(ValueError, match="not a category"):
        parse_taxonomy(data)


@pytest.mark.parametrize(
    "text",
    [
        "電梯突然停咗，入面困住兩個阿婆",
        "工地的塔吊在晃，下面全是工人",
        "俺们村的河堤要决口了，水都快漫上来了",
        "楼上老太太好几天没动静了，门口的报纸都堆了一摞",
        "一个醉汉拿着砖头在楼下砸车，还要打人",
        "有个小孩在河边玩，一下子滑下去了",
        "老人吃了路边买的蘑菇，上吐下泻，嘴唇都紫了",
        "我爸突然说话不清楚，半边身子不能动",
        "我妈在家摔了一跤起不来，我在外地，谁能帮忙去看看",
        "隔壁装修把承重墙砸了，楼板都裂了",
        "小区里一只大狗没拴绳，已经扑倒两个小孩了",
        "楼顶有人站在边上，看着想不开",
        "小孩误吃了家里的药，现在昏昏沉沉的",
        "学校旁边有个陌生男的一直拉小孩上车",
    ],
)
def test_emergencies_in_other_words_are_urgent(classifier: Classifier, text: str) -> None:
    found = classifier.classify(text)
    assert found.is_problem and found.urgent and found.advice, found


@pytest.mark.parametrize(
    "text",
    [
        "地震避险小知识：地震来了不要乘电梯，躲在承重墙墙角",
        "提醒：被狗咬伤后要及时打狂犬疫苗",
        "防溺水提醒：不要到河边玩水，小孩掉进水里要大声呼救",
    ],
)
def test_forwarded_advice_about_a_danger_is_no_emergency(
    classifier: Classifier, text: str
) -> None:
    assert not classifier.classify(text).urgent


# Shapes of group talk that are no report (issue 18, fourth round), in both scripts.
NOT_REPORTS = [
    "请问社区的书法班几号开课？",
    "有没有人周末一起去爬山？",
    "转让一辆儿童自行车，九成新",
    "大家好，有空的邻居报个名，周六一起清理河道",
]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_questions_invitations_and_sales_are_no_reports(classifier: Classifier, text: str) -> None:
    assert not classifier.classify(text).is_problem
    assert not classifier.classify(opencc.OpenCC("s2t").convert(text)).is_problem


def test_a_notice_that_did_not_help_is_a_complaint(classifier: Classifier) -> None:
    # "公告" alone reads as an announcement; a notice that failed cancels it
    notice = "【公告】请业主晚上十点后不要弹钢琴，以免影响邻居休息"
    assert not classifier.classify(notice).is_problem
    for text in (
        "楼上每天半夜弹钢琴，物业贴了公告也没用",
        "樓上每天半夜彈鋼琴，物業貼了公告也沒用",
    ):
        found = classifier.classify(text)
        assert found.is_problem and found.category == "邻里纠纷", found
