"""The shipped taxonomy's n-gram opinions, trained once and shipped beside it.

Training counts every example's n-grams: on 7,262 examples about 1.7 s of CPU at start and,
at its peak, 12-19 MB more than the trained models keep (gridbot run's peak RSS 103 MB,
bench_intake). So the shipped taxonomy's models are trained when the taxonomy, its examples
or the code that trains them change (``python -m bot.classify.trained``), written
compressed beside it, and loaded at start (about 10 ms) when the fingerprint of what
trained them matches. Any other taxonomy, or a mismatch, trains as before. Only the
package's own file is ever read: a pickle is code, unlike the TOML an operator writes.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sys
import zlib
from pathlib import Path

import opencc

from bot.classify.classifier import Classifier
from bot.classify.shared import taxonomy_files
from bot.classify.taxonomy import DEFAULT_PATH, load_taxonomy

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
TRAINED_PATH = DEFAULT_PATH.with_name("taxonomy_trained.bin")
# What decides the models besides the taxonomy's files: the code that normalises, indexes,
# counts and scores (a change in any of them could change a model's floats).
SOURCES = (
    "gram_index.py", "ngrams.py", "opinions.py", "urgency.py", "textnorm.py", "keywords.py",
    "scoring.py", "taxonomy.py", "taxonomy_fields.py", "shapes.py", "classifier.py",
)  # fmt: skip
FORMAT = b"gridbot-trained-1"


def fingerprint(taxonomy_file: Path = DEFAULT_PATH) -> bytes:
    """A digest of everything the models are trained from: the taxonomy file, the example
    tables beside it, the training code, OpenCC's and Python's versions."""
    digest = hashlib.blake2b(FORMAT, digest_size=16)
    versions = f"{sys.version_info[:2]} {getattr(opencc, '__version__', '')}"
    digest.update(versions.encode())
    for path in taxonomy_files(taxonomy_file):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (HERE / name).read_bytes())
    return digest.digest()


def load(classifier: Classifier, taxonomy_file: str | Path | None) -> bool:
    """Give ``classifier`` (of the shipped taxonomy) the shipped trained models; False (and
    nothing changed) for any other taxonomy, or when they were trained from something else."""
    file = DEFAULT_PATH if taxonomy_file is None else Path(taxonomy_file)
    if file.resolve() != DEFAULT_PATH.resolve() or not TRAINED_PATH.exists():
        return False
    stored = TRAINED_PATH.read_bytes()
    expected = fingerprint(file)
    if stored[: len(expected)] != expected:
        logger.info("%s is not of this taxonomy and code: training", TRAINED_PATH.name)
        return False
    classifier.adopt(pickle.loads(zlib.decompress(stored[len(expected) :])))
    return True


def save(classifier: Classifier, out: Path = TRAINED_PATH) -> int:
    """Train ``classifier`` (of the shipped taxonomy) and write its models; bytes written."""
    classifier.prepare()
    body = zlib.compress(pickle.dumps(classifier.models(), protocol=5), 9)
    data = fingerprint(DEFAULT_PATH) + body
    out.write_bytes(data)
    return len(data)


def main() -> None:
    """``python -m bot.classify.trained``: retrain the shipped taxonomy's models."""
    size = save(Classifier(load_taxonomy(DEFAULT_PATH)))
    print(f"{TRAINED_PATH}: {size:,} bytes")


if __name__ == "__main__":
    main()
