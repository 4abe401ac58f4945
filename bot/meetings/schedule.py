"""`/session rappels`: which reminders will be sent, and when, read from the same rules the job
uses (bot/meetings/reminders.py) and the sent-log, times in the configured zone."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.core.dates import format_datetime
from bot.core.i18n import t
from bot.meetings.recording import describe_offsets
from bot.meetings.reminders import Planned, decision_plan, session_keys, session_plan
from bot.meetings.render import mention, user_text
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage import reminders as sent_log
from storage.decisions import Decision
from storage.meetings import Meeting
from storage.reminders import ReminderKey

MAX_LINES = 25


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _zone_name(tz: str | ZoneInfo) -> str:
    """Return "Paris" for Europe/Paris: what the times are in."""
    return str(tz).rsplit("/", 1)[-1].replace("_", " ")


def _log(db: Database, keys: list[ReminderKey]) -> dict[ReminderKey, str]:
    """Return the sent-log status of those keys that have a row."""
    found = {}
    for key in keys:
        row = sent_log.get(db, key)
        if row is not None:
            found[key] = row.status
    return found


def _session_line(planned: Planned, lang: str, tz: str | ZoneInfo) -> str:
    """Return "• dimanche 10 janvier 2027 à 10 h 00 — 1 j avant : à venir"."""
    return t(
        "meetings.reminders.session_line", lang,
        when=format_datetime(planned.key.due_at, lang, tz),
        offset=describe_offsets(planned.key.offset_key, lang),
        state=t(f"meetings.reminders.state.{planned.state}", lang),
    )  # fmt: skip


def _dm_line(decision: Decision, planned: Planned, lang: str, tz: str | ZoneInfo) -> str:
    """Return "• … — message privé à @bob : décision n° 4 (le jour de l'échéance)"."""
    return t(
        "meetings.reminders.dm_line", lang,
        when=format_datetime(planned.key.due_at, lang, tz),
        owner=f"<@{mention(decision.owner)}>", id=decision.id,
        which=t(f"meetings.reminders.dm.{planned.key.offset_key}", lang),
    )  # fmt: skip


def _decision_plans(db: Database, decisions: list[Decision], now: datetime, zone: ZoneInfo):
    """Return (decision, planned DM) pairs still to come."""
    pairs = []
    for decision in decisions:
        plans = decision_plan(decision, now, zone, {})
        log = _log(db, [p.key for p in plans])
        pairs += [(decision, p) for p in plans if p.key not in log]
    return pairs


def describe_session_reminders(
    db: Database, meeting: Meeting, now: datetime, lang: str, tz: str | ZoneInfo
) -> str:
    """Return every reminder of one session with its state, then its owners' DMs to come."""
    zone = _zone(tz)
    if meeting.cancelled:
        return t("meetings.reminders.cancelled", lang, id=meeting.id)
    plan = session_plan(meeting, now, zone, _log(db, session_keys(meeting, zone)))
    head = t(
        "meetings.reminders.title", lang, id=meeting.id, title=user_text(meeting.title, 150),
        when=format_datetime(meeting.starts_at, lang, tz), zone=_zone_name(tz),
    )  # fmt: skip
    lines = [head] + [_session_line(p, lang, tz) for p in plan]
    if not plan:
        lines.append(t("meetings.reminders.none_set", lang))
    open_decisions = decision_store.list_decisions(db, meeting_id=meeting.id, status="open")
    dms = _decision_plans(db, open_decisions, now, zone)
    lines += [_dm_line(d, p, lang, tz) for d, p in sorted(dms, key=lambda pair: pair[1].key.due_at)]
    return "\n".join(lines[: MAX_LINES + 1])


def describe_upcoming_reminders(
    db: Database, now: datetime, lang: str, tz: str | ZoneInfo,
    channels: Collection[str] | None = None,
) -> str:  # fmt: skip
    """Return the reminders and owner DMs still to be sent, soonest first.

    ``channels``: only those of sessions and decisions of these channels (None: all).
    """
    zone = _zone(tz)
    entries: list[tuple[datetime, str]] = []
    for meeting in meeting_store.list_scheduled_since(db, now):
        if channels is not None and meeting.channel_id not in channels:
            continue
        plan = session_plan(meeting, now, zone, _log(db, session_keys(meeting, zone)))
        for planned in plan:
            if planned.state in ("upcoming", "due", "pending"):
                line = t(
                    "meetings.reminders.upcoming_line", lang, id=meeting.id,
                    title=user_text(meeting.title, 80),
                    when=format_datetime(planned.key.due_at, lang, tz),
                    offset=describe_offsets(planned.key.offset_key, lang),
                    channel=meeting.channel_id,
                )  # fmt: skip
                entries.append((planned.key.due_at, line))
    yesterday = now.astimezone(zone).date() - timedelta(days=1)  # its « en retard » DM is ahead
    decisions = decision_store.list_open_with_owner_and_due(db, yesterday)
    if channels is not None:
        decisions = [d for d in decisions if d.channel_id in channels]
    for decision, planned in _decision_plans(db, decisions, now, zone):
        entries.append((planned.key.due_at, _dm_line(decision, planned, lang, tz)))
    if not entries:
        return t("meetings.reminders.nothing", lang)
    entries.sort(key=lambda entry: entry[0])
    lines = [t("meetings.reminders.upcoming_title", lang, zone=_zone_name(tz))]
    lines += [line for _, line in entries[:MAX_LINES]]
    if len(entries) > MAX_LINES:
        lines.append(t("meetings.reminders.more", lang, count=len(entries) - MAX_LINES))
    return "\n".join(lines)
