"""Poll rounds: fetch the due feeds concurrently and store each one as soon as it is parsed.

Fetching is I/O-bound and runs on a bounded set of daemon threads; a slow or silent server holds
one thread until its own deadline and delays nothing else. One storing thread writes each parsed
feed in a short transaction (alone, or with the feeds parsed meanwhile, a savepoint each, so one
failing feed rolls back alone) and tells the caller (``on_stored``), so a healthy feed's
items never wait for the slowest feed of the round. A :class:`Poller` lives as long as the
watch: a feed still in flight when it comes due again is skipped, not fetched twice.
"""

from __future__ import annotations

import ctypes
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from bot.watch.guard import Resolutions
from bot.watch.poller import (
    FeedOutcome,
    PollReport,
    PollSettings,
    apply_outcome,
    fetch_and_parse,
    finish_parse,
)
from bot.watch.spool import BodyQueue
from storage.db import connect, write
from storage.feed_state import record_unchanged
from storage.feeds import Feed, due_feeds

logger = logging.getLogger(__name__)
DEFAULT_SETTINGS = PollSettings()


M_ARENA_MAX = -8  # glibc's mallopt() parameter number


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Ask glibc for at most ``arenas`` malloc arenas; True if it agreed (False elsewhere).

    glibc gives threads that allocate at once arenas of their own (up to 8 per core), and each
    keeps the memory its freed bodies held: 13 MB of the poller's peak with 64 fetch threads.
    Bodies are allocated and freed in bursts, so a few shared arenas cost no measurable time.
    """
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False


class DaemonThreads:
    """Run queued calls on at most ``size`` daemon threads, started as the work needs them.

    Daemon, not a ``ThreadPoolExecutor``: at exit Python joins an executor's threads after they
    have run everything still queued, so a thousand queued fetches would hold up a restart.
    """

    def __init__(self, size: int, name: str) -> None:
        self._size = max(1, size)
        self._name = name
        self._tasks: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, task: Callable[[], None]) -> None:
        """Queue one call; start a thread when none is idle and the limit allows."""
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self._name} threads are closed")
            self._tasks.put(task)
            if self._idle.acquire(blocking=False) or len(self._threads) >= self._size:
                return
            thread = threading.Thread(
                target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        while (task := self._tasks.get()) is not None:
            try:
                task()
            except Exception:
                logger.exception("%s task failed", self._name)
            self._idle.release()

    def close(self) -> None:
        """Let each thread finish what is queued, then stop."""
        with self._lock:
            self._closed = True
            for _ in self._threads:
                self._tasks.put(None)

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for closed threads to end; return True if all did."""
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self._threads)


@dataclass
class Round:
    """The feeds one call handed to the poller, and what became of them so far."""

    now: datetime
    feed_ids: frozenset[int]
    report: PollReport
    started: float = field(default_factory=time.monotonic)
    remaining: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    # Each host resolved and checked once for the round (its feeds connect to those addresses).
    resolutions: Resolutions = field(default_factory=Resolutions)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every feed of the round is stored; return False on timeout."""
        return self.done.wait(timeout)


Stored = Callable[[PollReport], None]
Arrival = tuple[Round, FeedOutcome]
STORE_BATCH = 32  # feeds stored in one transaction at most (only those already waiting)
QUIET_BATCH = 128  # the same for feeds with nothing to post (304s, failures)
# How long the storing thread waits for more arrivals when all it holds has nothing to post:
# a 304 recorded 50 ms later changes nothing for anyone, and a thousand of them otherwise
# cost a wake-up and a transaction each. A feed with items to store ends the wait at once.
QUIET_LINGER = 0.05


def is_quiet(outcome: FeedOutcome) -> bool:
    """Tell whether a feed's outcome has nothing to post (a 304 or a failure, no parse)."""
    return outcome.pending is None and outcome.parsed is None


def is_unchanged(outcome: FeedOutcome) -> bool:
    """Tell whether the outcome is a plain 304 (recorded in bulk with the others)."""
    return (
        is_quiet(outcome)
        and outcome.error is None
        and outcome.result is not None
        and outcome.result.not_modified
    )


class Poller:
    """Fetch feeds on daemon threads and store each one in its own transaction when parsed.

    Feeds handed in and not yet stored are "in flight": :meth:`submit_due` skips them, so a
    straggler is never fetched twice and never holds up the next round. ``on_stored`` is called
    on the storing thread after each feed's commit, with that feed's counts.
    """

    def __init__(
        self,
        db_path: str,
        settings: PollSettings = DEFAULT_SETTINGS,
        parser: Callable[[], Executor | None] = lambda: None,
        on_stored: Stored | None = None,
    ) -> None:
        self.db_path = db_path
        self.settings = settings
        self.parser = parser
        self.on_stored = on_stored
        limit_malloc_arenas()
        self._fetchers = DaemonThreads(settings.workers, "poll")
        self._queued = BodyQueue(settings.queued_bytes, settings.spooled_bytes)
        self._arrived: queue.SimpleQueue[Arrival | None] = queue.SimpleQueue()
        self._in_flight: set[int] = set()
        self._lock = threading.Condition()
        self._closed = False
        self._storer = threading.Thread(target=self._store_arrivals, name="poll-store", daemon=True)
        self._storer.start()

    def in_flight(self) -> set[int]:
        """Return the ids of the feeds being fetched, parsed or stored."""
        with self._lock:
            return set(self._in_flight)

    def submit_due(self, now: datetime) -> Round:
        """Start polling every due feed that is not in flight; return at once with its round."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the poller is closed")
            # Read under the lock: a feed stored meanwhile is either still in flight or no
            # longer due, never both gone from flight and read as due from a stale query.
            with connect(self.db_path) as db:
                due = due_feeds(db, now)
            skipped = [feed.id for feed in due if feed.id in self._in_flight]
            feeds = [feed for feed in due if feed.id not in self._in_flight]
            self._in_flight.update(feed.id for feed in feeds)
        if skipped:
            logger.info("feeds %s still in flight: not fetched again", skipped)
        batch = Round(now, frozenset(f.id for f in feeds), PollReport(), remaining=len(feeds))
        if not feeds:
            batch.done.set()
            return batch
        try:
            parser = self.parser()
        except BaseException:
            with self._lock:  # nothing was started: these feeds stay due for the next tick
                self._in_flight.difference_update(batch.feed_ids)
                self._lock.notify_all()
            raise
        for feed in feeds:
            self._fetchers.submit(lambda feed=feed: self._fetch(batch, feed, parser))
        return batch

    def _fetch(self, batch: Round, feed: Feed, parser: Executor | None) -> None:
        """Fetch one feed (on a fetch thread) and hand it to the storing thread once parsed."""
        outcome = fetch_and_parse(feed, self.settings, parser, self._queued, batch.resolutions)
        if outcome.pending is None:
            self._arrived.put((batch, outcome))
        else:  # runs on the pool's own thread: only queue, never block it
            outcome.pending.add_done_callback(lambda _: self._arrived.put((batch, outcome)))

    def _store_arrivals(self) -> None:
        """Store parsed feeds as they arrive, in arrival order (one writer: no contention)."""
        while (arrival := self._arrived.get()) is not None:
            arrivals, closing = self._waiting([arrival])
            try:
                self._store_together(arrivals)
            finally:
                for batch, outcome in arrivals:
                    self._finish(batch, outcome.feed.id)
            if closing:
                return

    def _waiting(self, arrivals: list[Arrival]) -> tuple[list[Arrival], bool]:
        """Add the feeds already waiting to be stored, up to a batch; tell if closing was asked.

        While everything held has nothing to post, wait up to :data:`QUIET_LINGER` for more,
        unless every feed in flight is already held (a round's end: nothing else can come).
        """
        quiet = all(is_quiet(outcome) for _, outcome in arrivals)
        until = time.monotonic() + QUIET_LINGER
        while len(arrivals) < (QUIET_BATCH if quiet else STORE_BATCH):
            more = len(self._in_flight) > len(arrivals)  # a set's length: read without the lock
            left = until - time.monotonic() if quiet and more else 0.0
            try:
                arrival = (
                    self._arrived.get(timeout=left) if left > 0 else self._arrived.get_nowait()
                )
            except queue.Empty:
                return arrivals, False
            if arrival is None:
                return arrivals, True
            arrivals.append(arrival)
            quiet = quiet and is_quiet(arrival[1])
        return arrivals, False

    def _store_together(self, arrivals: list[Arrival]) -> None:
        """Store the waiting feeds in one transaction, a savepoint each; one by one if it fails.

        Only what has already arrived is batched, so no feed with items waits for another; a
        commit costs a sync of the journal, and a thousand of them were a third of a round's
        storing. The plain 304s of the batch are recorded together, in two statements.
        """
        if len(arrivals) == 1:
            self._store(*arrivals[0])
            return
        started = time.monotonic()
        for _, outcome in arrivals:
            finish_parse(outcome)
        unchanged = [arrival for arrival in arrivals if is_unchanged(arrival[1])]
        try:
            with connect(self.db_path) as db, write(db):
                reports = self._record_unchanged(db, unchanged)
                for batch, outcome in arrivals:
                    if outcome.feed.id not in reports:
                        reports[outcome.feed.id] = self._apply(db, batch, outcome)
        except Exception:
            logger.exception("storing %d feeds together failed: storing each alone", len(arrivals))
            for batch, outcome in arrivals:
                self._store(batch, outcome)
            return
        share = (time.monotonic() - started) / len(arrivals)
        for batch, outcome in arrivals:
            one = reports[outcome.feed.id]
            one.store_seconds = share
            self._report(batch, outcome, one)

    def _record_unchanged(self, db: Database, unchanged: list[Arrival]) -> dict[int, PollReport]:
        """Record the batch's 304s in bulk; return each one's report, by feed id."""
        if not unchanged:
            return {}
        validators = {}
        for _, outcome in unchanged:
            result, feed = outcome.result, outcome.feed
            assert result is not None
            validators[feed.id] = (result.etag or None, result.last_modified or None)
        # One batch may hold feeds of rounds with different times (a round started meanwhile).
        by_now: dict[datetime, dict[int, tuple[str | None, str | None]]] = {}
        for batch, outcome in unchanged:
            by_now.setdefault(batch.now, {})[outcome.feed.id] = validators[outcome.feed.id]
        recorded: set[int] = set()
        with write(db):  # nested: a savepoint
            for now, group in by_now.items():
                recorded.update(record_unchanged(db, group, now, self.settings.interval))
        # A feed removed or paused meanwhile was left alone, as apply_outcome leaves it.
        return {
            outcome.feed.id: PollReport(polled=1, not_modified=int(outcome.feed.id in recorded))
            for _, outcome in unchanged
        }

    def _apply(self, db: Database, batch: Round, outcome: FeedOutcome) -> PollReport:
        """Store one feed inside the batch's transaction; a failure rolls back that feed alone."""
        one = PollReport(polled=1)
        try:
            with write(db):  # nested: a savepoint
                apply_outcome(db, outcome, batch.now, self.settings, one)
        except Exception:
            if not db.conn.in_transaction:
                raise  # the whole transaction is gone: the batch is stored again feed by feed
            # Rolled back: the feed stays due and is polled again at the next round.
            logger.exception("storing feed %s failed", outcome.feed.id)
            return PollReport(polled=1, failed=1)
        return one

    def _store(self, batch: Round, outcome: FeedOutcome) -> None:
        """Store one feed's outcome in its own transaction, then tell ``on_stored``."""
        one = PollReport(polled=1)
        started = time.monotonic()
        try:
            finish_parse(outcome)
            with connect(self.db_path) as db, write(db):
                apply_outcome(db, outcome, batch.now, self.settings, one)
        except Exception:
            # Rolled back: the feed stays due and is polled again at the next round.
            logger.exception("storing feed %s failed", outcome.feed.id)
            one = PollReport(polled=1, failed=1)
        one.store_seconds = time.monotonic() - started
        self._report(batch, outcome, one)

    def _report(self, batch: Round, outcome: FeedOutcome, one: PollReport) -> None:
        """Count one stored feed in its round and tell ``on_stored``."""
        batch.report.add(one)
        if self.on_stored is not None:
            try:
                self.on_stored(one)
            except Exception:
                logger.exception("after storing feed %s", outcome.feed.id)

    def _finish(self, batch: Round, feed_id: int) -> None:
        """Take the feed out of flight; close the round after its last feed."""
        with self._lock:
            self._in_flight.discard(feed_id)
            batch.remaining -= 1
            last = batch.remaining == 0
            self._lock.notify_all()
        if last:
            report = batch.report
            report.fetch_seconds = time.monotonic() - batch.started - report.store_seconds
            logger.info(
                "polled %d feeds in %.1f s: %d new items, %d unchanged, %d failed",
                report.polled,
                time.monotonic() - batch.started,
                len(report.new_items),
                report.not_modified,
                report.failed,
            )
            batch.done.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no feed is in flight; return False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._in_flight, timeout)

    def close(self, timeout: float = 0.0) -> bool:
        """Take no new round; let feeds in flight finish and be stored, then stop the threads.

        Wait up to ``timeout`` seconds for them; return True if every thread has ended.
        """
        with self._lock:
            self._closed = True
        deadline = time.monotonic() + timeout
        self._fetchers.close()
        ended = self._fetchers.join(timeout)
        if ended:
            self.wait_idle(max(0.0, deadline - time.monotonic()))  # parses still queued
            self._arrived.put(None)
            self._storer.join(max(0.0, deadline - time.monotonic()))
        else:
            threading.Thread(target=self._close_later, name="poll-close", daemon=True).start()
        return ended and not self._storer.is_alive()

    def _close_later(self) -> None:
        """Stop the storing thread once the stragglers (bounded by their deadline) are stored."""
        self.wait_idle()
        self._arrived.put(None)


def poll_feeds(
    db_path: str,
    now: datetime,
    settings: PollSettings = DEFAULT_SETTINGS,
    parser: Executor | None = None,
    on_stored: Stored | None = None,
) -> PollReport:
    """Poll every due feed once, storing each as soon as it is parsed; return the whole round.

    For callers that want a finished round (the command line, tests, the benchmark); the
    scheduled job keeps one :class:`Poller` and never waits for stragglers.
    """
    poller = Poller(db_path, settings, lambda: parser, on_stored)
    try:
        batch = poller.submit_due(now)
        batch.wait()
        return batch.report
    finally:
        poller.close(timeout=5)
