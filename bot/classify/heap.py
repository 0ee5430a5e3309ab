"""Freed memory handed back to the system after the n-gram opinions are trained.

glibc keeps the memory a process frees for its next allocations. Training an opinion frees
its counting dictionaries (~6 MB each for the problem and urgency opinions, which count all
2,630 example messages), and a bot never allocates that much again: kept, it was a tenth of
`gridbot run`'s peak RSS (bench/bench_intake.py, see the commit that added this module).
"""

from __future__ import annotations

import ctypes


def release_freed_memory() -> None:
    """malloc_trim(0): nothing where the C library has none (musl, macOS)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)
