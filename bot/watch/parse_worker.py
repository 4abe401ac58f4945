"""A parser worker: ``python -m bot.watch.parse_worker LIMITS`` (started by the parser sandbox).

A plain child process, not a multiprocessing one: no forkserver and no resource tracker to keep
alive beside it, and nothing imported but this module, the standard library's few it needs and
``PRELOAD`` (feedparser and our parse module). It reads calls from its stdin and writes their
outcomes to its stdout, each a length-prefixed pickle (:func:`read_frame`, :func:`write_frame`).
It limits itself before the first document: no core dumps, an address-space ceiling
(``RLIMIT_AS``) for its whole life, and before each document a CPU budget (``RLIMIT_CPU``: the
kernel ends it even inside expat). The parent kills it by pid when a document takes too long by
the clock. This module imports nothing of the bot, so that the sandbox can import its framing.
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import resource
import struct
import sys
from typing import Any

OUT_OF_MEMORY = 75  # the exit status after a MemoryError
_HEADER = struct.Struct(">Q")


def read_exact(fd: int, size: int) -> bytes | None:
    """Read exactly ``size`` bytes from ``fd``; None if it closes first."""
    parts, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def read_frame(fd: int) -> bytes | None:
    """Read one length-prefixed message from ``fd``; None once the other end has closed."""
    header = read_exact(fd, _HEADER.size)
    if header is None:
        return None
    return read_exact(fd, _HEADER.unpack(header)[0])


def write_frame(fd: int, data: bytes) -> None:
    """Write one length-prefixed message to ``fd``, whole."""
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def limit_cpu(seconds: int) -> None:
    """Let the kernel end this process after ``seconds`` more of CPU time (SIGXCPU)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + seconds + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    # Only the soft limit moves: a process may lower its hard limit but never raise it again.
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def mapped_bytes() -> int:
    """Return the address space this process maps now (what ``RLIMIT_AS`` counts)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def private_pipes() -> tuple[int, int]:
    """Take stdin and stdout for the protocol; leave print() and the like on stderr."""
    calls, outcomes = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)  # a stray print from a library must not corrupt the answers
    return calls, outcomes


def encode_outcome(outcome: tuple[bool, Any, bool]) -> bytes:
    """Pickle the outcome; an exception that does not pickle goes back as its text."""
    try:
        return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        os._exit(OUT_OF_MEMORY)
    except Exception as error:
        text = RuntimeError(f"{outcome[1]!r} ({error})")
        return pickle.dumps((False, text, outcome[2]), protocol=pickle.HIGHEST_PROTOCOL)


def serve(calls: int, outcomes: int, limits: dict[str, Any]) -> None:
    """Take calls until the parent closes the pipe; send back each outcome."""
    while (frame := read_frame(calls)) is not None:
        limit_cpu(limits["cpu_seconds"])
        try:
            fn, args, kwargs = pickle.loads(frame)
            del frame
            outcome = (True, fn(*args, **kwargs))
        except MemoryError:
            os._exit(OUT_OF_MEMORY)  # the heap may be in pieces: let the parent replace us
        except Exception as error:
            outcome = (False, error)
        # The heap does not shrink back: a worker that grew past its retiring size leaves, so
        # that neither its idle memory nor the next document's failure is an earlier one's doing.
        retiring = mapped_bytes() > limits["retire_bytes"]
        data = encode_outcome((*outcome, retiring))
        del outcome
        try:
            write_frame(outcomes, data)
        except OSError:
            return  # the parent is gone
        if retiring:
            return


def main(argv: list[str]) -> None:
    """Limit this process, load the parser, then serve calls."""
    limits = json.loads(argv[1])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker killed by SIGXCPU dumps nothing
    calls, outcomes = private_pipes()
    for name in limits["preload"]:
        importlib.import_module(name)
    memory = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    serve(calls, outcomes, limits)


if __name__ == "__main__":
    main(sys.argv)
