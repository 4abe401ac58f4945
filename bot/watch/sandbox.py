"""Parse untrusted documents in worker processes that the kernel and a timer can stop (issue 9).

A hostile feed can make a parser eat gigabytes or minutes inside C code, where no Python
timeout reaches. So each worker runs under an address-space ceiling (``RLIMIT_AS``) and, for
each document, a CPU budget (``RLIMIT_CPU``: the kernel ends the worker even inside expat);
the parent kills a worker by pid when a document takes too long by the clock. A worker that
breaches a limit is replaced, and only the document it was parsing fails, with
``FetchError("too_heavy")``: unlike :class:`~concurrent.futures.ProcessPoolExecutor`, where one
dead worker breaks the whole pool, the other documents carry on.

Workers are plain child processes (``python -m bot.watch.parse_worker``, see there), talking
over their stdin and stdout: no forkserver nor resource tracker (38 MB between them), and a
worker holds nothing of the bot: not its threads, sockets, environment or the other workers'
pipes (so a dead worker's pipe reads as closed). Each worker has a thread in the parent that
feeds it one job at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.watch.errors import FetchError
from bot.watch.parse_worker import write_frame
from bot.watch.spool import SpooledBody

MIB = 1024 * 1024
PRELOAD = ("bot.watch.parse", "feedparser")  # parse imports feedparser on first use
_open: weakref.WeakSet[ParserSandbox] = weakref.WeakSet()  # for :func:`stop_sandboxes`


@dataclass(frozen=True)
class SandboxLimits:
    """What one worker may use: memory for its whole life, CPU and wall time per document.

    Measured in a worker: idle, 32 MB mapped (20 MB resident); a 1.2 MB feed of 2,000 items
    peaks at 42 MB mapped (30 MB resident), 0.4 s of CPU; a 10 MiB feed of 28,000 items, the
    fetch cap, at 140 MB mapped (129 MB resident) and 4.6 s of CPU: about half the limits.
    """

    memory_bytes: int = 384 * MIB
    cpu_seconds: int = 10
    wall_seconds: float = 20.0
    # A worker's heap never shrinks back: one that maps more than this after a document leaves,
    # so that the memory of a big document is not kept by an idle worker (a fresh one maps 32 MB).
    retire_bytes: int = 96 * MIB
    # Documents above this size are parsed one at a time: each costs ~14 times its size at the
    # peak, and two 10 MiB documents at once would take the bot and its workers past 400 MB.
    large_bytes: int = 2 * MIB


@dataclass
class _Job:
    future: Future
    call: tuple[Callable[..., Any], tuple, dict]


class ParserSandbox(Executor):
    """A small process pool whose workers are limited, killed and replaced one by one."""

    def __init__(
        self,
        workers: int | None = None,
        limits: SandboxLimits = SandboxLimits(),
        preload: tuple[str, ...] = PRELOAD,
    ) -> None:
        self.limits = limits
        self.closed = False
        self._stopping = False
        self._lock = threading.Lock()  # a job is never queued behind the stop signals
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._large = threading.Lock()  # held while a worker parses a large document
        count = max(1, workers or os.cpu_count() or 1)
        self._slots = [_Slot(limits, preload) for _ in range(count)]
        self._threads = [
            threading.Thread(target=self._serve, args=(slot,), name=f"sandbox-{n}", daemon=True)
            for n, slot in enumerate(self._slots)
        ]
        for thread in self._threads:
            thread.start()
        atexit.register(self._stop_at_exit)  # no worker outlives the bot
        _open.add(self)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Queue ``fn(*args, **kwargs)`` for the next free worker; return its future."""
        future: Future = Future()
        with self._lock:
            if self.closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._jobs.put(_Job(future, (fn, args, kwargs)))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking jobs, let the workers finish theirs, then stop every worker."""
        with self._lock:
            if not self.closed:
                self.closed = True
                atexit.unregister(self._stop_at_exit)
                if cancel_futures:
                    self._cancel_queued()
                for _ in self._threads:
                    self._jobs.put(None)
        if wait:
            for thread in self._threads:
                thread.join()

    def pids(self) -> list[int]:
        """Return the pids of the workers now running (for tests and diagnostics)."""
        return [slot.pid for slot in self._slots if slot.pid is not None]

    def _serve(self, slot: _Slot) -> None:
        """Feed one worker job after job until shutdown, then stop it."""
        try:
            while (job := self._jobs.get()) is not None:
                if job.future.set_running_or_notify_cancel():
                    with self._large if self._is_large(job) else contextlib.nullcontext():
                        outcome = slot.run(job.call)
                    self._settle(job.future, outcome)
        finally:
            slot.stop()

    def _is_large(self, job: _Job) -> bool:
        """Tell whether the job's documents (its bytes and str arguments) count as large."""
        _, args, kwargs = job.call
        sized = (bytes, str, SpooledBody)
        size = sum(len(a) for a in (*args, *kwargs.values()) if isinstance(a, sized))
        return size > self.limits.large_bytes

    def _settle(self, future: Future, outcome: tuple[bool, Any]) -> None:
        done, value = outcome
        if done:
            future.set_result(value)
        elif self._stopping:
            future.set_exception(FetchError("internal"))  # killed because the bot is stopping
        else:
            future.set_exception(value)

    def _cancel_queued(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job.future.cancel()

    def stop(self, timeout: float) -> bool:
        """Cancel queued jobs, give running ones ``timeout`` s, then kill what is left.

        Return True if every worker ended within ``timeout`` without being killed.
        """
        deadline = time.monotonic() + timeout
        self.shutdown(wait=False, cancel_futures=True)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if not any(thread.is_alive() for thread in self._threads):
            return True
        self._stop_at_exit()
        return False

    def _stop_at_exit(self) -> None:
        self._stopping = True
        self.shutdown(wait=False, cancel_futures=True)
        for slot in self._slots:
            slot.signal_kill()  # each thread then sees its worker's pipe close and reaps it
        for thread in self._threads:
            thread.join(timeout=2.0)


def stop_sandboxes(timeout: float) -> bool:
    """Stop every open sandbox and its workers; True if nothing had to be killed.

    For a stopping bot: the ``atexit`` hooks that would do it do not run when a signal ends the
    process.
    """
    deadline = time.monotonic() + timeout
    return all([sandbox.stop(max(0.0, deadline - time.monotonic())) for sandbox in list(_open)])


# glibc raises its mmap threshold each time a large block is freed, so after the first big
# document a worker's large buffers come from its heap, which then keeps their pages. Fixed
# thresholds (setting them turns the raising off) give each large block back when it is freed:
# the workers' peak in the poll bench fell from ~50 to ~40 MB each. The price is system time
# (an mmap and a munmap per large block): +4 % of the workers' CPU over the bench's 930 bodies
# (farm-bench, 8 paired runs: 7.15 s against 6.88 s). 1 MiB thresholds cost +1.5 % but kept
# the workers at 42-49 MB, so 128 KiB (glibc's own starting value) it is.
WORKER_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072"}


def worker_environment() -> dict[str, str]:
    """Return the environment of a worker: the path to this code, and none of the bot's secrets."""
    root = str(Path(__file__).resolve().parents[2])  # the folder that holds ``bot``
    paths = [root, *sys.path[1:]]  # and whatever the parent imports from (tests, plugins)
    env = {"PYTHONPATH": os.pathsep.join(p for p in paths if p), "PYTHONNOUSERSITE": "1"}
    env.update(WORKER_MALLOC)
    for name in ("PATH", "LANG", "LC_ALL", "TZ"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class _Slot:
    """One worker process, started on demand and replaced after it breaches a limit."""

    def __init__(self, limits: SandboxLimits, preload: tuple[str, ...]) -> None:
        self._limits = limits
        self._preload = preload
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        """Return the pid of the current worker, if one was started."""
        process = self._process
        return None if process is None else process.pid

    def run(self, call: tuple) -> tuple[bool, Any]:
        """Run one call in the worker: (True, result) or (False, exception); never raise."""
        try:
            frame = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # the call would not pickle: the worker is untouched
            return False, error
        try:
            process = self._ready()
            write_frame(process.stdin.fileno(), frame)
        except OSError:
            self.kill()  # died while idle: start afresh once
            try:
                process = self._ready()
                write_frame(process.stdin.fileno(), frame)
            except Exception as error:
                return False, error
        del frame
        return self._answer(process)

    def _answer(self, process: subprocess.Popen) -> tuple[bool, Any]:
        try:
            frame = read_before(
                process.stdout.fileno(), time.monotonic() + self._limits.wall_seconds
            )
        except OSError:
            frame = None
        if frame is None:
            # The kernel ended it (CPU or memory limit), it died, or it is over its wall time.
            self.kill(grace=1.0)
            return False, FetchError("too_heavy")
        try:
            done, value, retiring = pickle.loads(frame)
        except Exception as error:  # an answer that does not unpickle
            return False, error
        if retiring:
            self.kill(grace=5.0)  # it leaves by itself; the next job starts a fresh one
        return done, value

    def _ready(self) -> subprocess.Popen:
        if self._process is None:
            limits = {
                "memory_bytes": self._limits.memory_bytes,
                "cpu_seconds": self._limits.cpu_seconds,
                "retire_bytes": self._limits.retire_bytes,
                "preload": list(self._preload),
            }
            # close_fds (the default): the worker holds no other pipe, so a death reads as EOF.
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot.watch.parse_worker", json.dumps(limits)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=worker_environment(),
                bufsize=0,
            )
        return self._process

    def stop(self) -> None:
        """Ask the worker to leave (its stdin closes), then make sure it did."""
        process = self._process
        if process is not None and process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        self.kill(grace=2.0)

    def kill(self, grace: float = 0.0) -> None:
        """Kill the worker by pid (unless it ends within ``grace`` seconds) and reap it."""
        process, self._process = self._process, None
        if process is None:
            return
        for pipe in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        # Popen reaps a worker that died on its own before signalling: its pid is never reused.
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5.0)

    def signal_kill(self) -> None:
        """Send SIGKILL to the worker, from any thread; its own thread reaps it."""
        process = self._process
        if process is not None:
            with contextlib.suppress(OSError):
                process.kill()


def read_before(fd: int, deadline: float) -> bytes | None:
    """Read one length-prefixed answer from ``fd`` by ``deadline``; None if it closes or is late."""
    header = b""
    while len(header) < 8:
        if not wait_readable(fd, deadline):
            return None
        chunk = os.read(fd, 8 - len(header))
        if not chunk:
            return None
        header += chunk
    size = int.from_bytes(header, "big")
    parts, left = [], size
    while left:
        if not wait_readable(fd, deadline):
            return None
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def wait_readable(fd: int, deadline: float) -> bool:
    """Wait until ``fd`` has data (or is closed) or ``deadline`` passes; tell which."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(remaining * 1000))
