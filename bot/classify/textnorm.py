"""Text normalisation shared by keyword matching, learning and evaluation.

Residents type Traditional or Simplified script, full-width or half-width letters, emoji and
every kind of punctuation. Keywords and messages both go through :class:`Normalizer` so that
none of this changes which keywords match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import opencc

# Everything that is not a letter, digit or CJK ideograph: punctuation, spaces, emoji,
# zero-width joiners and variation selectors. `\w` keeps CJK and letters of any script.
_NOT_WORD = re.compile(r"[\W_]+")
# Forms OpenCC leaves apart though residents mean the same word: Taiwan's 著 for 着 (锁著,
# 著火), and Cantonese function characters for their Mandarin ones (冇人收 = 没人收, 坏咗 =
# 坏了, 部𨋢 = 电梯). Only matching sees this folding, and keywords go through it too.
_FOLD = str.maketrans({
    "著": "着", "冇": "没", "咗": "了", "嘅": "的", "喺": "在", "唔": "不", "嚟": "来",
    "𨋢": "电梯", "䢂": "电梯", "俾": "给", "🐕": "狗",
    "嘈": "吵", "瞓": "睡", "嗰": "那", "啲": "的", "佢": "他", "哋": "们", "嘢": "东西",
    "乜": "什么", "揾": "找", "睇": "看", "咁": "这么",
    # Emoji carry the whole complaint in some messages (🛗❌😭); they become words before
    # punctuation and emoji are stripped.
    "🛗": "电梯", "❌": "坏", "🗑": "垃圾", "💡": "灯", "🚰": "自来水", "🚦": "红绿灯",
    "🤮": "臭", "💩": "粪便", "🐀": "老鼠", "🔨": "敲", "⚡": "电", "⛔": "停", "🚫": "不",
    "😡": "气死", "😤": "气死", "😠": "气死", "🤬": "气死", "😭": "难受", "😩": "难受",
    "😫": "难受", "😱": "吓人", "😂": "哈哈", "🤣": "哈哈", "🙏": "谢谢", "👍": "点赞",
    "👏": "点赞", "🚗": "车", "🚙": "车",
})  # fmt: skip
# Control characters other than tab and line break: PostgreSQL refuses NUL in text, and
# the rest only garble what members read. Lone surrogates arrive only in forged updates
# (JSON escapes like \ud800) and cannot be encoded as UTF-8 for the database or Telegram.
# U+FFFE and U+FFFF are valid UTF-8 but not XML: kept, they would break every XLSX and DOCX
# export the text later goes into, so they are never stored either.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(text: str) -> str:
    """Text from Telegram made safe to store and to send back."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def visible(text: str) -> bool:
    """Whether the text shows anything: not only spaces, zero-width and format characters."""
    return any(unicodedata.category(char)[0] not in "ZC" for char in text)


class Normalizer:
    """Maps text to the form keywords are matched in.

    The OpenCC converter is built here rather than at import, so modules that never classify
    do not pay for it, and tests can build as many as they like.
    """

    def __init__(self) -> None:
        # t2s alone misses the Taiwan and Hong Kong variants (著火, 衞生): their own
        # converters map those first, then to Simplified.
        self._to_simplified = (opencc.OpenCC("tw2s"), opencc.OpenCC("hk2s"))
        self._memo: dict[str, str] | None = None

    def simplify(self, text: str) -> str:
        """NFKC (full-width → half-width, compatibility forms) then Traditional → Simplified."""
        text = unicodedata.normalize("NFKC", text)
        for converter in self._to_simplified:
            text = converter.convert(text)
        return text.lower().translate(_FOLD)

    def normalize(self, text: str) -> str:
        """The matching form: simplified, lower-case, with no punctuation, spaces or emoji."""
        memo = self._memo
        if memo is None:
            return _NOT_WORD.sub("", self.simplify(text))
        found = memo.get(text)
        if found is None:
            found = memo[text] = _NOT_WORD.sub("", self.simplify(text))
        return found

    @contextmanager
    def remembering(self) -> Iterator[None]:
        """Inside the block :meth:`normalize` gives a text it has seen what it gave before:
        training the n-gram opinions reads each example message three times (the category,
        problem and urgency opinions), and normalising was a sixth of the training's time.
        Outside it nothing is kept: a running bot sees each message once."""
        if self._memo is not None:
            yield  # already remembering: the outer block forgets
            return
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None
