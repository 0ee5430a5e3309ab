"""SQLAlchemy's asyncio engine without its ORM.

`sqlalchemy.ext.asyncio`'s package __init__ imports AsyncSession, and with it the whole ORM
(`sqlalchemy.orm`): ~55 ms of CPU of `gridbot run`'s ~0.6 s before its first poll, for
code storage/ never runs (it uses engines and connections only, SQLAlchemy Core). So the
package is registered without running its __init__, holding the names of its `engine` and
`result` modules (which need no ORM); the first other name asked of it (AsyncSession ...)
runs the real __init__, so code that wants the ORM gets everything as before.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

PACKAGE = "sqlalchemy.ext.asyncio"
# What the package's __init__ takes from its engine and result modules.
CORE_NAMES = {
    "engine": (
        "async_engine_from_config", "AsyncConnection", "AsyncEngine", "AsyncTransaction",
        "create_async_engine", "create_async_pool_from_url",
    ),
    "result": ("AsyncMappingResult", "AsyncResult", "AsyncScalarResult", "AsyncTupleResult"),
}  # fmt: skip


def install() -> None:
    """Register the package with the Core names only; nothing if it is imported already."""
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None:
        return
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    try:
        for module, names in CORE_NAMES.items():
            found = importlib.import_module(f"{PACKAGE}.{module}")
            for name in names:
                setattr(package, name, getattr(found, name))
    except BaseException:
        del sys.modules[PACKAGE]
        raise
    package.__getattr__ = _completing(package)  # type: ignore[method-assign]


def _completing(package: ModuleType) -> Callable[[str], Any]:
    def complete(name: str) -> Any:
        """A name outside the Core ones: the package's own __init__ runs, once."""
        del package.__getattr__
        assert package.__spec__ is not None and package.__spec__.loader is not None
        package.__spec__.loader.exec_module(package)
        return getattr(package, name)

    return complete
