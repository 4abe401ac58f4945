"""One feed's poll: fetch it conditionally, parse it in the sandbox, store what it gave.

Parsing is CPU-bound: feedparser in threads would hold the GIL (and starve the threads
answering Slack), so it runs in the parser sandbox's processes. A crash while handling one feed
becomes that feed's error and never stops the others. Rounds over many feeds, which never wait
for a straggler, are in :mod:`bot.watch.rounds`.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.watch.dedup import store_entries
from bot.watch.errors import FetchError
from bot.watch.fetch import FetchLimits, FetchResult, fetch
from bot.watch.guard import Resolutions
from bot.watch.parse import ParsedFeed, is_html_page, parse_feed
from bot.watch.sandbox import ParserSandbox
from bot.watch.spool import BodyQueue
from storage.feed_state import record_failure, record_success
from storage.feeds import MAX_FAILURES, POLL_INTERVAL, Feed, get_feed

logger = logging.getLogger(__name__)
MIB = 1024 * 1024
_pool_lock = threading.Lock()
_pool: ParserSandbox | None = None


@dataclass(frozen=True)
class PollSettings:
    """Limits of one fetch, worker count and scheduling of the next polls."""

    limits: FetchLimits = field(default_factory=FetchLimits)
    # Fetch threads: I/O-bound, and a slow or silent feed holds one until its deadline. Enough
    # that every feed of a 1,000-feed round has started before the silent ones' timeouts matter.
    workers: int = 128
    interval: timedelta = POLL_INTERVAL
    max_failures: int = MAX_FAILURES
    # Bytes of bodies fetched and waiting for a parser process, at most: in the bot's memory,
    # then in one spool file (``bot.watch.spool``). In bytes, not bodies: most feeds are a
    # few KB. A fetch thread waits here only when both are full.
    queued_bytes: int = 8 * MIB
    spooled_bytes: int = 256 * MIB


@dataclass
class FeedOutcome:
    """What fetching and parsing one feed gave."""

    feed: Feed
    result: FetchResult | None = None
    parsed: ParsedFeed | None = None
    error: FetchError | None = None
    pending: Future | None = None


@dataclass
class PollReport:
    """Counts of one poll round (or of one feed's outcome, handed to ``on_stored``).

    ``fetch_seconds`` runs from the start of the round to the last feed parsed; ``store_seconds``
    sums the feeds' own transactions.
    """

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: list[int] = field(default_factory=list)
    merged_items: list[int] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)
    fetch_seconds: float = 0.0
    store_seconds: float = 0.0

    def add(self, other: PollReport) -> None:
        """Count one more feed's outcome in this round's report."""
        self.polled += other.polled
        self.not_modified += other.not_modified
        self.failed += other.failed
        self.new_items.extend(other.new_items)
        self.merged_items.extend(other.merged_items)
        self.paused.extend(other.paused)
        self.store_seconds += other.store_seconds


def parser_pool() -> ParserSandbox:
    """Return the shared parsing sandbox (limited worker processes), recreating it after shutdown."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.closed:
            _pool = ParserSandbox()
        return _pool


def parse_elsewhere(parser: Executor | None, body: bytes, url: str, ctype: str) -> ParsedFeed:
    """Parse in the given executor (a process pool), or here when none is given."""
    if parser is None:
        return parse_feed(body, url, ctype)
    try:
        return parser.submit(parse_feed, body, url, ctype).result()
    except BrokenProcessPool as error:
        raise FetchError("internal") from error


def fetch_and_parse(
    feed: Feed,
    settings: PollSettings,
    parser: Executor | None,
    queued: BodyQueue,
    resolutions: Resolutions | None = None,
) -> FeedOutcome:
    """Fetch one feed conditionally and hand what changed to the parser; never raise.

    With a process pool the fetch thread does not wait for the parse: it queues the body and
    moves on to the next feed, so a slow parse queue never delays the next fetches (and the
    silent servers' timeouts start early). ``queued`` holds the bodies waiting to be parsed;
    ``resolutions`` are the round's checked host addresses.
    """
    try:
        result = fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            limits=settings.limits,
            resolutions=resolutions,
        )
        if result.not_modified:
            return FeedOutcome(feed, result)
        if is_html_page(result.body):
            raise FetchError("not_a_feed")  # as the parser would say, without waking it
        # Keep only what the store needs: the body is parsed, then dropped.
        light = dataclasses.replace(result, body=b"")
        if parser is None:
            return FeedOutcome(
                feed, light, parse_feed(result.body, result.url, result.content_type)
            )
        body, done = queued.hold(result.body)
        del result  # a spooled body's bytes are not kept in memory meanwhile
        try:
            future = parser.submit(parse_feed, body, light.url, light.content_type)
        except BaseException:
            done()  # a broken pool must not eat the budget of queued bodies
            raise
        future.add_done_callback(lambda _: done())
        return FeedOutcome(feed, light, pending=future)
    except FetchError as error:
        return FeedOutcome(feed, error=error)
    except Exception:
        logger.exception("feed %s failed unexpectedly", feed.id)
        return FeedOutcome(feed, error=FetchError("internal"))


def finish_parse(outcome: FeedOutcome) -> FeedOutcome:
    """Wait for a queued parse and put its result (or error) on the outcome."""
    if outcome.pending is None:
        return outcome
    try:
        outcome.parsed = outcome.pending.result()
    except FetchError as error:
        outcome.error = error
    except BrokenProcessPool:
        outcome.error = FetchError("internal")
    except Exception:
        logger.exception("parsing feed %s failed unexpectedly", outcome.feed.id)
        outcome.error = FetchError("internal")
    outcome.pending = None
    return outcome


def apply_outcome(
    db: Database, outcome: FeedOutcome, now: datetime, settings: PollSettings, report: PollReport
) -> None:
    """Record one feed's outcome and store its new entries (inside that feed's transaction)."""
    feed = get_feed(db, outcome.feed.id)
    if feed is None or feed.paused:
        return  # removed or paused while it was being fetched
    if outcome.error is not None:
        report.failed += 1
        error = outcome.error
        if record_failure(
            db,
            feed.id,
            now,
            code=error.stored,
            retry_after=error.retry_after,
            permanent=error.permanent,
            interval=settings.interval,
            max_failures=settings.max_failures,
        ):
            report.paused.append(feed.id)
        return
    result = outcome.result
    assert result is not None
    if outcome.parsed is None:
        report.not_modified += 1
        record_success(
            db,
            feed.id,
            now,
            etag=result.etag or feed.etag,
            last_modified=result.last_modified or feed.last_modified,
            interval=settings.interval,
        )
        return
    stored = store_entries(db, feed, outcome.parsed.entries, now, seed=feed.last_success_at is None)
    report.new_items.extend(stored.new_items)
    report.merged_items.extend(stored.merged_items)
    record_success(
        db,
        feed.id,
        now,
        etag=result.etag,
        last_modified=result.last_modified,
        title=feed.title or outcome.parsed.title,
        entry_count=len(outcome.parsed.entries),
        interval=settings.interval,
    )
