"""Tell whoever added a feed, once, that it was paused, why, and how to resume it."""

from __future__ import annotations

import logging

from bot.core.i18n import t
from bot.core.messenger import PERMANENT_CHANNEL_ERRORS, Messenger, MessengerError
from bot.core.mrkdwn import safe_text
from bot.core.plural import tn
from bot.watch.errors import PERMANENT_CODES, FetchError
from storage.db import connect, write
from storage.feed_state import feeds_to_notify, mark_notified
from storage.feeds import Feed, get_feed

logger = logging.getLogger(__name__)


def pause_reason(feed: Feed, lang: str = "fr") -> str:
    """Return why a feed is paused, in plain words."""
    code = feed.paused_reason or feed.last_error or "internal"
    if code in PERMANENT_CHANNEL_ERRORS:
        return t(f"watch.error.{code}", lang)
    reason = FetchError.from_stored(code).describe(lang)
    if code in PERMANENT_CODES or code == "gone" or feed.error_count <= 1:
        return reason
    return tn("watch.error.failures", lang, feed.error_count, reason=reason)


def pause_notice(feed: Feed, lang: str = "fr") -> str:
    """Return the notice for a paused feed."""
    key = (
        "watch.pause.channel"
        if feed.paused_reason in PERMANENT_CHANNEL_ERRORS
        else "watch.pause.feed"
    )
    return t(
        key,
        lang,
        title=safe_text(feed.name, 200),
        id=feed.id,
        reason=pause_reason(feed, lang),
        channel=feed.channel_id,
    )


def notify_paused(db_path: str, messenger: Messenger, lang: str = "fr") -> list[int]:
    """Send each new pause notice once (to the feed's adder, else its channel); return ids."""
    sent: list[int] = []
    with connect(db_path) as db:
        for feed_id in feeds_to_notify(db):
            feed = get_feed(db, feed_id)
            if feed is None:
                continue
            text = pause_notice(feed, lang)
            try:
                if feed.added_by:
                    messenger.direct_message(feed.added_by, text)
                elif feed.paused_reason not in PERMANENT_CHANNEL_ERRORS:
                    messenger.post(feed.channel_id, text)
                else:
                    logger.warning(
                        "feed %s paused (%s), nobody to tell", feed.id, feed.paused_reason
                    )
            except MessengerError as error:
                logger.warning("pause notice for feed %s not sent: %s", feed.id, error.code)
                continue
            with write(db):
                mark_notified(db, feed.id)
            sent.append(feed.id)
    return sent
