"""The newest schema revision, read from the migration files' text without Alembic.

Starting the bot on a database that is up to date is the common case; Alembic's own answer
(import it, load every migration module, ask the stored revision) costs a good part of a
second there. The files say `revision = "…"` and `down_revision = "…"` on lines of their
own; the head is the revision no other one revises. Anything unclear (two heads, a file
written another way) answers None, and the caller runs Alembic as before.
"""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision\s*(?::\s*str\s*)?=\s*"([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision\s*(?::[^=]+)?=\s*(?:None|"([^"]+)")', re.MULTILINE)


def script_head(folder: Path = VERSIONS) -> str | None:
    """The one revision that no migration in the folder revises; None if unclear."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in folder.glob("*.py"):
        if path.name.startswith("__"):
            continue
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.findall(source), _DOWN.search(source)
        if len(found) != 1 or down is None:
            return None
        revisions.add(found[0])
        if down.group(1):
            revised.add(down.group(1))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None
