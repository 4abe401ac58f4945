"""Parse functions that misbehave, run inside sandbox workers by test_sandbox.py (importable there)."""

from __future__ import annotations

import os
import time


def allocate(megabytes: int) -> int:
    """Touch ``megabytes`` of memory, as an entity bomb does; return the size."""
    block = bytearray(megabytes * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])
    return len(block)


def spin(seconds: float = 3600.0) -> int:
    """Burn CPU for ``seconds``, as expat does when it expands entities."""
    deadline = time.monotonic() + seconds
    turns = 0
    while time.monotonic() < deadline:
        turns += 1
    return turns


def sleep(seconds: float) -> float:
    """Wait without using CPU, as a worker stuck on I/O would."""
    time.sleep(seconds)
    return seconds


def die() -> None:
    """End the worker at once, as a crash in C code would."""
    os._exit(9)


def pid() -> int:
    """Return the worker's pid."""
    return os.getpid()


_HOARD: list[bytearray] = []


def hoard(megabytes: int) -> int:
    """Keep ``megabytes`` allocated after returning, as a fragmented heap does."""
    _HOARD.append(bytearray(megabytes * 1024 * 1024))
    return len(_HOARD)


def hold(seconds: float, document: bytes) -> tuple[float, float]:
    """Hold a worker for ``seconds`` with ``document`` as its input; return when it ran."""
    started = time.monotonic()
    time.sleep(seconds)
    return started, time.monotonic()


def environment() -> dict[str, str]:
    """Return the worker's environment variables."""
    return dict(os.environ)


def parent() -> int:
    """Return the pid of the worker's parent."""
    return os.getppid()
