"""Output files named on the command line: checked before any work is done, and the format
taken from the file name when no `--format` is given."""

from __future__ import annotations

import os
from pathlib import Path

from bot.config import ConfigError


def output_file(path: Path, option: str = "--out") -> Path:
    """`path` as a file that can be written: its folder exists, it is not a folder itself."""
    if path.is_dir():
        raise ConfigError(f"{option} {path} is a folder; give a file name inside it")
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ConfigError(f"{option} {path}: the folder {folder} is not writable")
    return path


def output_format(path: Path, given: str | None, formats: dict[str, str]) -> str:
    """The format to write: `given`, or the one the file name's suffix names.

    `formats` maps suffixes to formats ({".csv": "csv"}); a suffix that names another
    known format than `given` is a mistake worth one line rather than a mislabelled file."""
    named = formats.get(path.suffix.lower())
    choices = ", ".join(sorted(set(formats.values())))
    if given is None:
        if named is None:
            suffixes = " or ".join(formats)
            raise ConfigError(
                f"cannot tell the format from {path.name!r}: end it in {suffixes}, or give "
                f"--format ({choices})"
            )
        return named
    if given not in formats.values():
        raise ConfigError(f"--format must be one of {choices}, got {given!r}")
    if named is not None and named != given:
        raise ConfigError(f"--format {given} but the file name {path.name!r} says {named}")
    return given
