"""Post one channel's pending items: stored first, marked posted after, reconciled after a crash.

Policy (D4, O4): before a post, ``post_attempts`` is raised and committed; the post carries
message metadata ``veilleur_item`` with the item id; ``message_ts`` is committed after. An item
found with attempts but no ts (a crash, a reset connection, a timeout) is looked up in the
channel history by its metadata before anything is re-sent, so it is never posted twice at
the top level. (Items in a grouped message's thread are not in the channel history: there, at
most one duplicate is possible.) Slack is paced at ``spacing`` seconds per channel, 429 waits
for Retry-After, 5xx and network errors get bounded retries, and the channel errors of
:data:`PERMANENT_CHANNEL_ERRORS` pause the channel's feeds with a notice instead of looping.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.messenger import (
    AUTH_ERRORS,
    PERMANENT_CHANNEL_ERRORS,
    Messenger,
    MessengerError,
    is_transient,
)
from bot.items.render.message import build_group_message, build_item_message
from storage.db import connect, write
from storage.feed_state import pause_feeds
from storage.feeds import list_feeds
from storage.item_messages import mark_sources_shown
from storage.items import (
    Item,
    list_sources,
    mark_attempt,
    mark_failed,
    mark_posted,
    pending_items,
    set_thread_parent,
)

logger = logging.getLogger(__name__)
ITEM_EVENT = "veilleur_item"
GROUP_EVENT = "veilleur_group"
# Failures after which Slack may or may not have stored the message.
AMBIGUOUS = frozenset({"connection_error", "timeout"})


@dataclass(frozen=True)
class PostingSettings:
    """Language, pace and retry budget of posting."""

    lang: str = "fr"
    tz: str = "Europe/Paris"
    spacing: float = 1.0
    retries: int = 4
    retry_base: float = 1.0
    max_retry_after: float = 60.0
    group_threshold: int = 5


@dataclass
class PostReport:
    """What a posting round did."""

    posted: list[int] = field(default_factory=list)
    reconciled: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    blocked_channels: list[str] = field(default_factory=list)
    stopped: str | None = None
    refreshed: list[int] = field(default_factory=list)  # messages that gained a « vu dans »


class ChannelBlocked(Exception):
    """Slack refuses to let the bot post in this channel (not_in_channel…)."""


class PostingStopped(Exception):
    """The token no longer works: stop posting everywhere."""


class ChannelPoster:
    """Post one channel's pending items, oldest first, at Slack's pace."""

    def __init__(
        self,
        db_path: str,
        messenger: Messenger,
        channel: str,
        now: datetime,
        settings: PostingSettings,
        report: PostReport,
    ) -> None:
        self.now = now
        self.db_path = db_path
        self.messenger = messenger
        self.channel = channel
        self.settings = settings
        self.report = report
        self.last_post = 0.0
        self.joined = False

    def run(self) -> None:
        """Post the channel's pending items unless the channel is blocked."""
        with connect(self.db_path) as db:
            if channel_blocked(db, self.channel):
                return
            items = pending_items(db, self.channel)
            try:
                items = self.group(db, items)
                for item in items:
                    if not self.post_item(db, item):
                        return
            except ChannelBlocked as blocked:
                with write(db):
                    ids = [feed.id for feed in list_feeds(db, self.channel)]
                    pause_feeds(db, ids, str(blocked))
                self.report.blocked_channels.append(self.channel)

    def group(self, db, items: list[Item]) -> list[Item]:
        """Post one grouped message when many fresh items wait; return items with their parent."""
        fresh = [item for item in items if item.thread_parent_ts is None]
        if len(fresh) <= self.settings.group_threshold:
            return items
        key = str(fresh[0].id)
        ts = self.lookup(GROUP_EVENT, "first_item", key)
        if ts is None:
            text, blocks = build_group_message(fresh, self.settings.lang)
            metadata = {"event_type": GROUP_EVENT, "event_payload": {"first_item": key}}
            try:
                ts = self.deliver(text, blocks, metadata, None, lookup=None)
            except ContentRefused:
                logger.warning("Slack refused the grouped message in %s", self.channel)
                ts = None
            if ts is None:
                return items
        with write(db):
            set_thread_parent(db, [item.id for item in fresh], ts)
        return pending_items(db, self.channel)

    def post_item(self, db, item: Item) -> bool:
        """Post one item; return False when the channel should wait for the next round."""
        if item.post_attempts:
            ts = self.lookup(ITEM_EVENT, "item_id", str(item.id))
            if ts:
                with write(db):
                    mark_posted(db, item.id, ts)
                self.report.reconciled.append(item.id)
                return True
        sources = list_sources(db, item.id)
        text, blocks = build_item_message(item, sources, self.settings.lang, self.settings.tz)
        metadata = {"event_type": ITEM_EVENT, "event_payload": {"item_id": str(item.id)}}

        def before_send() -> None:
            with write(db):
                mark_attempt(db, item.id)

        def lookup() -> str | None:
            return self.lookup(ITEM_EVENT, "item_id", str(item.id))

        try:
            ts = self.deliver(text, blocks, metadata, item.thread_parent_ts, lookup, before_send)
        except ContentRefused as refused:
            logger.warning("Slack refused item %s: %s", item.id, refused)
            with write(db):
                mark_failed(db, item.id, str(refused), self.now)
            self.report.failed.append(item.id)
            return True
        if ts is None:
            return False
        with write(db):
            mark_posted(db, item.id, ts)
            # A source stored since the render makes the message stale: the round refreshes it.
            mark_sources_shown(db, item.id, len(sources))
        self.report.posted.append(item.id)
        return True

    def deliver(
        self,
        text: str,
        blocks: list[dict],
        metadata: dict,
        thread_ts: str | None,
        lookup: Callable[[], str | None] | None,
        before_send: Callable[[], None] | None = None,
    ) -> str | None:
        """Send one message with pacing and retries; None means "try again next round".

        After an ambiguous failure (the connection dropped or timed out: Slack may have the
        message) nothing is re-sent in this round: the message is looked up by its metadata,
        and if it is not there yet the next round looks again before posting (no blind resend).
        """
        for attempt in range(self.settings.retries + 1):
            self.pace()
            if before_send:
                before_send()
            try:
                ts = self.messenger.post(
                    self.channel, text, blocks, thread_ts=thread_ts, metadata=metadata
                )
            except MessengerError as error:
                if error.code in AMBIGUOUS:
                    return lookup() if lookup is not None else None
                if not self.recover(error, attempt):
                    return None
                continue
            self.last_post = time.monotonic()
            return ts
        return None

    def recover(self, error: MessengerError, attempt: int) -> bool:
        """Handle a failed post: wait and return True to retry, or raise / return False."""
        code = error.code
        if code in AUTH_ERRORS:
            raise PostingStopped(code)
        if code == "not_in_channel" and not self.joined:
            self.joined = True
            try:
                self.messenger.join(self.channel)
                return True
            except MessengerError:
                raise ChannelBlocked(code) from error
        if code in PERMANENT_CHANNEL_ERRORS:
            raise ChannelBlocked(code)
        if not is_transient(code):
            raise ContentRefused(code)
        if attempt >= self.settings.retries:
            logger.warning("posting to %s still fails (%s): next round", self.channel, code)
            return False
        if code == "ratelimited":
            delay = min(error.retry_after or 1.0, self.settings.max_retry_after)
        else:
            delay = self.settings.retry_base * 2**attempt
        time.sleep(delay)
        return True

    def lookup(self, event_type: str, key: str, value: str) -> str | None:
        """Find an earlier message of ours carrying this metadata (None if the lookup fails).

        No ``oldest`` bound: item times follow the bot's clock, which the shell can move, not
        Slack's; the latest page of history is where a just-attempted post is.
        """
        try:
            return self.messenger.find_message_by_metadata(self.channel, event_type, key, value)
        except MessengerError as error:
            logger.warning("history lookup in %s failed: %s", self.channel, error.code)
            return None

    def pace(self) -> None:
        """Keep at least ``spacing`` seconds between two posts to this channel."""
        wait = self.last_post + self.settings.spacing - time.monotonic()
        if wait > 0:
            time.sleep(wait)


class ContentRefused(Exception):
    """Slack refused this message itself (msg_too_long, invalid_blocks…): do not retry."""


def channel_blocked(db, channel: str) -> bool:
    """Tell whether the channel's feeds are paused because the bot cannot post there."""
    return any(
        feed.paused and feed.paused_reason in PERMANENT_CHANNEL_ERRORS
        for feed in list_feeds(db, channel)
    )
