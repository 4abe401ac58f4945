"""Fetched bodies waiting for a parser: in memory up to a budget, beyond it in temporary files.

A round fetches faster than two parser processes read (1,000 feeds: ~1 s of fetching, ~3 s of
parsing), so bodies wait. Holding them all in the bot's memory costs its peak; making the
fetch threads wait for room delays the next fetches, and with them the moment the silent
servers' timeouts start. So a body that does not fit the memory budget waits in an unnamed
temporary file (``tempfile.TemporaryFile``: gone when closed, and with the process if it
dies), within a second, larger budget; only when both are full does a fetch thread wait.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from typing import IO

MIB = 1024 * 1024
MAX_FILES = 256  # temporary files open at once, at most


class SpooledBody:
    """A body kept in a temporary file until a parser process takes it.

    Pickled as its bytes (``__reduce__``), so the worker receives plain ``bytes`` and reads
    it as any other body; the file is read back only when the body is sent.
    """

    def __init__(self, data: bytes, folder: str | None = None) -> None:
        self.size = len(data)
        # Not a context manager: the file lives until the parser has the body (close()).
        file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
        try:
            file.write(data)
        except OSError:
            file.close()  # a full disk: the caller keeps the body in memory instead
            raise
        self._file: IO[bytes] | None = file

    def __len__(self) -> int:
        return self.size

    def read(self) -> bytes:
        """Return the body's bytes (empty once closed)."""
        if self._file is None:
            return b""
        self._file.seek(0)
        return self._file.read()

    def close(self) -> None:
        """Delete the file (it has no name: closing it frees its space)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:
        return (bytes, (self.read(),))


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

    def try_acquire(self, size: int, strict: bool = False) -> bool:
        """Count ``size`` more bytes if they fit now; return whether they did.

        ``strict``: they must fit the bound itself (no oversized item, even when none is held).
        """
        with self._changed:
            fits = self.held + size <= self.limit if strict else self._fits(size)
            if not fits:
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


class BodyQueue:
    """Where fetched bodies wait for a parser: memory first, then temporary files.

    ``hold(body)`` returns what to hand to the parser (the bytes, or a :class:`SpooledBody`)
    and a function to call once the parser is done with it; it waits only when the body fits
    neither budget. Files are bounded in bytes and in number: each is a descriptor, and
    thousands of small bodies must not take the ones the bot needs for Slack, its database
    and its fetches.
    """

    def __init__(
        self,
        memory_bytes: int,
        disk_bytes: int = 0,
        folder: str | None = None,
        max_files: int = MAX_FILES,
    ) -> None:
        self.memory = ByteBudget(memory_bytes)
        self.disk = ByteBudget(disk_bytes)
        self.files = ByteBudget(max_files if disk_bytes > 0 else 0)
        self.folder = folder
        self.spooled = 0  # bodies written to a temporary file so far

    def hold(self, body: bytes) -> tuple[bytes | SpooledBody, Callable[[], None]]:
        size = len(body)
        if self.memory.try_acquire(size):
            return body, lambda: self.memory.release(size)
        if self._file_room(size):
            try:
                spooled = SpooledBody(body, self.folder)
            except OSError:  # no room, no folder, no descriptor: wait for memory instead
                self._file_done(size)
            else:
                self.spooled += 1

                def done() -> None:
                    spooled.close()
                    self._file_done(size)

                return spooled, done
        self.memory.acquire(size)  # both full: wait for a parse to end
        return body, lambda: self.memory.release(size)

    def _file_room(self, size: int) -> bool:
        """Count one more spooled body if its file and its bytes both fit now."""
        if not self.files.try_acquire(1, strict=True):
            return False
        if self.disk.try_acquire(size, strict=True):
            return True
        self.files.release(1)
        return False

    def _file_done(self, size: int) -> None:
        self.disk.release(size)
        self.files.release(1)
