"""Sessions and decisions: the domain rules behind /session and /decision (Slack-free).

Functions take a database connection, ``now`` (aware UTC) and the user's language, and raise
:class:`UserError` with a translated sentence when the request cannot be carried out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.mrkdwn import safe_text
from bot.core.reply import UserError
from bot.meetings.dates import DateError, parse_datetime
from bot.meetings.reminders import parse_offsets
from storage import meetings as meeting_store
from storage.meetings import AgendaPoint, Meeting

CURRENT_WINDOW = timedelta(hours=2)
_PLACE_WORDS = ("à", "a", "at", "in", "au")
_REMINDERS = re.compile(r"\s+(?:rappels?|reminders?)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class SessionRequest:
    """What `/session ajouter` understood: title, start, place and reminder offsets."""

    title: str
    starts_at: datetime
    place: str
    offsets: str


_GENERIC_DATE_ERRORS = {
    "dates.error.unknown",
    "dates.error.no_time",
    "dates.error.no_day",
    "dates.error.two_times",
}


def _specific(error: UserError) -> bool:
    """Return whether a date error says more than "I do not understand"."""
    return not isinstance(error, DateError) or error.key not in _GENERIC_DATE_ERRORS


def _parses(text: str, now: datetime, tz: str | ZoneInfo, lang: str) -> bool:
    """Return whether the whole text is a date (then the title is missing)."""
    try:
        parse_datetime(text, now=now, tz=tz, lang=lang)
    except UserError:
        return False
    return True


def parse_session_request(
    text: str, *, now: datetime, tz: str | ZoneInfo, lang: str = "fr"
) -> SessionRequest:
    """Split "<titre> <date> [à <lieu>] [rappels 2j 1h]" and parse each part."""
    offsets = meeting_store.DEFAULT_OFFSETS
    if match := _REMINDERS.search(text):
        offsets = parse_offsets(match[1], lang)
        text = text[: match.start()]
    words = text.split()
    if _parses(" ".join(words), now, tz, lang):
        raise UserError(t("meetings.error.no_title", lang))
    for start in range(1, len(words)):
        for end in range(len(words), start, -1):
            rest = words[end:]
            if rest and (rest[0].lower() not in _PLACE_WORDS or len(rest) < 2):
                continue
            try:
                when = parse_datetime(" ".join(words[start:end]), now=now, tz=tz, lang=lang)
            except UserError as error:
                if _specific(error):
                    raise  # a real date with a real problem (past, DST, weekday): say so
                continue
            title, place = " ".join(words[:start]), " ".join(rest[1:])
            return SessionRequest(title, when, place, offsets)
    raise UserError(t("meetings.error.usage_add", lang, text=text.strip()))


def add_session(
    db: Database,
    request: SessionRequest,
    *,
    channel_id: str,
    user_id: str,
    now: datetime,
    idempotency_key: str | None = None,
) -> Meeting:
    """Record a new session (once per idempotency key)."""
    return meeting_store.add_meeting(
        db,
        title=request.title,
        starts_at=request.starts_at,
        place=request.place,
        channel_id=channel_id,
        created_by=user_id,
        now=now,
        reminder_offsets=request.offsets,
        idempotency_key=idempotency_key,
    )


MAX_ID = 2**63 - 1


def parse_id(text: str, lang: str, noun: str = "meetings") -> int:
    """Return a session (or, ``noun="decisions"``, a decision) number typed as "3", "n°3" or "#3"."""
    cleaned = text.strip().lstrip("#").removeprefix("n°").strip()
    if not cleaned:
        raise UserError(t(f"{noun}.error.no_id", lang))
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise UserError(t(f"{noun}.error.bad_id", lang, text=text.strip()))
    # SQLite stores at most 2**63 - 1: a bigger number names nothing, so it looks up as missing
    return min(int(cleaned), MAX_ID)


def get_session(db: Database, meeting_id: int, lang: str) -> Meeting:
    """Return the session or raise a friendly error."""
    meeting = meeting_store.get_meeting(db, meeting_id)
    if meeting is None:
        raise UserError(t("meetings.error.not_found", lang, id=meeting_id))
    return meeting


def _open_session(db: Database, meeting_id: int, lang: str) -> Meeting:
    """Return a session that can still be changed."""
    meeting = get_session(db, meeting_id, lang)
    if meeting.cancelled:
        raise UserError(t("meetings.error.cancelled", lang, id=meeting_id))
    return meeting


def move_session(
    db: Database, meeting_id: int, when_text: str, *, now: datetime, tz: str | ZoneInfo, lang: str
) -> Meeting:
    """Give a session a new start; its reminders follow (the old times are never used)."""
    _open_session(db, meeting_id, lang)
    starts_at = parse_datetime(when_text, now=now, tz=tz, lang=lang)
    return meeting_store.update_meeting(db, meeting_id, starts_at=starts_at, rescheduled_at=now)


def cancel_session(db: Database, meeting_id: int, lang: str) -> Meeting:
    """Cancel a session: no reminder will be sent for it."""
    _open_session(db, meeting_id, lang)
    return meeting_store.update_meeting(db, meeting_id, status="cancelled")


def add_agenda_point(db: Database, meeting_id: int, text: str, lang: str) -> AgendaPoint:
    """Append a numbered point to a session's agenda."""
    _open_session(db, meeting_id, lang)
    if not text.strip():
        raise UserError(t("meetings.error.empty_point", lang))
    return meeting_store.add_agenda_point(db, meeting_id, text.strip())


def upcoming_and_recent(db: Database, now: datetime, recent: int = 5) -> list[Meeting]:
    """Return upcoming sessions (soonest first), then the last few past ones (latest first)."""
    sessions = meeting_store.list_meetings(db)
    upcoming = [m for m in sessions if m.starts_at >= now]
    past = [m for m in sessions if m.starts_at < now][::-1][:recent]
    return upcoming + past


# Where `/decision <texte>` goes without session:<n°>, in this order (issue 12): the session in
# progress (started less than SESSION_SPAN ago, or starting within CURRENT_WINDOW), else the
# next upcoming one, else the latest past one, else none (« hors session »).
SESSION_SPAN = timedelta(hours=8)
IN_PROGRESS, UPCOMING, PAST, UNFILED, NAMED = "current", "upcoming", "past", "none", "named"


def decision_session(db: Database, channel_id: str, now: datetime) -> tuple[Meeting | None, str]:
    """Return the session a decision typed in this channel belongs to, and why."""
    sessions = [
        m for m in meeting_store.list_meetings(db, channel_id=channel_id) if not m.cancelled
    ]
    current = [m for m in sessions if now - SESSION_SPAN <= m.starts_at <= now + CURRENT_WINDOW]
    if current:
        return current[-1], IN_PROGRESS
    upcoming = [m for m in sessions if m.starts_at > now]
    if upcoming:
        return upcoming[0], UPCOMING
    if sessions:
        return sessions[-1], PAST
    return None, UNFILED


def rename_session(db: Database, meeting_id: int, title: str, lang: str) -> tuple[Meeting, str]:
    """Give a session a new title; return it and the old title."""
    before = _open_session(db, meeting_id, lang)
    if not title.strip():
        raise UserError(t("meetings.usage_rename", lang))
    return meeting_store.update_meeting(db, meeting_id, title=title.strip()), before.title


def set_place(db: Database, meeting_id: int, place: str, lang: str) -> tuple[Meeting, str]:
    """Change (or, with « aucun » / « none », clear) a session's place; return it and the old one."""
    before = _open_session(db, meeting_id, lang)
    place = place.strip()
    if place.casefold() in ("aucun", "aucune", "none", "-"):
        place = ""
    return meeting_store.update_meeting(db, meeting_id, place=place), before.place


def _fold(text: str) -> str:
    """Lower-case, accents off, spaces collapsed: how a typed point is matched to the agenda."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def find_agenda_point(
    agenda: list[AgendaPoint], typed: str, meeting_id: int, lang: str
) -> AgendaPoint:
    """Return the point named by its number or its text (whole, or a part of one point only)."""
    cleaned = typed.strip().lstrip("#").removeprefix("n°").strip()
    if cleaned.isascii() and cleaned.isdigit():
        for point in agenda:
            if point.position == int(cleaned):
                return point
        raise UserError(t("meetings.error.no_point", lang, id=meeting_id, text=cleaned))
    wanted = _fold(typed)
    exact = [p for p in agenda if _fold(p.text) == wanted]
    partial = [p for p in agenda if wanted and wanted in _fold(p.text)]
    found = exact or partial
    if len(found) == 1:
        return found[0]
    key = "meetings.error.point_ambiguous" if found else "meetings.error.no_point"
    raise UserError(t(key, lang, id=meeting_id, text=safe_text(typed, 80)))


def remove_agenda_point(db: Database, meeting_id: int, typed: str, lang: str) -> AgendaPoint:
    """Remove a point from a session's agenda (the next ones move up by one)."""
    _open_session(db, meeting_id, lang)
    point = find_agenda_point(meeting_store.list_agenda(db, meeting_id), typed, meeting_id, lang)
    meeting_store.remove_agenda_point(db, meeting_id, point.position)
    return point


def restore_session(db: Database, meeting_id: int, *, now: datetime, lang: str) -> Meeting:
    """Undo a cancellation; reminders whose time passed meanwhile are not sent late."""
    meeting = get_session(db, meeting_id, lang)
    if not meeting.cancelled:
        raise UserError(t("meetings.error.not_cancelled", lang, id=meeting_id))
    return meeting_store.update_meeting(db, meeting_id, status="scheduled", rescheduled_at=now)
