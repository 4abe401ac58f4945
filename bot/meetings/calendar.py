"""All sessions as an iCalendar file (RFC 5545) with the icalendar library.

UIDs are stable (``session-<id>@veilleur``) so a subscribed calendar updates an event in place
when a session is moved, and shows it cancelled (``STATUS:CANCELLED``) rather than losing it.
Times are written in Europe/Paris (or VEILLEUR_TZ) with the matching VTIMEZONE.

RFC 5546 rules that calendar apps rely on: ``SEQUENCE`` grows with every change of time, place,
title or status (counted by SQLite triggers, migration 0035), and ``DTSTAMP``/``LAST-MODIFIED``
say when the session or its agenda last changed. ``DTEND`` is two hours of elapsed time after
``DTSTART``, also across a DST change. ``URL`` leads back to the announcement in Slack.

A personal calendar (``/session calendrier``) adds the deadlines of the items its owner may see:
all-day events (``deadline-<item id>@veilleur``) whose ``SEQUENCE`` counts the times the date
was set, so a moved deadline moves in the calendar app too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone
from sqlite_utils import Database

from bot.core.i18n import t
from storage import meetings as meeting_store
from storage.items import Item
from storage.meetings import Meeting

DURATION = timedelta(hours=2)
PRODID = "-//Veilleur//Sessions CERAPCOOP RESACOOP//FR"


def slack_link(channel_id: str, message_ts: str) -> str:
    """Return a link that opens the session's announcement in Slack.

    A real permalink needs the workspace's domain, which is not stored; Slack's ``app_redirect``
    needs only the channel and opens the workspace the reader is signed in to.
    """
    return "https://slack.com/app_redirect?" + urlencode(
        {"channel": channel_id, "message_ts": message_ts}
    )


def _changed_at(meeting: Meeting) -> datetime:
    """Return when the session or its agenda last changed (whole seconds, as iCalendar has)."""
    stamp = meeting.updated_at or meeting.rescheduled_at or meeting.created_at
    return stamp.replace(microsecond=0)


def _instant(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return ``moment`` in the zone, or in UTC when that local time happens twice.

    RFC 5545 reads a repeated local time (31 October 2027 02:30 in Paris) as its first
    occurrence, so the second one can only be written unambiguously in UTC.
    """
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _event(meeting: Meeting, agenda: list[str], zone: ZoneInfo) -> Event:
    """Return the VEVENT of one session."""
    event = Event()
    event.add("uid", f"session-{meeting.id}@veilleur")
    event.add("dtstamp", _changed_at(meeting))
    event.add("created", meeting.created_at)
    event.add("last-modified", _changed_at(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", _instant(meeting.starts_at, zone))
    # add in UTC, then show in the zone: aware arithmetic in the zone would add wall-clock hours
    event.add("dtend", _instant(meeting.starts_at + DURATION, zone))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    if agenda:
        event.add("description", "\n".join(f"{n}. {text}" for n, text in enumerate(agenda, 1)))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.channel_id and meeting.announced_ts:
        event.add("url", slack_link(meeting.channel_id, meeting.announced_ts))
    return event


def _web_link(link: str | None) -> str | None:
    """Return ``link`` when it is an http(s) address a calendar app may open, else None."""
    return link if link and link.startswith(("https://", "http://")) else None


def _deadline_event(item: Item, sequence: int, lang: str) -> Event:
    """Return the all-day VEVENT of one item's deadline."""
    day = date.fromisoformat(item.deadline_on or "")
    stamp = datetime.fromisoformat(item.deadline_set_at or item.first_seen_at)
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    event = Event()
    event.add("uid", f"deadline-{item.id}@veilleur")
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # all-day: DTEND is the next day, exclusive
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("summary", t("calendar.deadline", lang, title=item.title or f"#{item.id}"))
    event.add("description", t("calendar.deadline.description", lang, id=item.id))
    link = _web_link(item.link)
    if link:
        event.add("url", link)
    return event


def build_calendar(
    db: Database,
    lang: str = "fr",
    tz: str = "Europe/Paris",
    channels: Collection[str] | None = None,
    deadlines: Sequence[Item] = (),
    sequences: Mapping[int, int] | None = None,
    name: str = "",
) -> bytes:
    """Return every session (of ``channels``, when given) and ``deadlines`` as iCalendar bytes.

    ``sequences`` gives each deadline's SEQUENCE by item id (0 when missing).
    """
    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or t("calendar.name", lang))
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
    for item in deadlines:
        calendar.add_component(_deadline_event(item, (sequences or {}).get(item.id, 0), lang))
    return calendar.to_ical()
