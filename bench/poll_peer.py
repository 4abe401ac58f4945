"""The poll benchmark's peer: the feed-reader library ``reader`` on the same feeds, in a child.

    READER_NO_VENDORED_FEEDPARSER=1 python bench/poll_peer.py DB_PATH BASE_URL COUNT

Run by ``bench/poll.py --peer`` in its own process, so that its CPU and memory are counted apart
from Veilleur's; it imports only the standard library and ``reader`` (nothing of the bot, which
would inflate its memory). It adds ``BASE_URL/feed/0`` … ``/feed/COUNT-1``, then times
``update_feeds_iter(workers=64, scheduled=False)`` twice: cold (everything new), then again
(the bench server answers 304). It prints one JSON line with each update's wall time, CPU time
and peak RSS (sampled from /proc every 20 ms, as ``bench/poll.py`` samples Veilleur).
Loopback only: the bench server is on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
import warnings
from collections import Counter

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
WORKERS = 64  # as many fetch threads as Veilleur's
TIMEOUT = (10, 10)  # connect/read, as Veilleur's and the naive loop's


def rss(pid: int) -> int:
    """Return the resident set size of a live process in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def pss(pid: int) -> int:
    """Return the proportional set size of a live process in bytes (shared pages split)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu(pid: int) -> float:
    """Return utime+stime of a live process (every thread), from /proc; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, ValueError, IndexError):
        return 0.0


def children(pid: int) -> list[int]:
    """Return the pids of a process's children (every thread's), from /proc."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(word) for word in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


class PeakRss:
    """Sample this process's RSS every 20 ms (PSS every 200 ms) and keep the peaks.

    The sampling thread's own CPU is kept in ``own_cpu`` and taken off the peer's, as
    ``bench/poll.py`` takes its sampler's off Veilleur's.
    """

    def __init__(self) -> None:
        self.peak = 0
        self.peak_pss = 0
        self.own_cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        count = 0
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss(os.getpid()))
            count += 1
            if count % 10 == 0:  # smaps_rollup walks the page tables: sampled less often
                self.peak_pss = max(self.peak_pss, pss(os.getpid()))
        self.own_cpu = time.thread_time()

    def __enter__(self) -> PeakRss:
        self.peak = rss(os.getpid())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss(os.getpid()))


def own_cpu() -> float:
    """Return this process's CPU time (user+sys, every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def update_all(reader: object) -> dict[str, object]:
    """Time one ``update_feeds_iter`` over every feed, consuming it; count what it yielded."""
    outcomes: Counter[str] = Counter()
    new_entries = 0
    cpu0, wall0 = own_cpu(), time.monotonic()
    with PeakRss() as sampler:
        for result in reader.update_feeds_iter(workers=WORKERS, scheduled=False):  # type: ignore[attr-defined]
            if result.error is not None:
                outcomes["error"] += 1
            elif result.value is None:
                outcomes["not modified"] += 1
            else:
                outcomes["updated"] += 1
                new_entries += result.value.new
    return {
        "wall": time.monotonic() - wall0,
        "cpu": own_cpu() - cpu0 - sampler.own_cpu,
        "peak": sampler.peak,
        "peak_pss": sampler.peak_pss,
        "outcomes": dict(outcomes),
        "new_entries": new_entries,
    }


def main() -> None:
    """Add the feeds, update them cold and again, print the measures as one JSON line."""
    db_path, base, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    started = time.monotonic()
    # reader warns once per entry without an id: on stderr, that would bury the bench's log
    warnings.simplefilter("ignore")
    from reader import make_reader  # imported here: the import is part of its footprint

    reader = make_reader(db_path, session_timeout=TIMEOUT)
    for n in range(count):
        reader.add_feed(f"{base}/feed/{n}")
    setup = time.monotonic() - started
    cold = update_all(reader)
    warm = update_all(reader)
    reader.close()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"setup": setup, "cold": cold, "warm": warm, "maxrss": maxrss}), flush=True)


if __name__ == "__main__":
    main()
