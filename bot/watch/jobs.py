"""The scheduled job of the watch: poll due feeds, announce pauses, post new items."""

from __future__ import annotations

import logging

from bot.core.feature import Job
from bot.core.runtime import Runtime
from bot.watch.fetch import FetchLimits
from bot.watch.notices import notify_paused
from bot.watch.poller import PollSettings, parser_pool, poll_feeds
from bot.watch.posting import PostingSettings, post_pending, refresh_messages

logger = logging.getLogger(__name__)
POLL_JOB_ID = "poll_feeds"
POLL_EVERY_SECONDS = 60  # each feed has its own next_poll_at; this only looks for due ones


def poll_settings(runtime: Runtime) -> PollSettings:
    """Return the poll settings the configuration calls for."""
    return PollSettings(limits=FetchLimits(allow_private=runtime.config.allow_private_urls))


def posting_settings(runtime: Runtime) -> PostingSettings:
    """Return the posting settings (language, time zone) of the configuration."""
    return PostingSettings(lang=runtime.config.lang, tz=runtime.config.tz)


def run_poll(runtime: Runtime) -> None:
    """Poll due feeds, post what is pending, then tell owners about new pauses."""
    now = runtime.now()
    report = poll_feeds(runtime.config.db_path, now, poll_settings(runtime), parser_pool())
    if report.polled:
        logger.info(
            "polled %d feeds: %d new items, %d unchanged, %d failed",
            report.polled,
            len(report.new_items),
            report.not_modified,
            report.failed,
        )
    settings = posting_settings(runtime)
    post_pending(runtime.config.db_path, runtime.messenger, now, settings)
    if report.merged_items:
        refresh_messages(runtime.config.db_path, runtime.messenger, report.merged_items, settings)
    notify_paused(runtime.config.db_path, runtime.messenger, runtime.config.lang)


JOBS = (Job(POLL_JOB_ID, run_poll, seconds=POLL_EVERY_SECONDS),)
