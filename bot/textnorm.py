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


class Normalizer:
    """Maps text to the form keywords are matched in.

    The OpenCC converter is built here rather than at import, so modules that never classify
    do not pay for it, and tests can build as many as they like.
    """

    def __init__(self) -> None:
        self._t2s = opencc.OpenCC("t2s")

    def simplify(self, text: str) -> str:
        """NFKC (full-width → half-width, compatibility forms) then Traditional → Simplified."""
        return self._t2s.convert(unicodedata.normalize("NFKC", text)).lower()

    def normalize(self, text: str) -> str:
        """The matching form: simplified, lower-case, with no punctuation, spaces or emoji."""
        return _NOT_WORD.sub("", self.simplify(text))
