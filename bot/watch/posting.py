"""Posting rounds: every channel's pending items, channels in parallel; message refreshes.

The per-channel policy (pace, retries, reconciliation through message metadata, channel
errors) lives in :mod:`bot.watch.channel_poster`.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.core.messenger import Messenger, MessengerError, is_transient
from bot.items.render.message import build_item_message
from bot.watch.channel_poster import (
    GROUP_EVENT,
    ITEM_EVENT,
    ChannelPoster,
    PostingSettings,
    PostingStopped,
    PostReport,
)
from storage.db import connect
from storage.items import get_item, list_sources, pending_channels

__all__ = [
    "GROUP_EVENT",
    "ITEM_EVENT",
    "PostReport",
    "PostingSettings",
    "is_transient",
    "post_pending",
    "refresh_messages",
]
logger = logging.getLogger(__name__)
_ROUND_LOCK = threading.Lock()


def post_pending(
    db_path: str, messenger: Messenger, now: datetime, settings: PostingSettings | None = None
) -> PostReport:
    """Post every pending item, channels in parallel, each channel in order and paced.

    Rounds are serialised within the process (the scheduled job and a just-added feed's
    first items must not post the same item twice).
    """
    with _ROUND_LOCK:
        return _post_round(db_path, messenger, now, settings or PostingSettings())


def _post_round(
    db_path: str, messenger: Messenger, now: datetime, settings: PostingSettings
) -> PostReport:
    report = PostReport()
    with connect(db_path) as db:
        channels = pending_channels(db)
    if not channels:
        return report
    with ThreadPoolExecutor(max_workers=min(4, len(channels))) as pool:
        for channel in channels:
            pool.submit(_post_channel, db_path, messenger, channel, now, settings, report)
    return report


def _post_channel(
    db_path: str,
    messenger: Messenger,
    channel: str,
    now: datetime,
    settings: PostingSettings,
    report: PostReport,
) -> None:
    try:
        ChannelPoster(db_path, messenger, channel, now, settings, report).run()
    except PostingStopped as stop:
        report.stopped = str(stop)
    except Exception:
        logger.exception("posting to %s failed", channel)


def refresh_messages(
    db_path: str, messenger: Messenger, item_ids: list[int], settings: PostingSettings
) -> list[int]:
    """Re-render posted items that gained a source ("vu dans : A, B"); return those updated."""
    updated: list[int] = []
    with connect(db_path) as db:
        for item_id in dict.fromkeys(item_ids):
            item = get_item(db, item_id)
            if item is None or item.post_state != "posted" or not item.message_ts:
                continue
            text, blocks = build_item_message(
                item, list_sources(db, item.id), settings.lang, settings.tz
            )
            try:
                messenger.update(item.channel_id, item.message_ts, text, blocks)
            except MessengerError as error:
                logger.warning("could not update item %s: %s", item.id, error.code)
                continue
            updated.append(item.id)
    return updated
