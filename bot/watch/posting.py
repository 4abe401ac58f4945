"""Posting rounds: every channel's pending items, channels in parallel; message refreshes.

The per-channel policy (pace, retries, reconciliation through message metadata, channel
errors) lives in :mod:`bot.watch.channel_poster`.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.core.messenger import AUTH_ERRORS, Messenger, MessengerError, is_transient
from bot.items.sync import build_item_update
from bot.watch.channel_poster import (
    GROUP_EVENT,
    ITEM_EVENT,
    ChannelPoster,
    PostingSettings,
    PostingStopped,
    PostReport,
)
from storage.db import connect, write
from storage.item_messages import mark_sources_shown, stale_messages
from storage.items import list_sources, pending_channels

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
    if channels:
        with ThreadPoolExecutor(max_workers=min(4, len(channels))) as pool:
            for channel in channels:
                pool.submit(_post_channel, db_path, messenger, channel, now, settings, report)
    # Whatever path stored a new source (a poll, `/veille flux ajouter`, a crash before the
    # refresh), the message that does not show it yet is brought up to date now.
    if report.stopped is None:
        report.refreshed = refresh_messages(db_path, messenger, None, settings)
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
    db_path: str, messenger: Messenger, item_ids: list[int] | None, settings: PostingSettings
) -> list[int]:
    """Re-render posted items that gained a source ("vu dans : A, B"); return those updated.

    Only messages showing fewer sources than their item has are updated (of ``item_ids``, or
    all when None), so a refresh asked twice costs one ``chat.update``. A message Slack
    refuses for good (deleted, archived channel) is not tried again; a transient failure is,
    at the next round.
    """
    updated: list[int] = []
    with connect(db_path) as db:
        stale = stale_messages(db, None if item_ids is None else list(dict.fromkeys(item_ids)))
        for item_id in stale:
            if _refresh_one(db, messenger, item_id, settings):
                updated.append(item_id)
    return updated


def _refresh_one(db, messenger: Messenger, item_id: int, settings: PostingSettings) -> bool:
    """Update one item's message (sources, state, buttons); False if Slack did not take it.

    What the message shows is recorded unless the failure is worth a retry next round.
    """
    shown = len(
        list_sources(db, item_id)
    )  # counted first: a source landing now means one more refresh
    update = build_item_update(db, item_id, settings.lang, settings.tz)
    if update is None:
        return False
    channel, ts, text, blocks = update
    try:
        messenger.update(channel, ts, text, blocks)
        updated = True
    except MessengerError as error:
        logger.warning("could not update item %s: %s", item_id, error.code)
        if error.is_transient or error.code in AUTH_ERRORS:
            return False
        updated = False
    with write(db):
        mark_sources_shown(db, item_id, shown)
    return updated
