"""The scheduled job of the watch: poll due feeds, post new items, announce pauses.

The job keeps one :class:`Watch` for the life of the process. Each tick hands the due feeds
that are not in flight to its poller and returns; each feed is stored as soon as it is parsed,
and the posting worker posts right after, so one slow feed delays nobody else's items. A
straggler (bounded by the fetch deadline) finishes on its own, after the tick that started it.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from bot.core.feature import Job
from bot.core.runtime import Runtime
from bot.watch.fetch import FetchLimits
from bot.watch.notices import notify_paused
from bot.watch.poller import PollReport, PollSettings, parser_pool
from bot.watch.posting import PostingSettings, post_pending, refresh_messages
from bot.watch.rounds import Poller
from bot.watch.sandbox import stop_sandboxes

logger = logging.getLogger(__name__)
POLL_JOB_ID = "poll_feeds"
POLL_EVERY_SECONDS = 60  # each feed has its own next_poll_at; this only looks for due ones
# How long a tick waits for the feeds it started and the posts they led to, at most: callers
# that run the job by hand (the shell's `:avancer`) see the result; a straggler is not awaited.
TICK_WAIT_SECONDS = 10.0


def poll_settings(runtime: Runtime) -> PollSettings:
    """Return the poll settings the configuration calls for."""
    return PollSettings(
        limits=FetchLimits(allow_private=runtime.config.allow_private_urls),
        interval=timedelta(minutes=runtime.config.poll_minutes),
    )


def posting_settings(runtime: Runtime) -> PostingSettings:
    """Return the posting settings (language, time zone) of the configuration."""
    return PostingSettings(lang=runtime.config.lang, tz=runtime.config.tz)


class PostingWorker:
    """Post pending items, refresh merged ones and announce pauses on one daemon thread.

    Asking while a round runs makes exactly one more round afterwards, so a burst of stored
    feeds costs a round or two, not one each. Rounds go through :func:`post_pending`, whose
    pace and crash-safety rules are unchanged.
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._changed = threading.Condition()
        self._asked = False
        self._running = False
        self._closed = False
        self._merged: list[int] = []
        self._thread = threading.Thread(target=self._work, name="watch-post", daemon=True)
        self._thread.start()

    def ask(self, merged: list[int] | None = None) -> None:
        """Ask for a posting round (and a refresh of ``merged`` items' messages)."""
        with self._changed:
            self._asked = True
            self._merged.extend(merged or ())
            self._changed.notify_all()

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._asked or self._closed)
                if not self._asked:
                    return
                self._asked, self._running = False, True
                merged, self._merged = self._merged, []
            try:
                self._round(merged)
            except Exception:
                logger.exception("posting round failed")
            finally:
                with self._changed:
                    self._running = False
                    self._changed.notify_all()

    def _round(self, merged: list[int]) -> None:
        """Post what is pending, then refresh merged items, then tell owners about pauses."""
        config, messenger = self.runtime.config, self.runtime.messenger
        settings = posting_settings(self.runtime)
        post_pending(config.db_path, messenger, self.runtime.now(), settings)
        if merged:
            refresh_messages(config.db_path, messenger, merged, settings)
        notify_paused(config.db_path, messenger, config.lang)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no round runs or is asked for; return False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not (self._asked or self._running), timeout)

    def close(self) -> None:
        """Finish the round asked for, then stop the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the closed worker to end."""
        self._thread.join(timeout)
        return not self._thread.is_alive()


class Watch:
    """The watch of one process: its poller (feeds in flight) and its posting worker."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.posting = PostingWorker(runtime)
        self.poller = Poller(
            runtime.config.db_path, poll_settings(runtime), parser_pool, self._stored
        )

    def _stored(self, report: PollReport) -> None:
        """Post a feed's new items (and refresh merged ones) as soon as it is stored."""
        if report.new_items or report.merged_items or report.paused:
            self.posting.ask(report.merged_items)

    def tick(self, wait: float = TICK_WAIT_SECONDS) -> PollReport:
        """Start the due feeds not in flight, ask for a posting round, wait ``wait`` s at most.

        The posting round runs even when no feed is due: it retries items a failed post left
        pending and posts items stored elsewhere (the shell's demo). Return the round's counts
        so far (complete when its feeds finished within ``wait``).
        """
        deadline = time.monotonic() + wait
        batch = self.poller.submit_due(self.runtime.now())
        self.posting.ask()
        batch.wait(max(0.0, deadline - time.monotonic()))
        self.posting.wait_idle(max(0.0, deadline - time.monotonic()))
        return batch.report

    def close(self, timeout: float = 0.0) -> bool:
        """Stop taking rounds; stragglers finish on their own; wait ``timeout`` s for the threads."""
        deadline = time.monotonic() + timeout
        polled = self.poller.close(timeout)
        self.posting.close()
        return self.posting.join(max(0.0, deadline - time.monotonic())) and polled


_watch: Watch | None = None
_watch_lock = threading.Lock()


def watch_for(runtime: Runtime) -> Watch:
    """Return the process's watch, made on first use (a new runtime gets a new one)."""
    global _watch
    with _watch_lock:
        if _watch is None or _watch.runtime is not runtime:
            if _watch is not None:
                _watch.close()
            _watch = Watch(runtime)
        return _watch


def close_watch(timeout: float = 0.0) -> bool:
    """Close the process's watch, if any (tests; a stopping process); True if its threads ended."""
    global _watch
    with _watch_lock:
        watch, _watch = _watch, None
    return watch.close(timeout) if watch is not None else True


def stop_watch(timeout: float) -> bool:
    """Close the watch (feeds in flight and posts get ``timeout`` s), then its parser processes.

    For a stopping process: the parser sandbox's workers are stopped too, since a signal's
    exit would skip the ``atexit`` hook that ends them.
    """
    deadline = time.monotonic() + timeout
    ended = close_watch(timeout)
    stop_sandboxes(max(0.5, deadline - time.monotonic()))
    return ended


def run_poll(runtime: Runtime) -> None:
    """Start polling the due feeds; new items are posted as each feed is stored."""
    watch_for(runtime).tick(TICK_WAIT_SECONDS)


JOBS = (Job(POLL_JOB_ID, run_poll, seconds=POLL_EVERY_SECONDS),)
