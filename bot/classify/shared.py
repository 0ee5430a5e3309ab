"""One taxonomy and classifier per taxonomy file in a process.

Building a classifier reads the TOML, compiles the keyword automaton and, on first use, trains
the n-gram second opinion: a few tenths of a second. A process that builds several bots from
one file (the test suite, `gridbot demo`, a command run beside a bot) pays it once. Both are
read-only once built, so sharing them is safe; editing the file (or an examples CSV beside it)
gives a new one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.classify.classifier import Classifier
from bot.classify.taxonomy import DEFAULT_PATH, Taxonomy, load_taxonomy

Stamp = tuple[tuple[str, int, int], ...]


def shared_classifier(path: str | Path | None = None) -> tuple[Taxonomy, Classifier]:
    """The taxonomy at `path` (None: the shipped one) and its classifier, built once."""
    file = Path(path) if path is not None else DEFAULT_PATH
    return _built(str(file), _stamp(file))


def taxonomy_files(file: Path) -> list[Path]:
    """What a build of the taxonomy at ``file`` reads: the file and the example tables
    beside it."""
    return [file, *sorted(file.parent.glob("*.csv"))]


def _stamp(file: Path) -> Stamp:
    """What the build read, by size and time."""
    try:
        found = taxonomy_files(file)
        return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in found)
    except OSError:
        return ()  # load_taxonomy says what is wrong with the file


@lru_cache(maxsize=8)
def _built(file: str, stamp: Stamp) -> tuple[Taxonomy, Classifier]:
    taxonomy = load_taxonomy(file)
    return taxonomy, Classifier(taxonomy)
