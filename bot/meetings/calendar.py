"""All sessions as an iCalendar file (RFC 5545) with the icalendar library.

UIDs are stable (``session-<id>@veilleur``) so a subscribed calendar updates an event in place
when a session is moved, and shows it cancelled (``STATUS:CANCELLED``) rather than losing it.
Times are written in Europe/Paris (or VEILLEUR_TZ) with the matching VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone
from sqlite_utils import Database

from bot.core.i18n import t
from storage import meetings as meeting_store
from storage.meetings import Meeting

DURATION = timedelta(hours=2)
PRODID = "-//Veilleur//Sessions CERAPCOOP RESACOOP//FR"


def _event(meeting: Meeting, agenda: list[str], zone: ZoneInfo) -> Event:
    """Return the VEVENT of one session."""
    event = Event()
    event.add("uid", f"session-{meeting.id}@veilleur")
    event.add("dtstamp", meeting.rescheduled_at or meeting.created_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.rescheduled_at or meeting.created_at)
    start = meeting.starts_at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    if agenda:
        event.add("description", "\n".join(f"{n}. {text}" for n, text in enumerate(agenda, 1)))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event


def build_calendar(
    db: Database,
    lang: str = "fr",
    tz: str = "Europe/Paris",
    channels: Collection[str] | None = None,
) -> bytes:
    """Return every session (of ``channels``, when given) as iCalendar bytes."""
    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t("calendar.name", lang))
    calendar.add("x-wr-timezone", tz)
    meetings = meeting_store.list_meetings(db)
    if channels is not None:  # who sees what (bot/core/visibility)
        meetings = [m for m in meetings if m.channel_id in channels]
    if meetings:
        first = meetings[0].starts_at.astimezone(zone).year
        last = meetings[-1].starts_at.astimezone(zone).year
        calendar.add_component(
            Timezone.from_tzinfo(zone, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))
        )
    for meeting in meetings:
        agenda = [p.text for p in meeting_store.list_agenda(db, meeting.id)]
        calendar.add_component(_event(meeting, agenda, zone))
    return calendar.to_ical()
