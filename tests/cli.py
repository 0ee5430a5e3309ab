"""Running the `gridbot` command as a user would, while the test's own loop keeps serving.

The command runs in this process, on a worker thread: `handlers.cli.main` with the arguments,
the environment and the standard streams it would have had in its own process. A process
start costs a second of imports, and sixty tests paid it; what a separate process adds (the
interpreter, the entry point, signals) is tried where it matters, by the tests that start
`gridbot run`, `gridbot demo` and `python -m handlers.cli` themselves."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from handlers.cli import main

# The environment and the standard streams belong to the whole process: one command at a time.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


async def gridbot(
    *args: str, env: dict[str, str] | None = None, only: bool = False, timeout: float = 60
) -> Ran:
    """`gridbot ARGS` with extra environment variables (with `only`, just those), its streams
    and exit code captured."""
    ran = asyncio.to_thread(run_command, list(args), env or {}, only=only)
    return await asyncio.wait_for(ran, timeout)


def run_command(args: list[str], env: dict[str, str], *, only: bool = False) -> Ran:
    """`gridbot ARGS` in this process, as if it were its own (blocking; for a worker thread).
    With `only`, `env` is the whole environment, as a process started with just it has."""
    out, err = io.StringIO(), io.StringIO()
    with (
        _ONE_AT_A_TIME,
        _environment(env, only),
        _own_logging(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse: --help, a usage error
            code = _exit_code(exit_.code, err)
    return Ran(code, out.getvalue(), err.getvalue())


def _exit_code(code: object, err: io.StringIO) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)  # sys.exit("message"), as the interpreter would print it
    return 1


@contextlib.contextmanager
def _environment(extra: dict[str, str], only: bool) -> Iterator[None]:
    saved = dict(os.environ)
    if only:
        os.environ.clear()
    os.environ.update(extra)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _own_logging() -> Iterator[None]:
    """The root logger as a new process has it (no handlers), so the command's basicConfig
    writes to the captured stderr as it would to a terminal; pytest's handlers come back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    named = {name: logging.getLogger(name).level for name in ("httpx", "alembic")}
    root.handlers = []
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers, root.level = handlers, level
        for name, was in named.items():
            logging.getLogger(name).setLevel(was)
