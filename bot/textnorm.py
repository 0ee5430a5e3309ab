"""Text normalisation shared by keyword matching, learning and evaluation.

Residents type Traditional or Simplified script, full-width or half-width letters, emoji and
every kind of punctuation. Keywords and messages both go through :class:`Normalizer` so that
none of this changes which keywords match.
"""

from __future__ import annotations

import re
import unicodedata

import opencc

# Everything that is not a letter, digit or CJK ideograph: punctuation, spaces, emoji,
# zero-width joiners and variation selectors. `\w` keeps CJK and letters of any script.
_NOT_WORD = re.compile(r"[\W_]+")
# Forms OpenCC leaves apart though residents mean the same word: Taiwan's 著 for 着 (锁著,
# 著火). Only matching sees this folding, and keywords go through it too.
_FOLD = str.maketrans("著", "着")


class Normalizer:
    """Maps text to the form keywords are matched in.

    The OpenCC converter is built here rather than at import, so modules that never classify
    do not pay for it, and tests can build as many as they like.
    """

    def __init__(self) -> None:
        # t2s alone misses the Taiwan and Hong Kong variants (著火, 衞生): their own
        # converters map those first, then to Simplified.
        self._to_simplified = (opencc.OpenCC("tw2s"), opencc.OpenCC("hk2s"))

    def simplify(self, text: str) -> str:
        """NFKC (full-width → half-width, compatibility forms) then Traditional → Simplified."""
        text = unicodedata.normalize("NFKC", text)
        for converter in self._to_simplified:
            text = converter.convert(text)
        return text.lower().translate(_FOLD)

    def normalize(self, text: str) -> str:
        """The matching form: simplified, lower-case, with no punctuation, spaces or emoji."""
        return _NOT_WORD.sub("", self.simplify(text))
