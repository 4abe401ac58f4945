"""Deadline reminders: J-7 and J-1 at 09:00 (``VEILLEUR_TZ``), exactly once each, on the sent-log.

Who: the item's owner by direct message, or its channel when nobody has taken it. What is due
is worked out from the items and the sent-log (``storage/reminders.py``, kind ``deadline``), never
from scheduler state, so a restart sends nothing twice and misses nothing still useful:
- the key holds the due time, so a moved deadline gets new keys, hence new reminders, and the
  old ones never match again;
- a reminder whose time had passed when the deadline was set is not due (the person just saw it);
- after downtime only the latest overdue one is sent, the earlier ones recorded as skipped;
- nothing for done or dismissed items, nor once the deadline day is over.
Each reminder is claimed (INSERT under ``BEGIN IMMEDIATE``) before the Slack call and confirmed
after it; a transient failure retries with a back-off, a permanent one marks it failed. A row
left in ``sending`` by a crash is looked up in the channel history (channel posts carry
metadata) or resent (a DM has no look-up: at most one duplicate, logged).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.calls.render import current_deadline
from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.messenger import PERMANENT_ERRORS, Messenger, MessengerError
from bot.core.mrkdwn import safe_text

# the same sent-log and the same message metadata as session reminders: one delivery contract
from bot.meetings.delivery import EVENT_TYPE, MAX_ATTEMPTS, METADATA_KEY, STALE_AFTER, TickReport
from storage import calls as call_store
from storage import claims
from storage import reminders as sent_log
from storage.db import DatabaseBusy, connect
from storage.items import Item
from storage.reminders import ReminderKey

logger = logging.getLogger("veilleur.reminders")

KIND = "deadline"
KINDS = (KIND,)
OFFSETS = {"7d": 7, "1d": 1}
HOUR = time(9, 0)


def deadline_keys(item: Item, zone: ZoneInfo) -> list[ReminderKey]:
    """Return the reminder keys of an item's deadline: 09:00 seven days and one day before."""
    day = current_deadline(item)
    if day is None:
        return []
    keys = []
    for offset_key, days in OFFSETS.items():
        due_at = datetime.combine(day - timedelta(days=days), HOUR, tzinfo=zone).astimezone(UTC)
        keys.append(ReminderKey(KIND, item.id, offset_key, due_at))
    return keys


def still_useful(item: Item | None, now: datetime, zone: ZoneInfo) -> bool:
    """Tell whether an item's deadline may still be reminded at ``now``."""
    if item is None or item.status not in ("open", "claimed"):
        return False
    day = current_deadline(item)
    return day is not None and now.astimezone(zone).date() <= day


def due_keys(
    item: Item, now: datetime, zone: ZoneInfo, known: set[ReminderKey]
) -> tuple[ReminderKey | None, list[ReminderKey]]:
    """Return (the reminder to send now, those to record as skipped) for one item."""
    if not still_useful(item, now, zone):
        return None, []
    set_at = datetime.fromisoformat(item.deadline_set_at or item.first_seen_at)
    overdue = sorted(
        (key for key in deadline_keys(item, zone) if set_at < key.due_at <= now),
        key=lambda key: key.due_at,
    )
    overdue = [key for key in overdue if key not in known]
    if not overdue:
        return None, []
    return overdue[-1], overdue[:-1]


def reminder_text(item: Item, now: datetime, zone: ZoneInfo, lang: str) -> str:
    """Return the reminder, counting the days actually left (a late one must not say 7)."""
    day = current_deadline(item) or now.astimezone(zone).date()
    left = (day - now.astimezone(zone).date()).days
    key = (
        "calls.reminder.0d"
        if left <= 0
        else "calls.reminder.1d"
        if left == 1
        else "calls.reminder.days"
    )
    title = safe_text(item.title or item.link or str(item.id), 200)
    return t(key, lang, title=title, id=item.id, days=left, date=format_date(day, lang))


def _deliver(messenger: Messenger, item: Item, key: ReminderKey, now, zone, lang) -> str | None:
    """Send one reminder to the owner by DM, else to the item's channel; return the ts."""
    text = reminder_text(item, now, zone, lang)
    if item.owner:
        return messenger.direct_message(item.owner, text)
    metadata = {"event_type": EVENT_TYPE, "event_payload": {METADATA_KEY: key.as_text()}}
    return messenger.post(item.channel_id, text, None, metadata=metadata)


def _attempt(db, messenger, item: Item, key: ReminderKey, now, zone, lang, report) -> None:
    """Claim, send and confirm one reminder; on failure schedule a retry or give up."""
    row = sent_log.claim(db, key, now)
    if row is None:
        return  # another process owns it, or it is settled
    try:
        ts = _already_posted(messenger, row, item) if row.attempts else None
        if ts is None:
            ts = _deliver(messenger, item, key, now, zone, lang)
    except MessengerError as error:
        _record_failure(db, row, error, now, report)
        return
    sent_log.mark_sent(db, row.id, now, ts)
    report.sent.append(key.as_text())
    logger.info("deadline reminder %s sent", key.as_text())


def _already_posted(messenger: Messenger, row: sent_log.SentLogRow, item: Item) -> str | None:
    """Look a channel reminder up in the channel history (a DM has no such look-up)."""
    if item.owner or row.claimed_at is None:
        return None
    oldest = f"{(row.claimed_at - timedelta(minutes=1)).timestamp():.6f}"
    return messenger.find_message_by_metadata(
        item.channel_id, EVENT_TYPE, METADATA_KEY, row.key.as_text(), oldest
    )


def _record_failure(db, row, error: MessengerError, now: datetime, report: TickReport) -> None:
    """Put the reminder back to pending with a back-off, or mark it failed."""
    label = row.key.as_text()
    if error.code in PERMANENT_ERRORS or row.attempts + 1 >= MAX_ATTEMPTS:
        sent_log.mark_failed(db, row.id, error.code)
        report.failed.append(label)
        logger.error("deadline reminder %s failed for good: %s", label, error.code)
        return
    wait = max(
        timedelta(seconds=min(30 * 2**row.attempts, 900)), timedelta(seconds=error.retry_after or 0)
    )
    sent_log.mark_retry(db, row.id, now + wait, error.code)
    report.retried.append(label)
    logger.warning("deadline reminder %s: %s, retry in %s", label, error.code, wait)


def _subject(db, key: ReminderKey, now: datetime, zone: ZoneInfo) -> Item | None:
    """Return the item of a retried reminder if that reminder is still its own and useful."""
    item = claims.get_item(db, key.ref_id)
    if not still_useful(item, now, zone) or key not in deadline_keys(item, zone):
        return None
    return item


def _settle_leftovers(db, messenger, now, zone, lang, report: TickReport) -> None:
    """Reconcile rows a crash left in ``sending``, then resend those whose retry time came."""
    for row in sent_log.list_stale_sending(db, now - STALE_AFTER, KINDS):
        item = _subject(db, row.key, now, zone)
        if item is None:
            sent_log.mark_skipped(db, row.id, "no longer due after a crash in flight")
            report.skipped.append(row.key.as_text())
            continue
        try:
            ts = _already_posted(messenger, row, item)
        except MessengerError as error:
            logger.warning(
                "reminder %s: history look-up failed (%s)", row.key.as_text(), error.code
            )
            continue
        if ts is not None:
            sent_log.mark_sent(db, row.id, now, ts)
            report.reconciled.append(row.key.as_text())
        else:
            sent_log.mark_retry(db, row.id, now, "in flight at a crash, not found: resend")
    for row in sent_log.list_retryable(db, now, KINDS):
        item = _subject(db, row.key, now, zone)
        if item is None:
            sent_log.mark_skipped(db, row.id, "no longer due")
            report.skipped.append(row.key.as_text())
            continue
        _attempt(db, messenger, item, row.key, now, zone, lang, report)


def send_due_deadline_reminders(
    db_path: str | Path, messenger: Messenger, *, now: datetime, lang: str = "fr",
    tz: str | ZoneInfo = "Europe/Paris",
) -> TickReport:  # fmt: skip
    """Run one tick: settle leftovers, then send or skip whatever deadline reminder is due."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    report = TickReport()
    try:
        with connect(db_path) as db:
            _settle_leftovers(db, messenger, now, zone, lang, report)
            today: date = now.astimezone(zone).date()
            for item in call_store.list_deadlines(db, today, today + timedelta(days=8)):
                known = {k for k in deadline_keys(item, zone) if sent_log.get(db, k) is not None}
                send, skip = due_keys(item, now, zone, known)
                for key in skip:
                    if sent_log.record(db, key, "skipped", "superseded by a later reminder", now):
                        report.skipped.append(key.as_text())
                if send is not None:
                    _attempt(db, messenger, item, send, now, zone, lang, report)
    except DatabaseBusy:
        logger.warning("database busy: deadline reminders will be checked at the next tick")
    return report
