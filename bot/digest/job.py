"""The ``weekly_digest`` job: post the digest in VEILLEUR_DIGEST_CHANNEL on Monday at 09:00.

Like the reminders, it is an interval tick that works out from the database what is due: the
week's digest is due from Monday 09:00 (VEILLEUR_TZ) until the end of that ISO week, so a bot
that was down on Monday morning sends it when it comes back, once. "Once" rests on the reminders
sent-log: the row ``(digest, <ISO year*100+week>, weekly, <that Monday 09:00>)`` is claimed under
``BEGIN IMMEDIATE`` before posting and marked sent after, so two processes (or a restart) can
never both post it. A transient Slack failure (429, 5xx, network) puts it back to pending with a
back-off; a post in flight at a crash is looked up in the channel by its message metadata before
being sent again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.feature import Job
from bot.core.messenger import PERMANENT_ERRORS, Messenger, MessengerError, post_joining
from bot.core.runtime import Runtime
from bot.core.visibility import visibility_of
from bot.digest.build import build_digest
from bot.digest.render import build_digest_message
from storage import reminders as sent_log
from storage.channels import known_channels
from storage.db import DatabaseBusy, connect
from storage.reminders import ReminderKey, SentLogRow

logger = logging.getLogger("veilleur.digest")

JOB_ID = "weekly_digest"
INTERVAL_SECONDS = 60
KIND = "digest"
EVENT_TYPE = "veilleur_digest"
METADATA_KEY = "digest_key"
SEND_AT = time(9, 0)
STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def week_key(now: datetime, zone: ZoneInfo) -> ReminderKey:
    """Return the sent-log key of the week containing ``now`` (due that Monday at 09:00)."""
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    due = datetime.combine(monday, SEND_AT, tzinfo=zone).astimezone(UTC)
    year, week, _ = monday.isocalendar()
    return ReminderKey(KIND, year * 100 + week, "weekly", due)


def _metadata(key: ReminderKey) -> dict:
    return {"event_type": EVENT_TYPE, "event_payload": {METADATA_KEY: key.as_text()}}


def _find_posted(messenger: Messenger, channel: str, row: SentLogRow) -> str | None:
    """Return the ts of this week's digest if the channel already shows it.

    The search starts at the week's due time, not at the latest claim: a retry re-claims the
    row, and the post that timed out on the first attempt is older than that.
    """
    since = row.key.due_at - timedelta(minutes=1)
    return messenger.find_message_by_metadata(
        channel, EVENT_TYPE, METADATA_KEY, row.key.as_text(), f"{since.timestamp():.6f}"
    )


def _reconcile(db, messenger: Messenger, channel: str, key: ReminderKey, now: datetime) -> None:
    """Settle this week's row if a crash left it in ``sending``: posted → sent, else resend."""
    for row in sent_log.list_stale_sending(db, now - STALE_AFTER, kinds=(KIND,)):
        if row.key != key:
            continue
        ts = _find_posted(messenger, channel, row)
        if ts is not None:
            sent_log.mark_sent(db, row.id, now, ts)
            logger.info("digest %s was posted before a crash: marked sent", key.as_text())
        else:
            sent_log.mark_retry(db, row.id, now, "in flight at a crash, not found: resend")


def _record_failure(db, row: SentLogRow, error: MessengerError, now: datetime) -> None:
    """Back off and retry (rate limit, 5xx, revoked token…); give up on a permanent refusal."""
    label = row.key.as_text()
    if error.code in PERMANENT_ERRORS or row.attempts + 1 >= MAX_ATTEMPTS:
        sent_log.mark_failed(db, row.id, error.code)
        logger.error("digest %s failed for good: %s", label, error.code)
        return
    backoff = timedelta(seconds=min(30 * 2**row.attempts, 900))
    wait = max(backoff, timedelta(seconds=error.retry_after or 0))
    sent_log.mark_retry(db, row.id, now + wait, error.code)
    logger.warning("digest %s: %s, retry in %s", label, error.code, wait)


def post_weekly_digest(
    db_path: str, messenger: Messenger, channel: str, *, now: datetime, lang: str, tz: str
) -> str | None:
    """Post this week's digest if it is due and nobody has; return the message ts if posted."""
    zone = ZoneInfo(tz)
    key = week_key(now, zone)
    if not channel or now < key.due_at:
        return None
    with connect(db_path) as db:
        _reconcile(db, messenger, channel, key, now)
        if not sent_log.list_rows(db, KIND):
            # The very first start: a fresh install has nothing to sum up. Recording the week
            # makes the next Monday's digest the first one.
            sent_log.record(db, key, "skipped", "first start", now)
            logger.info("digest %s skipped: first start", key.as_text())
            return None
        row = sent_log.claim(db, key, now)
        if row is None:
            return None  # sent, failed for good, owned by another process, or waiting to retry
        try:
            ts = _find_posted(messenger, channel, row) if row.attempts else None
            if ts is None:
                # posted in one channel: public content plus that channel's own
                sight = visibility_of(messenger).shared_channels(channel, known_channels(db))
                digest = build_digest(db, now, zone, sight=sight)
                if not digest.has_news():
                    sent_log.mark_skipped(db, row.id, "nothing to say")
                    logger.info("digest %s skipped: nothing to say", key.as_text())
                    return None
                text, blocks = build_digest_message(digest, lang, zone)
                ts = post_joining(messenger, channel, text, blocks, metadata=_metadata(key))
        except MessengerError as error:
            _record_failure(db, row, error, now)
            return None
        sent_log.mark_sent(db, row.id, now, ts)
    logger.info("digest %s posted in %s", key.as_text(), channel)
    return ts


def send_weekly_digest(runtime: Runtime) -> str | None:
    """Run one tick of the weekly digest job."""
    config = runtime.config
    try:
        return post_weekly_digest(
            config.db_path,
            runtime.messenger,
            config.digest_channel,
            now=runtime.now(),
            lang=config.lang,
            tz=config.tz,
        )
    except DatabaseBusy:
        logger.warning("database busy: the digest will be checked again at the next tick")
        return None


JOBS = (Job(JOB_ID, send_weekly_digest, seconds=INTERVAL_SECONDS),)
