"""Learning weighted keywords from labelled letters (issue 4: `gridbot learn`)."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from bot.classify.classifier import Classifier
from bot.classify.evaluation import evaluate, read_labelled_csv
from bot.classify.learning import SEED_WEIGHT, Seed, learn, load_seed
from bot.classify.taxonomy import TaxonomyError, dump_taxonomy, load_taxonomy

DATA = Path(__file__).parent / "data" / "messages"
FOLDS = 5


@pytest.fixture(scope="module")
def letters() -> list[tuple[str, str]]:
    return read_labelled_csv(DATA / "messages_dev.csv")


@pytest.fixture(scope="module")
def official_seed() -> Seed:
    return load_seed(DATA / "taxonomy.csv")


def stratified_folds(rows: list[tuple[str, str]], k: int, seed: int = 0) -> list[int]:
    """Fold number of every row; each label spread evenly, shuffled once with a fixed seed."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, (_, label) in enumerate(rows):
        by_label[label].append(i)
    fold = [0] * len(rows)
    rng = random.Random(seed)
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        for j, i in enumerate(members):
            fold[i] = j % k
    return fold


def test_learned_keywords_reach_macro_f1_085_in_5_fold_cross_validation(
    letters: list[tuple[str, str]], official_seed: Seed
) -> None:
    fold = stratified_folds(letters, FOLDS)
    scores = []
    for f in range(FOLDS):
        train = [row for row, k in zip(letters, fold, strict=True) if k != f]
        test = [row for row, k in zip(letters, fold, strict=True) if k == f]
        report = evaluate(Classifier(learn(train, official_seed)), test)
        scores.append(report.macro_f1)
        assert report.coverage == 1.0
    print("macro-F1 per fold:", [round(s, 3) for s in scores])
    assert sum(scores) / FOLDS >= 0.85, scores


def test_learned_taxonomy_has_exactly_the_training_labels_plus_the_fallback(
    letters: list[tuple[str, str]], official_seed: Seed
) -> None:
    tax = learn(letters, official_seed)
    labels = {label for _, label in letters}
    assert set(tax.names) == labels | {"其他"}
    assert tax.fallback == "其他" and not tax.category("其他").keywords  # type: ignore[union-attr]
    assert tax.min_score == 0
    # most examples first: the first category is the best guess when nothing matches
    assert tax.names[0] == "劳动和社会保障"
    assert tax.urgent_keywords == load_taxonomy().urgent_keywords


def test_learned_taxonomy_round_trips_through_toml(
    tmp_path: Path, letters: list[tuple[str, str]], official_seed: Seed
) -> None:
    tax = learn(letters[:120], official_seed)
    path = tmp_path / "learned.toml"
    path.write_text(dump_taxonomy(tax, "a test"), encoding="utf-8")
    again = load_taxonomy(path)
    assert again == tax
    text, _ = letters[200]
    assert Classifier(again).classify(text) == Classifier(tax).classify(text)


def test_default_taxonomy_round_trips_through_toml(tmp_path: Path) -> None:
    tax = load_taxonomy()
    path = tmp_path / "default.toml"
    path.write_text(dump_taxonomy(tax), encoding="utf-8")
    assert load_taxonomy(path) == tax


def test_learned_file_is_commented_and_lists_strongest_keywords_first(
    letters: list[tuple[str, str]], official_seed: Seed
) -> None:
    tax = learn(letters, official_seed)
    text = dump_taxonomy(tax, "Learned from letters.\nReview freely.")
    assert text.startswith("# Learned from letters.\n# Review freely.\n")
    for category in tax.categories:
        weights = list(category.keywords.values())
        assert weights == sorted(weights, reverse=True)
        assert len(category.keywords) <= 150 + 200  # learned ones plus seed words
    assert '"社保" = ' in text


def write_seed(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "seed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_seed_csv_lower_level_names_seed_their_level1_category(tmp_path: Path) -> None:
    path = write_seed(
        tmp_path,
        ["level1,level2,level3", "交通,公交管理,站台维护", "交通,其他,", "医疗,医患纠纷,其他"],
    )
    seed = load_seed(path)
    assert seed == {"交通": ["公交管理", "站台维护"], "医疗": ["医患纠纷"]}
    rows = [("公交车太挤了", "交通"), ("医院排队太久", "医疗")] * 3
    tax = learn(rows, seed)
    keywords = tax.category("交通").keywords  # type: ignore[union-attr]
    # the name itself and its jieba words
    assert keywords["站台维护"] == SEED_WEIGHT and keywords["站台"] == SEED_WEIGHT
    assert "医患纠纷" in tax.category("医疗").keywords  # type: ignore[union-attr]


def test_seed_words_naming_two_categories_are_dropped(tmp_path: Path) -> None:
    path = write_seed(tmp_path, ["level1,level2", "甲,服务管理", "乙,管理规范"])
    tax = learn([("服务很好", "甲"), ("规范一下", "乙")], load_seed(path))
    assert "管理" not in tax.category("甲").keywords  # type: ignore[union-attr]
    assert "服务" in tax.category("甲").keywords  # type: ignore[union-attr]


def test_seed_word_contradicted_by_the_data_is_dropped() -> None:
    rows = [("小区电梯坏了", "物业")] * 6 + [("电梯", "交通")] + [("公交站太远", "交通")] * 6
    tax = learn(rows, {"交通": ["电梯"], "物业": ["物业"]})
    assert "电梯" not in tax.category("交通").keywords  # type: ignore[union-attr]
    assert "电梯" in tax.category("物业").keywords  # type: ignore[union-attr]


def test_seed_taxonomy_keeps_routing_details_and_weights() -> None:
    rows = [("路灯坏了好几天", "市政设施"), ("物业不管电梯", "物业管理")] * 3
    tax = learn(rows, load_taxonomy())
    assert tax.names == ("市政设施", "物业管理", "其他")
    municipal = tax.category("市政设施")
    assert municipal is not None and municipal.expertise == ("市政",)
    assert municipal.keywords["井盖"] == 2.0


def test_extra_rows_such_as_corrections_are_learned_too(letters: list[tuple[str, str]]) -> None:
    corrections = [("楼上天天半夜跺脚", "邻里纠纷"), ("邻居家狗叫一整夜", "邻里纠纷")] * 2
    tax = learn(letters[:100] + corrections)
    assert "邻里纠纷" in tax.names
    assert Classifier(tax).classify("楼上邻居半夜跺脚").category == "邻里纠纷"


def test_a_seed_csv_without_level_columns_is_rejected(tmp_path: Path) -> None:
    path = write_seed(tmp_path, ["name,parent", "a,b"])
    with pytest.raises(TaxonomyError, match="level1,level2"):
        load_seed(path)


def test_learning_needs_labelled_rows() -> None:
    with pytest.raises(ValueError, match="no labelled rows"):
        learn([("text", "  ")])
