"""Parse untrusted documents in worker processes that the kernel and a timer can stop (issue 9).

A hostile feed can make a parser eat gigabytes or minutes inside C code, where no Python
timeout reaches. So each worker runs under an address-space ceiling (``RLIMIT_AS``) and, for
each document, a CPU budget (``RLIMIT_CPU``: the kernel ends the worker even inside expat);
the parent kills a worker by pid when a document takes too long by the clock. A worker that
breaches a limit is replaced, and only the document it was parsing fails, with
``FetchError("too_heavy")``: unlike :class:`~concurrent.futures.ProcessPoolExecutor`, where one
dead worker breaks the whole pool, the other documents carry on.

Workers start from the ``forkserver`` (not ``fork``): they import only what parsing needs and
inherit none of the bot's threads, sockets or the other workers' pipes (so a dead worker's
pipe reads as closed). Each worker has a thread in the parent that feeds it one job at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import multiprocessing
import os
import queue
import resource
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bot.watch.errors import FetchError

MIB = 1024 * 1024
PRELOAD = ("bot.watch.parse",)
_OUT_OF_MEMORY = 75  # a worker's exit status after a MemoryError
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
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))  # used when the forkserver first starts
        self.limits = limits
        self.closed = False
        self._stopping = False
        self._lock = threading.Lock()  # a job is never queued behind the stop signals
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._large = threading.Lock()  # held while a worker parses a large document
        count = max(1, workers or os.cpu_count() or 1)
        self._slots = [_Slot(context, limits, preload) for _ in range(count)]
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
        size = sum(len(a) for a in (*args, *kwargs.values()) if isinstance(a, bytes | str))
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
    """Stop every open sandbox, then the forkserver and resource tracker their workers came from.

    For a stopping bot: the ``atexit`` hooks that would do it do not run when a signal ends the
    process, and multiprocessing's helpers would then outlive it. True if nothing had to be killed.
    """
    deadline = time.monotonic() + timeout
    clean = all([sandbox.stop(max(0.0, deadline - time.monotonic())) for sandbox in list(_open)])
    stop_helpers()
    return clean


def stop_helpers() -> None:
    """Stop multiprocessing's forkserver and resource tracker, if this process started them."""
    from multiprocessing import forkserver, resource_tracker

    # Both are private in CPython; each ends when its pipe from us closes, and is reaped here.
    for helper in (forkserver._forkserver, resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            with contextlib.suppress(OSError, ChildProcessError):
                stop()


class _Slot:
    """One worker process, started on demand and replaced after it breaches a limit."""

    def __init__(self, context: Any, limits: SandboxLimits, preload: tuple[str, ...]) -> None:
        self._context = context
        self._limits = limits
        self._preload = preload
        self._process: Any = None
        self._conn: Connection | None = None

    @property
    def pid(self) -> int | None:
        """Return the pid of the current worker, if one was started."""
        process = self._process
        return None if process is None else process.pid

    def run(self, call: tuple) -> tuple[bool, Any]:
        """Run one call in the worker: (True, result) or (False, exception); never raise."""
        try:
            conn = self._ready()
            conn.send(call)
        except (OSError, EOFError):
            self.kill()  # died while idle: start afresh once
            try:
                conn = self._ready()
                conn.send(call)
            except Exception as error:
                return False, error
        except Exception as error:  # the call would not pickle: the worker is untouched
            return False, error
        return self._answer(conn)

    def _answer(self, conn: Connection) -> tuple[bool, Any]:
        try:
            if conn.poll(self._limits.wall_seconds):
                done, value, retiring = conn.recv()
                if retiring:
                    self.kill(grace=5.0)  # it leaves by itself; the next job starts a fresh one
                return done, value
        except (OSError, EOFError):
            self.kill(grace=1.0)  # the kernel ended it (CPU or memory limit) or it died
            return False, FetchError("too_heavy")
        except Exception as error:  # an answer that does not unpickle
            return False, error
        self.kill()  # over its wall-time budget
        return False, FetchError("too_heavy")

    def _ready(self) -> Connection:
        if self._conn is None:
            parent, child = self._context.Pipe()
            process = self._context.Process(
                target=serve,
                args=(child, self._limits, self._preload),
                name="veilleur-parser",
                daemon=True,
            )
            process.start()
            child.close()  # only the worker holds it now: its death closes the pipe
            self._process, self._conn = process, parent
        return self._conn

    def stop(self) -> None:
        """Ask the worker to leave (its pipe closes), then make sure it did."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.kill(grace=2.0)

    def kill(self, grace: float = 0.0) -> None:
        """Kill the worker by pid (unless it ends within ``grace`` seconds) and reap it."""
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if conn is not None:
            conn.close()
        if process is not None:
            # A worker that died on its own is reaped first: its pid may already be reused.
            process.join(timeout=grace)
            if process.exitcode is None:
                process.kill()
            process.join(timeout=5.0)

    def signal_kill(self) -> None:
        """Send SIGKILL to the worker, from any thread; its own thread reaps it."""
        process = self._process
        if process is not None:
            process.kill()


def serve(conn: Connection, limits: SandboxLimits, preload: tuple[str, ...]) -> None:
    """Run in a worker: take calls from the pipe and send back their outcome, until it closes."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker killed by SIGXCPU dumps nothing
    for name in preload:
        importlib.import_module(name)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    while True:
        try:
            fn, args, kwargs = conn.recv()
        except EOFError:
            return
        limit_cpu(limits.cpu_seconds)
        try:
            outcome = (True, fn(*args, **kwargs))
        except MemoryError:
            os._exit(_OUT_OF_MEMORY)  # the heap may be in pieces: let the parent replace us
        except Exception as error:
            outcome = (False, error)
        # The heap does not shrink back: a worker that grew past its retiring size leaves, so
        # that neither its idle memory nor the next document's failure is an earlier one's doing.
        retiring = mapped_bytes() > limits.retire_bytes
        send_outcome(conn, (*outcome, retiring))
        if retiring:
            return


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


def send_outcome(conn: Connection, outcome: tuple[bool, Any, bool]) -> None:
    """Send the outcome; an exception that does not pickle goes back as its text."""
    try:
        conn.send(outcome)
    except MemoryError:
        os._exit(_OUT_OF_MEMORY)
    except Exception as error:
        conn.send((False, RuntimeError(f"{outcome[1]!r} ({error})"), outcome[2]))
