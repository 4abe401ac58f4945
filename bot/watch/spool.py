"""Fetched bodies waiting for a parser: in memory up to a budget, beyond it in a spool file.

A round fetches faster than two parser processes read (1,000 feeds: ~1 s of fetching, ~3 s of
parsing), so bodies wait. Holding them all in the bot's memory costs its peak; making the
fetch threads wait for room delays the next fetches, and with them the moment the silent
servers' timeouts start. So a body that does not fit the memory budget is appended to one
unnamed temporary file (``tempfile.TemporaryFile``: no name, gone with the process), read back
with ``os.pread`` when a parser takes it, and the file is emptied whenever no body waits in it.
One file for every body: a descriptor per body would let a thousand small feeds take the
descriptors the bot needs for Slack, its database and its fetches.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable
from typing import IO


class ByteBudget:
    """Bound the bytes held at once; a single item larger than the bound goes when none is held."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        self.peak = 0  # the most held at once (for the benchmark and diagnostics)
        self._changed = threading.Condition()

    def _fits(self, size: int) -> bool:
        return self.held == 0 or self.held + size <= self.limit

    def acquire(self, size: int) -> None:
        """Wait until ``size`` more bytes fit (or nothing is held), then count them."""
        with self._changed:
            self._changed.wait_for(lambda: self._fits(size))
            self._take(size)

    def try_acquire(self, size: int) -> bool:
        """Count ``size`` more bytes if they fit now; return whether they did."""
        with self._changed:
            if not self._fits(size):
                return False
            self._take(size)
            return True

    def _take(self, size: int) -> None:
        self.held += size
        self.peak = max(self.peak, self.held)

    def release(self, size: int) -> None:
        """Give back ``size`` bytes."""
        with self._changed:
            self.held -= size
            self._changed.notify_all()


class SpoolFile:
    """One temporary file that bodies are appended to, emptied when none of them waits.

    ``limit`` bounds the bytes written since the file was last empty (so its size on disk),
    not only those still waiting: a long round cannot grow it past the limit.
    """

    def __init__(self, limit: int, folder: str | None = None) -> None:
        self.limit = limit
        self.folder = folder
        self.peak = 0  # the largest size the file reached
        self.count = 0  # bodies written so far
        self._file: IO[bytes] | None = None
        self._end = 0  # bytes written since the file was last empty
        self._waiting = 0  # bodies written and not yet released
        self._lock = threading.Lock()

    def put(self, data: bytes) -> SpooledBody | None:
        """Append ``data``; return its handle, or None when the file is full or unwritable."""
        with self._lock:
            if self._end + len(data) > self.limit:
                return None
            try:
                fd = self._descriptor()
                offset = self._end
                written = 0
                while written < len(data):
                    written += os.pwrite(fd, memoryview(data)[written:], offset + written)
            except OSError:  # a full disk, no temporary folder: the caller keeps it in memory
                return None
            self._end += len(data)
            self._waiting += 1
            self.count += 1
            self.peak = max(self.peak, self._end)
        return SpooledBody(self, offset, len(data))

    def read(self, offset: int, size: int) -> bytes:
        """Return ``size`` bytes written at ``offset`` (no shared position: any thread may)."""
        assert self._file is not None
        chunks, done = [], 0
        while done < size:
            chunk = os.pread(self._file.fileno(), size - done, offset + done)
            if not chunk:
                break
            chunks.append(chunk)
            done += len(chunk)
        return b"".join(chunks)

    def release(self) -> None:
        """Count one body as taken; empty the file when none waits in it any more."""
        with self._lock:
            self._waiting -= 1
            if self._waiting == 0 and self._file is not None:
                self._end = 0
                # Gives its blocks back at once; if it cannot, it is written over all the same.
                with contextlib.suppress(OSError):
                    os.ftruncate(self._file.fileno(), 0)

    def _descriptor(self) -> int:
        if self._file is None:
            # Kept open for the poller's life: one descriptor, whatever the number of bodies.
            self._file = tempfile.TemporaryFile(dir=self.folder)  # noqa: SIM115
        return self._file.fileno()


class SpooledBody:
    """A body waiting in the spool file until a parser process takes it.

    Pickled as its bytes (``__reduce__``), so the worker receives plain ``bytes`` and reads
    it as any other body; the bytes are read back only when the body is sent.
    """

    def __init__(self, spool: SpoolFile, offset: int, size: int) -> None:
        self.spool, self.offset, self.size = spool, offset, size
        self._released = False

    def __len__(self) -> int:
        return self.size

    def read(self) -> bytes:
        """Return the body's bytes (empty once released)."""
        return b"" if self._released else self.spool.read(self.offset, self.size)

    def release(self) -> None:
        """Tell the spool this body is no longer needed (once; later calls do nothing)."""
        if not self._released:
            self._released = True
            self.spool.release()

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:
        return (bytes, (self.read(),))


class BodyQueue:
    """Where fetched bodies wait for a parser: memory first, then the spool file.

    ``hold(body)`` returns what to hand to the parser (the bytes, or a :class:`SpooledBody`)
    and a function to call once the parser is done with it; it waits only when the body fits
    neither.
    """

    def __init__(self, memory_bytes: int, disk_bytes: int = 0, folder: str | None = None) -> None:
        self.memory = ByteBudget(memory_bytes)
        self.spool = SpoolFile(disk_bytes, folder)

    def hold(self, body: bytes) -> tuple[bytes | SpooledBody, Callable[[], None]]:
        size = len(body)
        if self.memory.try_acquire(size):
            return body, lambda: self.memory.release(size)
        spooled = self.spool.put(body)
        if spooled is not None:
            return spooled, spooled.release
        self.memory.acquire(size)  # both full: wait for a parse to end
        return body, lambda: self.memory.release(size)
