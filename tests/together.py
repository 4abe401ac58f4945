"""Start the same work on several threads at one instant, to race two workers in a test."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_together(work: Callable[[], object], workers: int = 2, timeout: float = 20) -> None:
    """Run ``work`` on ``workers`` threads released together by a barrier; wait for them."""
    barrier = threading.Barrier(workers)

    def worker() -> None:
        barrier.wait()
        work()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
