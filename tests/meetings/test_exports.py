"""Minutes (Markdown) and the iCalendar export, compared with expected files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from bot.core.reply import UserError
from bot.meetings import sessions as domain
from bot.meetings.calendar import build_calendar
from bot.meetings.demo import load_meetings_demo
from bot.meetings.minutes import render_minutes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meetings"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def demo_db(db):
    load_meetings_demo(db, NOW)
    load_meetings_demo(db, NOW)  # idempotent: the shell may be started with --demo again
    domain.cancel_session(db, 2, "fr")
    return db


@pytest.mark.parametrize(
    ("session_id", "lang", "expected"),
    [(3, "fr", "minutes-3.md"), (4, "fr", "minutes-4.md"), (4, "en", "minutes-4.en.md")],
)
def test_minutes_match_the_expected_file(demo_db, session_id, lang, expected) -> None:
    assert render_minutes(demo_db, session_id, lang) == (FIXTURES / expected).read_text()


def test_minutes_of_an_unknown_session_is_a_french_error(demo_db) -> None:
    with pytest.raises(UserError, match="pas de session n° 99"):
        render_minutes(demo_db, 99)


def test_ics_matches_the_expected_file(demo_db) -> None:
    expected = (FIXTURES / "sessions.ics").read_bytes()
    # Session 2 was cancelled and session 4 given its agenda by paths that pass no clock, so the
    # database's clock stamped those changes: the file names the two stamps, checked here.
    for session_id in (2, 4):
        (stored,) = demo_db.execute(
            "SELECT updated_at FROM meetings WHERE id = ?", [session_id]
        ).fetchone()
        stamp = datetime.fromisoformat(stored)
        assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=10)
        placeholder = f"@CHANGED-{session_id}@".encode()
        expected = expected.replace(placeholder, stamp.strftime("%Y%m%dT%H%M%SZ").encode())
    assert build_calendar(demo_db) == expected


def test_ics_parses_back_with_stable_uids_paris_times_and_cancelled_status(demo_db) -> None:
    calendar = icalendar.Calendar.from_ical(build_calendar(demo_db))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [f"session-{n}@veilleur" for n in (1, 2, 3, 4)]
    work = events["session-4@veilleur"]
    start = work.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Paris"
    assert start.isoformat() == "2027-01-11T10:00:00+01:00"
    assert str(events["session-2@veilleur"]["STATUS"]) == "CANCELLED"
    assert str(work["STATUS"]) == "CONFIRMED"
    assert "REDDSO" in str(work["DESCRIPTION"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_moving_a_session_keeps_its_uid(demo_db) -> None:
    domain.move_session(demo_db, 4, "12 janvier 2027 14h", now=NOW, tz="Europe/Paris", lang="fr")
    calendar = icalendar.Calendar.from_ical(build_calendar(demo_db))
    moved = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "session-4@veilleur")
    assert moved.decoded("DTSTART").isoformat() == "2027-01-12T14:00:00+01:00"
