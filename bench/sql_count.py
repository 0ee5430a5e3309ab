"""What a gridbot process asks of its database: statements, transactions, new connections.

    python -m bench.sql_count OUT.json ARGS...     (the same as `gridbot ARGS...`)

SQLAlchemy's own events count them, on every engine the process makes: a statement is
one cursor execution (an executemany or a multi-row INSERT counts once), a transaction is
one BEGIN, a connection is one the pool had to open. The counts are written to OUT.json
when the process ends (gridbot stops cleanly on SIGTERM). Counting costs a function call
per statement, so bench_intake counts only when asked (--count-sql) and times apart.
"""

from __future__ import annotations

import atexit
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool


class SqlCounter:
    """Counts on every engine and pool of this process while installed."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.sql: Counter[str] = Counter()  # each statement's text (its first 120 characters)

    def install(self) -> None:
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "begin", self._begin)
        event.listen(Pool, "connect", self._connect)

    def remove(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._statement)
        event.remove(Engine, "begin", self._begin)
        event.remove(Pool, "connect", self._connect)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.counts["statements"] += 1
        self.sql[" ".join(statement.split())[:120]] += 1

    def _begin(self, _conn: Any) -> None:
        self.counts["transactions"] += 1

    def _connect(self, _dbapi: Any, _record: Any) -> None:
        self.counts["connections"] += 1

    def as_dict(self) -> dict[str, Any]:
        return {**self.counts, "by_statement": dict(self.sql.most_common())}


def read_counts(path: Path) -> dict[str, Any]:
    """What a counted process wrote, or zeros if it wrote nothing."""
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def main() -> int:
    out, args = Path(sys.argv[1]), sys.argv[2:]
    counter = SqlCounter()
    counter.install()
    atexit.register(lambda: out.write_text(json.dumps(counter.as_dict(), ensure_ascii=False)))
    from handlers.cli import main as gridbot

    return gridbot(args)


if __name__ == "__main__":
    sys.exit(main())
