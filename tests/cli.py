"""Running the `gridbot` command as a user would, while the test's own loop keeps serving."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


async def gridbot(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Ran:
    """`gridbot ARGS` in a subprocess, with extra environment variables."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "handlers.cli", *args,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())
