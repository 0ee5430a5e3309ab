"""N-gram models sharing one index read texts as they would with an index of their own."""

from __future__ import annotations

from bot.classify.ngrams import GramIndex, NgramModel

FIRST = [("电梯坏了", "物业", 1.0), ("路灯不亮", "市政", 1.0), ("水管爆了", "市政", 2.0)]
SECOND = [("楼上漏水", "邻里", 1.0), ("狗叫扰民", "邻里", 1.0), ("垃圾没人清", "环卫", 0.5)]
TEXTS = ("电梯又坏了", "楼上漏水到我家", "狗叫了一晚上", "abc", "")


def test_models_on_one_index_score_as_models_on_their_own() -> None:
    shared = GramIndex()
    first = NgramModel(("物业", "市政"), FIRST, shared)
    second = NgramModel(("邻里", "环卫", "未学"), SECOND, shared)  # grows the index
    alone_first = NgramModel(("物业", "市政"), FIRST)
    alone_second = NgramModel(("邻里", "环卫", "未学"), SECOND)
    for text in TEXTS:
        for model, alone in ((first, alone_first), (second, alone_second)):
            assert model.scores(shared.found(text)) == alone.scores(alone._index.found(text))
        assert first.leads(shared.found(text)) == alone_first.leads(alone_first._index.found(text))


def test_an_ngram_only_another_model_knows_is_not_counted() -> None:
    shared = GramIndex()
    first = NgramModel(("物业", "市政"), FIRST, shared)
    NgramModel(("邻里", "环卫"), SECOND, shared)
    assert first.scores(shared.found("狗叫扰民")) == ([0.0, 0.0], 0)
    assert first.leads(shared.found("狗叫扰民")) == (0.0, 0)
