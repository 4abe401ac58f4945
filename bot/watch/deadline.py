"""The overall deadline of one fetch, from connect to the last body byte.

Checking the clock between reads is not enough: http.client reads the status line and the
headers inside one call, one byte at a time if the server drips them, and skips any number of
``100 Continue`` interim responses in a loop. Each read stays under the read timeout, so only
closing the socket under that call stops it. A watchdog does this: when the budget is spent it
shuts down every socket the fetch opened; the blocked read then sees the end of the stream and
the fetch reports ``deadline``, whatever half-response it was reading. One watchdog thread serves
every fetch of the process (a timer thread per fetch cost a thread start per feed and round).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from types import TracebackType

from bot.watch.errors import FetchError


class Deadline:
    """A time budget for one fetch; a watchdog shuts its sockets down once the budget is spent."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        # Duplicates of the watched sockets: shutting a duplicate down ends the connection
        # even after TLS has taken over the original descriptor (``SSLSocket`` detaches it).
        self._watched: list[socket.socket] = []
        self._fired = False
        self._done = False

    def __enter__(self) -> Deadline:
        WATCHDOG.add(self)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done = True  # the watchdog drops it when its time comes
        self.forget()

    @property
    def expired(self) -> bool:
        """Tell whether the budget is spent (the watchdog may not have run yet)."""
        return self._fired or time.monotonic() >= self.ends

    def remaining(self) -> float:
        """Return the seconds left, or raise ``FetchError("deadline")`` once none are."""
        left = self.ends - time.monotonic()
        if self._fired or left <= 0:
            raise FetchError("deadline")
        return left

    def cap(self, timeout: float | None) -> float:
        """Return ``timeout`` shortened to the seconds left (a socket timeout never outlives us)."""
        left = self.remaining()
        return left if timeout is None else min(timeout, left)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes; raise at once if it has passed."""
        with self._lock:
            if self._fired:
                raise FetchError("deadline")
            self._watched.append(sock.dup())

    def forget(self) -> None:
        """Stop watching the sockets opened so far (their hop is over) and free the duplicates."""
        with self._lock:
            watched, self._watched = self._watched, []
        for duplicate in watched:
            duplicate.close()

    def _expire(self) -> None:
        if self._done:
            return
        with self._lock:
            self._fired = True
            for duplicate in self._watched:
                # ENOTCONN if the connection is already gone: nothing left to stop.
                with contextlib.suppress(OSError):
                    duplicate.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """One daemon thread that expires every deadline of the process when its time comes."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Deadline]] = []
        self._wake = threading.Condition()
        self._count = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> None:
        """Expire ``deadline`` at its end (started on first use; it lives as long as the process)."""
        with self._wake:
            heapq.heappush(self._due, (deadline.ends, next(self._count), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="fetch-deadline", daemon=True
                )
                self._thread.start()
            elif self._due[0][2] is deadline:
                # Only a new earliest deadline changes the watchdog's wait. Fetches share one
                # budget, so a new one almost never comes first: waking the thread for each
                # cost two context switches per request.
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    timeout = self._due[0][0] - time.monotonic() if self._due else None
                    self._wake.wait(timeout)
                _, _, deadline = heapq.heappop(self._due)
            deadline._expire()


WATCHDOG = Watchdog()
