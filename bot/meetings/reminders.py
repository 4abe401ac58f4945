"""Which reminders are due at ``now``: computed from the database, never from scheduler state.

Policy (checklist D):
- Offsets are per session ("7d 1d 1h" by default). Day and week offsets keep the wall-clock time
  in the configured zone across a DST change (the 1-day reminder of a 10:00 session is at 10:00
  the day before); hour and minute offsets are exact durations.
- The sent-log key holds the reminder's due time, so after a move the old keys never match
  again and each new offset gets its own reminder (R4). Cancelled sessions get nothing.
- A reminder whose time had already passed when the session was created or last moved is not
  due: the announcement (or the move notice) plays that role.
- After downtime (R2): an overdue reminder of a session that has not started is sent, marked
  "(en retard)" when more than ``LATE_AFTER`` late; when several are overdue only the latest is
  sent and the others are recorded as skipped. If the session has started, it is skipped with a
  log line and a ``skipped`` row saying why — never silently dropped.
- Decision owners get a DM at 09:00 two days before the due date and on the day, once each,
  and, if the decision is still open, once more at 09:00 the day after (« en retard »). That
  last one is still sent up to ``OVERDUE_GRACE`` late (the bot was down), never later: an
  upgrade must not DM every owner of an old overdue decision at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.reply import UserError
from storage.decisions import Decision
from storage.meetings import Meeting
from storage.reminders import ReminderKey

LATE_AFTER = timedelta(minutes=5)
DM_HOUR = time(9, 0)
OVERDUE = "overdue"
DECISION_OFFSETS = {"2d": 2, "0d": 0, OVERDUE: -1}
OVERDUE_GRACE = timedelta(days=7)
_UNITS = {
    "d": "d", "j": "d", "jour": "d", "jours": "d", "day": "d", "days": "d",
    "h": "h", "heure": "h", "heures": "h", "hour": "h", "hours": "h",
    "m": "m", "min": "m", "minute": "m", "minutes": "m",
    "w": "w", "sem": "w", "semaine": "w", "semaines": "w", "week": "w", "weeks": "w",
}  # fmt: skip
_OFFSET = re.compile(r"^(\d{1,3})\s*([a-z]+)$")


@dataclass(frozen=True)
class Due:
    """A reminder to act on now: send it (maybe marked late) or record it as skipped."""

    key: ReminderKey
    action: str  # "send" or "skip"
    late: bool = False
    reason: str = ""


def parse_offsets(text: str, lang: str = "fr") -> str:
    """Normalise "2j 1h" to "2d 1h" (largest first); raise UserError if not understood."""
    words = re.findall(r"\d+\s*[a-zA-Z]+", text.replace(",", " "))
    leftover = re.sub(r"\d+\s*[a-zA-Z]+|[\s,]", "", text)
    keys = []
    for word in words:
        match = _OFFSET.match(word.lower().strip())
        unit = _UNITS.get(match[2]) if match else None
        if not match or unit is None or int(match[1]) == 0:
            raise UserError(t("meetings.error.offsets", lang, text=text))
        keys.append(f"{int(match[1])}{unit}")
    if not keys or leftover:
        raise UserError(t("meetings.error.offsets", lang, text=text))
    unique = sorted(set(keys), key=lambda k: _delta_hint(k), reverse=True)
    return " ".join(unique)


def _delta_hint(key: str) -> timedelta:
    """Return an approximate duration of an offset key, for sorting."""
    amount, unit = int(key[:-1]), key[-1]
    return {"w": timedelta(weeks=amount), "d": timedelta(days=amount)}.get(
        unit, timedelta(hours=amount) if unit == "h" else timedelta(minutes=amount)
    )


def reminder_time(starts_at: datetime, offset_key: str, zone: ZoneInfo) -> datetime:
    """Return when the reminder ``offset_key`` before ``starts_at`` is due, in UTC."""
    amount, unit = int(offset_key[:-1]), offset_key[-1]
    if unit in "dw":
        days = amount * (7 if unit == "w" else 1)
        wall = starts_at.astimezone(zone).replace(tzinfo=None) - timedelta(days=days)
        return wall.replace(tzinfo=zone).astimezone(UTC)
    return starts_at - (timedelta(hours=amount) if unit == "h" else timedelta(minutes=amount))


def session_keys(meeting: Meeting, zone: ZoneInfo) -> list[ReminderKey]:
    """Return the reminder keys of a session, one per offset."""
    return [
        ReminderKey("session", meeting.id, key, reminder_time(meeting.starts_at, key, zone))
        for key in meeting.reminder_offsets.split()
    ]


def due_for_session(
    meeting: Meeting, now: datetime, zone: ZoneInfo, known: set[ReminderKey]
) -> list[Due]:
    """Return what to do now about a session's reminders not yet in the sent-log."""
    if meeting.cancelled:
        return []
    set_at = meeting.rescheduled_at or meeting.created_at
    overdue = [
        key
        for key in session_keys(meeting, zone)
        if set_at < key.due_at <= now and key not in known
    ]
    if not overdue:
        return []
    if now >= meeting.starts_at:
        return [Due(key, "skip", reason="session already started") for key in overdue]
    overdue.sort(key=lambda key: key.due_at)
    latest = overdue[-1]
    actions = [Due(key, "skip", reason="superseded by a later reminder") for key in overdue[:-1]]
    actions.append(Due(latest, "send", late=now - latest.due_at > LATE_AFTER))
    return actions


def decision_keys(decision: Decision, zone: ZoneInfo) -> list[ReminderKey]:
    """Return the owner-DM keys of a decision: 09:00 two days before and on the due date."""
    if decision.due_date is None:
        return []
    keys = []
    for offset_key, days in DECISION_OFFSETS.items():
        day: date = decision.due_date - timedelta(days=days)
        due_at = datetime.combine(day, DM_HOUR, tzinfo=zone).astimezone(UTC)
        keys.append(ReminderKey("decision", decision.id, offset_key, due_at))
    return keys


def decision_reminders_over(decision: Decision, now: datetime, zone: ZoneInfo) -> bool:
    """Return whether a decision's owner DMs are all past use (done, deleted, or long overdue)."""
    if decision.status != "open" or not decision.owner or decision.due_date is None:
        return True
    last_day = decision.due_date + timedelta(days=1) + OVERDUE_GRACE
    return now.astimezone(zone).date() > last_day


def key_still_useful(decision: Decision, key: ReminderKey, now: datetime, zone: ZoneInfo) -> bool:
    """Return whether a decision DM still makes sense: « bientôt » and « aujourd'hui » only
    until the due date is over, « en retard » only after it."""
    if decision.due_date is None:
        return False
    past_due = now.astimezone(zone).date() > decision.due_date
    return past_due == (key.offset_key == OVERDUE)


def due_for_decision(
    decision: Decision, now: datetime, zone: ZoneInfo, known: set[ReminderKey]
) -> list[Due]:
    """Return what to do now about a decision owner's DMs not yet in the sent-log."""
    if decision_reminders_over(decision, now, zone):
        return []
    overdue = [
        key
        for key in decision_keys(decision, zone)
        if decision.created_at < key.due_at <= now
        and key not in known
        and key_still_useful(decision, key, now, zone)
    ]
    overdue.sort(key=lambda key: key.due_at)
    actions = [Due(key, "skip", reason="superseded by a later reminder") for key in overdue[:-1]]
    if overdue:
        actions.append(Due(overdue[-1], "send", late=now - overdue[-1].due_at > LATE_AFTER))
    return actions


@dataclass(frozen=True)
class Planned:
    """One reminder of `/session rappels`: its key and what became of it (or will)."""

    key: ReminderKey
    state: str  # upcoming, due, sent, skipped, failed, pending, sending, not_needed


def _state(key: ReminderKey, now: datetime, set_at: datetime, log: dict[ReminderKey, str]) -> str:
    """Return what the sent-log says of a key, else whether it is still to come."""
    if key in log:
        return log[key]
    if key.due_at <= set_at:
        return "not_needed"  # its time had passed when the session was set: the notice did it
    return "upcoming" if key.due_at > now else "due"


def session_plan(
    meeting: Meeting, now: datetime, zone: ZoneInfo, log: dict[ReminderKey, str]
) -> list[Planned]:
    """Return every reminder of a session, in time order, with its state."""
    if meeting.cancelled:
        return []
    set_at = meeting.rescheduled_at or meeting.created_at
    keys = sorted(session_keys(meeting, zone), key=lambda key: key.due_at)
    return [Planned(key, _state(key, now, set_at, log)) for key in keys]


def decision_plan(
    decision: Decision, now: datetime, zone: ZoneInfo, log: dict[ReminderKey, str]
) -> list[Planned]:
    """Return an open decision's owner DMs still to come (none once done or deleted)."""
    if decision_reminders_over(decision, now, zone):
        return []
    keys = [key for key in decision_keys(decision, zone) if key not in log and key.due_at > now]
    return [Planned(key, "upcoming") for key in keys if key.due_at > decision.created_at]
