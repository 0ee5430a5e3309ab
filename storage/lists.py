"""IN-lists bound as one parameter: `among(column, values)`, `not_among(column, values)`.

A plain `column.in_(values)` renders one placeholder per value, so every length of list is
another SQL text: SQLite prepares it anew and asyncpg prepares (and caches, evicting
others) a statement for each length it meets, one round trip more. Here the list is one
parameter whatever its length: a JSON array read by json_each on SQLite, an array compared
with ANY / ALL on PostgreSQL. The statement is the same text for one value or five hundred.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Boolean, ColumnElement, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import String, TypeDecorator, TypeEngine


class _Listed(TypeDecorator[list[Any]]):
    """A Python list as one bound value: an ARRAY of the column's type on PostgreSQL,
    JSON text elsewhere."""

    impl = String
    cache_ok = True

    def __init__(self, item: TypeEngine[Any]) -> None:
        super().__init__()
        self.item = item

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            # Imported here: the PostgreSQL dialect's modules are 2.2 MB of a SQLite bot's
            # resident memory (bench_intake's peak RSS), and that bot never asks for them.
            from sqlalchemy.dialects.postgresql import ARRAY

            return dialect.type_descriptor(ARRAY(self.item))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        values = list(value)
        return values if dialect.name == "postgresql" else json.dumps(values, ensure_ascii=False)


class _Among(ColumnElement[bool]):
    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy's own way: its cache key reads these)
        ("column", InternalTraversal.dp_clauseelement),
        ("values", InternalTraversal.dp_clauseelement),
        ("negated", InternalTraversal.dp_boolean),
    ]
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison already: no "= 1" after it on SQLite

    def __init__(self, column: ColumnElement[Any], values: Values, negated: bool) -> None:
        self.column = column
        listed = _Listed(column.type)
        # A name: the list is given when the statement (built once) is executed.
        self.values = (
            bindparam(values, type_=listed)
            if isinstance(values, str)
            else bindparam(None, list(values), type_=listed)
        )
        self.negated = negated


Values = Iterable[Any] | str  # the values, or the name of the parameter that will bring them


def among(column: ColumnElement[Any], values: Values) -> ColumnElement[bool]:
    """`column IN values`, the list bound as one parameter (false for no values)."""
    return _Among(column, values, negated=False)


def not_among(column: ColumnElement[Any], values: Values) -> ColumnElement[bool]:
    """`column NOT IN values`, the list bound as one parameter (true for no values)."""
    return _Among(column, values, negated=True)


@compiles(_Among)
def _json_each(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    operator = "NOT IN" if element.negated else "IN"
    return f"{column} {operator} (SELECT value FROM json_each({values}))"


@compiles(_Among, "postgresql")
def _any_array(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} <> ALL ({values})" if element.negated else f"{column} = ANY ({values})"
