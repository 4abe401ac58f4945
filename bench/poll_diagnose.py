"""What bounds a poll cycle: ``bench/poll.py --diagnose`` prints this after each cycle.

Wraps, for the bench only and only while a cycle runs, three of the bot's own functions to
note when each fetch started, how much CPU the storing thread used, and how many bodies waited
in the spool file; and reads the feed server's CPU from /proc. The wrappers add a clock read
per fetch and per round, nothing measurable. These are the figures docs/bench-poll.md quotes
for what bounds "stored" and "the cycle's end".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import bot.watch.poller as poller
import bot.watch.rounds as rounds
import bot.watch.spool as spool
from bench.poll_peer import cpu


@dataclass
class Diagnosis:
    """Note fetch starts, the storing thread's CPU and the spool, for one cycle."""

    server_pid: int
    starts: list[float] = field(default_factory=list)
    storing_cpu: list[float] = field(default_factory=list)
    queues: list[spool.BodyQueue] = field(default_factory=list)
    _saved: list[tuple[Any, str, Any]] = field(default_factory=list)

    def __enter__(self) -> Diagnosis:
        self.started = time.monotonic()
        self.server_cpu = cpu(self.server_pid)
        fetch, store, make_queue = poller.fetch, rounds.Poller._store_arrivals, rounds.BodyQueue
        starts, storing, queues = self.starts, self.storing_cpu, self.queues

        def timed_fetch(url: str, **kwargs: Any) -> Any:
            starts.append(time.monotonic())
            return fetch(url, **kwargs)

        def store_arrivals(self: rounds.Poller) -> None:
            try:
                store(self)
            finally:
                storing.append(time.thread_time())  # that thread's CPU clock, since it began

        def body_queue(*args: Any, **kwargs: Any) -> spool.BodyQueue:
            queues.append(make_queue(*args, **kwargs))
            return queues[-1]

        self._swap(poller, "fetch", timed_fetch)
        self._swap(rounds.Poller, "_store_arrivals", store_arrivals)
        self._swap(rounds, "BodyQueue", body_queue)
        return self

    def _swap(self, owner: Any, name: str, value: Any) -> None:
        self._saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def __exit__(self, *exc: object) -> None:
        for owner, name, value in reversed(self._saved):
            setattr(owner, name, value)
        self.server_cpu = cpu(self.server_pid) - self.server_cpu

    def summary(self) -> str:
        """One line: when the fetches started, the storing thread, the spool, the server."""
        starts = sorted(moment - self.started for moment in self.starts)
        parts = []
        if starts:
            half = starts[len(starts) // 2]
            parts.append(f"fetches started: half by {half:.2f} s, the last at {starts[-1]:.2f} s")
        if self.storing_cpu:
            parts.append(f"storing thread CPU {self.storing_cpu[-1]:.2f} s")
        if self.queues:
            queue = self.queues[-1]
            parts.append(
                f"bodies spooled {queue.spool.count} (the spool file at most "
                f"{queue.spool.peak / 2**20:.1f} MiB; in memory at most "
                f"{queue.memory.peak / 2**20:.1f} MiB)"
            )
        parts.append(f"feed server CPU {self.server_cpu:.2f} s")
        return "; ".join(parts)
