"""The shipped taxonomy's n-gram opinions come trained (bot/classify/trained.py): loaded,
they classify exactly as freshly trained ones; a file of another taxonomy or code is never
used, and no taxonomy but the shipped one reads it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from bot.classify import trained
from bot.classify.classifier import Classifier
from bot.classify.taxonomy import DEFAULT_PATH, load_taxonomy

GRID_EVAL = Path(__file__).parent / "data" / "grid_eval"


def test_the_shipped_trained_opinions_are_of_the_shipped_taxonomy_and_code() -> None:
    stored = trained.TRAINED_PATH.read_bytes()
    expected = trained.fingerprint()
    assert stored[: len(expected)] == expected, (
        "bot/data/taxonomy_trained.bin is stale: run python -m bot.classify.trained"
    )


def test_loaded_opinions_classify_as_freshly_trained_ones() -> None:
    texts = []
    for name in ("sealed9/tune9.csv", "sealed10/tune10.csv", "teach10e/teach.csv"):
        with (GRID_EVAL / name).open(encoding="utf-8", newline="") as fh:
            texts += [row["text"] for row in csv.DictReader(fh)]
    fresh = Classifier(load_taxonomy())
    fresh.prepare()
    loaded = Classifier(load_taxonomy())
    assert trained.load(loaded, None)
    for text in texts:
        a, b = fresh.classify(text), loaded.classify(text)
        assert (a, a.reasons) == (b, b.reasons), text


def test_another_taxonomy_never_reads_the_shipped_file(tmp_path: Path) -> None:
    copy = tmp_path / "taxonomy.toml"
    shutil.copy(DEFAULT_PATH, copy)
    shutil.copy(DEFAULT_PATH.with_name("taxonomy_examples.csv"), tmp_path)
    classifier = Classifier(load_taxonomy(copy))
    assert not trained.load(classifier, copy)


def test_a_file_trained_from_something_else_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "taxonomy_trained.bin"
    data = trained.TRAINED_PATH.read_bytes()
    stale.write_bytes(bytes([data[0] ^ 1]) + data[1:])  # another fingerprint, same models
    monkeypatch.setattr(trained, "TRAINED_PATH", stale)
    classifier = Classifier(load_taxonomy())
    assert not trained.load(classifier, None)
    assert classifier.classify("楼下那根线垂到地上一直噼啪响还闪光").urgent  # trains instead
