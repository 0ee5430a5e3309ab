"""Grid codes as people type them: Ａ０２, a02 and "A 02" all mean A02."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise_code(text: str) -> str:
    """The stored form of a grid code: half-width (NFKC), upper-case, without spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).upper()


def normalise_label(text: str) -> str:
    """A header cell as compared: half-width, lower-case, without spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s_\-:：()（）/]+", "", folded)
