"""Send the reminders that are due, exactly once each, through the Messenger port.

One call of :func:`send_due_reminders` is one tick of the ``send_reminders`` interval job. Each
reminder is claimed in the sent-log (INSERT under ``BEGIN IMMEDIATE``) before the Slack call and
confirmed after it, so a second process on the same database skips it (R3). A transient failure
puts it back to ``pending`` with a back-off (R6); a permanent one marks it ``failed``. A row left
in ``sending`` by a crash (R1) is reconciled after ``STALE_AFTER``: channel reminders carry
Slack message metadata, so the channel history tells whether the post went out before resending;
a direct message has no such look-up here, so a DM in flight at a crash is resent (at most one
duplicate, logged). Retries of channel posts also check the history first (an ambiguous timeout).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.messenger import PERMANENT_ERRORS, Messenger, MessengerError
from bot.meetings.reminders import (
    LATE_AFTER,
    OVERDUE_GRACE,
    Due,
    decision_keys,
    decision_reminders_over,
    due_for_decision,
    due_for_session,
    key_still_useful,
    session_keys,
)
from bot.meetings.render import render_decision_dm, render_reminder
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage import reminders as sent_log
from storage.db import DatabaseBusy, connect
from storage.meetings import Meeting

logger = logging.getLogger("veilleur.reminders")

EVENT_TYPE = "veilleur_reminder"
METADATA_KEY = "reminder_key"
STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 8


@dataclass
class TickReport:
    """What one tick did, for logs, the shell and tests."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    reconciled: list[str] = field(default_factory=list)


def _ts(moment: datetime) -> str:
    """Return a Slack-style ts for a moment (for ``oldest`` in history look-ups)."""
    return f"{moment.timestamp():.6f}"


def _known(db, keys: list[sent_log.ReminderKey]) -> set[sent_log.ReminderKey]:
    """Return which of these keys already have a sent-log row."""
    return {key for key in keys if sent_log.get(db, key) is not None}


def _plan(db, now: datetime, zone: ZoneInfo) -> list[tuple[Due, object]]:
    """Return the due actions for sessions and decision owners, with their subject."""
    plan: list[tuple[Due, object]] = []
    for meeting in meeting_store.list_scheduled_since(db, now - timedelta(days=7)):
        known = _known(db, session_keys(meeting, zone))
        plan.extend((due, meeting) for due in due_for_session(meeting, now, zone, known))
    # a week and a day back: a decision due then still gets its « en retard » DM
    since = now.astimezone(zone).date() - timedelta(days=1) - OVERDUE_GRACE
    for decision in decision_store.list_open_with_owner_and_due(db, since):
        known = _known(db, decision_keys(decision, zone))
        plan.extend((due, decision) for due in due_for_decision(decision, now, zone, known))
    return plan


def _deliver(messenger: Messenger, db, due: Due, subject, lang: str, zone: ZoneInfo) -> str | None:
    """Send one reminder and return the message ts."""
    metadata = {"event_type": EVENT_TYPE, "event_payload": {METADATA_KEY: due.key.as_text()}}
    if due.key.kind == "session":
        meeting = subject
        agenda = meeting_store.list_agenda(db, meeting.id)
        day = meeting.starts_at.astimezone(zone).date()
        open_due = decision_store.list_open_due_by(db, meeting.channel_id, day)
        text, blocks = render_reminder(meeting, agenda, open_due, late=due.late, lang=lang, tz=zone)
        return messenger.post(meeting.channel_id, text, blocks, metadata=metadata)
    text = render_decision_dm(subject, offset_key=due.key.offset_key, lang=lang)
    return messenger.direct_message(subject.owner, text)


def _already_posted(messenger: Messenger, row: sent_log.SentLogRow, subject) -> str | None:
    """Look the reminder up in the channel history (session reminders only)."""
    if row.key.kind != "session" or row.claimed_at is None:
        return None
    oldest = _ts(row.claimed_at - timedelta(minutes=1))
    return messenger.find_message_by_metadata(
        subject.channel_id, EVENT_TYPE, METADATA_KEY, row.key.as_text(), oldest
    )


def _attempt(messenger, db, due: Due, subject, now, lang, zone, report: TickReport) -> None:
    """Claim, send and confirm one reminder; on failure schedule a retry or give up."""
    row = sent_log.claim(db, due.key, now)
    if row is None:
        return  # another process owns it, or it is done
    label = due.key.as_text()
    try:
        ts = _already_posted(messenger, row, subject) if row.attempts else None
        if ts is None:
            ts = _deliver(messenger, db, due, subject, lang, zone)
    except MessengerError as error:
        if _record_failure(db, row, error, now, report):
            _tell_organiser(messenger, subject, error.code, lang)
        return
    sent_log.mark_sent(db, row.id, now, ts)
    report.sent.append(label)
    logger.info("reminder %s sent%s", label, " late" if due.late else "")


def _tell_organiser(messenger: Messenger, subject, code: str, lang: str) -> None:
    """DM whoever created the session that its reminder could not be posted, and how to fix it."""
    if not isinstance(subject, Meeting) or not subject.created_by:
        return
    text = t("meetings.reminder_failed", lang, id=subject.id, channel=subject.channel_id, code=code)
    try:
        messenger.direct_message(subject.created_by, text)
    except MessengerError as error:
        logger.warning("could not tell %s about it: %s", subject.created_by, error.code)


def _record_failure(db, row, error: MessengerError, now: datetime, report: TickReport) -> bool:
    """Put the reminder back to pending with a back-off, or mark it failed (return True)."""
    label = row.key.as_text()
    if error.code in PERMANENT_ERRORS or row.attempts + 1 >= MAX_ATTEMPTS:
        sent_log.mark_failed(db, row.id, error.code)
        report.failed.append(label)
        logger.error("reminder %s failed for good: %s", label, error.code)
        return True
    backoff = timedelta(seconds=min(30 * 2**row.attempts, 900))
    wait = max(backoff, timedelta(seconds=error.retry_after or 0))
    sent_log.mark_retry(db, row.id, now + wait, error.code)
    report.retried.append(label)
    logger.warning("reminder %s: %s, retry in %s", label, error.code, wait)
    return False


def _subject(db, key: sent_log.ReminderKey, now: datetime, zone: ZoneInfo):
    """Return the session or decision of a retried reminder, or None if it is no longer due."""
    if key.kind == "session":
        meeting = meeting_store.get_meeting(db, key.ref_id)
        valid = (
            meeting is not None
            and not meeting.cancelled
            and now < meeting.starts_at
            and key in session_keys(meeting, zone)
        )
        return meeting if valid else None
    decision = decision_store.get_decision(db, key.ref_id)
    valid = (
        decision is not None
        and not decision_reminders_over(decision, now, zone)
        and key in decision_keys(decision, zone)
        and key_still_useful(decision, key, now, zone)
    )
    return decision if valid else None


def _reconcile_stale(db, messenger: Messenger, now: datetime, zone, report: TickReport) -> None:
    """Settle rows left in ``sending`` by a crash: found in history → sent, else retry (R1)."""
    for row in sent_log.list_stale_sending(db, now - STALE_AFTER):
        label = row.key.as_text()
        subject = _subject(db, row.key, now, zone)
        if subject is None:
            sent_log.mark_skipped(db, row.id, "no longer due after a crash in flight")
            report.skipped.append(label)
            logger.warning("reminder %s left in flight is no longer due: skipped", label)
            continue
        try:
            ts = _already_posted(messenger, row, subject)
        except MessengerError as error:
            logger.warning("reminder %s: history look-up failed (%s)", label, error.code)
            continue
        if ts is not None:
            sent_log.mark_sent(db, row.id, now, ts)
            report.reconciled.append(label)
            logger.info("reminder %s was posted before a crash: marked sent", label)
        else:
            sent_log.mark_retry(db, row.id, now, "in flight at a crash, not found: resend")
            logger.warning("reminder %s was in flight at a crash and not posted: resending", label)


def _retry_pending(db, messenger, now, lang, zone, report: TickReport) -> None:
    """Resend the reminders whose retry time has come, if they are still useful."""
    for row in sent_log.list_retryable(db, now):
        subject = _subject(db, row.key, now, zone)
        if subject is None:
            sent_log.mark_skipped(db, row.id, "no longer due")
            report.skipped.append(row.key.as_text())
            logger.warning("reminder %s no longer due: skipped", row.key.as_text())
            continue
        due = Due(row.key, "send", late=now - row.key.due_at > LATE_AFTER)
        _attempt(messenger, db, due, subject, now, lang, zone, report)


def send_due_reminders(
    db_path: str | Path,
    messenger: Messenger,
    *,
    now: datetime,
    lang: str = "fr",
    tz: str | ZoneInfo = "Europe/Paris",
) -> TickReport:
    """Run one tick: reconcile, retry, then send or skip whatever is due at ``now``."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    report = TickReport()
    try:
        with connect(db_path) as db:
            _reconcile_stale(db, messenger, now, zone, report)
            _retry_pending(db, messenger, now, lang, zone, report)
            for due, subject in _plan(db, now, zone):
                if due.action == "send":
                    _attempt(messenger, db, due, subject, now, lang, zone, report)
                elif sent_log.record(db, due.key, "skipped", due.reason, now):
                    report.skipped.append(due.key.as_text())
                    logger.warning("reminder %s skipped: %s", due.key.as_text(), due.reason)
    except DatabaseBusy:
        logger.warning("database busy: reminders will be checked again at the next tick")
    return report


def next_due_at(
    db_path: str | Path, now: datetime, tz: str | ZoneInfo = "Europe/Paris"
) -> datetime | None:
    """Return when the next session reminder falls due after ``now`` (the shell's `:rappel`)."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    upcoming = []
    with connect(db_path) as db:
        for meeting in meeting_store.list_scheduled_since(db, now):
            set_at = meeting.rescheduled_at or meeting.created_at
            upcoming += [
                k.due_at for k in session_keys(meeting, zone) if k.due_at > max(now, set_at)
            ]
    return min(upcoming, default=None)
