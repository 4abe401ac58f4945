"""The iCalendar rules calendar apps rely on (RFC 5545/5546), read back by two independent readers.

``icalendar`` writes the file, so it is read back by ``vobject`` too: a rule both agree on is not
an artefact of one library's reading.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from bot.meetings import sessions as domain
from bot.meetings.calendar import build_calendar, slack_link
from storage import meetings as store

PARIS = ZoneInfo("Europe/Paris")
# Well before the real clock: a change stamped by the database's clock is always later.
CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _add(db, starts_at: datetime, title: str = "Temps de travail", place: str = "Lyon"):
    return store.add_meeting(
        db, title=title, starts_at=starts_at.astimezone(UTC), place=place, channel_id="CVEILLE",
        created_by="UVOUS", now=CREATED,
    )  # fmt: skip


def _icalendar_event(db, meeting_id: int):
    calendar = icalendar.Calendar.from_ical(build_calendar(db))
    return next(
        e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"session-{meeting_id}@veilleur"
    )


def _vobject_event(db, meeting_id: int):
    calendar = vobject.readOne(build_calendar(db).decode("utf-8"))
    return next(e for e in calendar.vevent_list if e.uid.value == f"session-{meeting_id}@veilleur")


def _elapsed_icalendar(event) -> timedelta:
    return event.decoded("DTEND").astimezone(UTC) - event.decoded("DTSTART").astimezone(UTC)


def _elapsed_vobject(event) -> timedelta:
    return event.dtend.value.astimezone(UTC) - event.dtstart.value.astimezone(UTC)


@pytest.mark.parametrize(
    ("starts", "label"),
    [
        (datetime(2027, 3, 28, 1, 30, tzinfo=PARIS), "spring forward: 01:30 CET to 04:30 CEST"),
        (datetime(2027, 10, 31, 1, 30, tzinfo=PARIS), "fall back: ends at the second 02:30"),
        (datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=PARIS), "starts at the second 02:30"),
        (datetime(2027, 1, 11, 10, 0, tzinfo=PARIS), "an ordinary winter day"),
        (datetime(2027, 7, 12, 23, 0, tzinfo=PARIS), "across midnight in summer"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_r5_a_two_hour_session_lasts_two_hours_across_dst_for_both_readers(db, starts, label):
    meeting = _add(db, starts)
    assert _elapsed_icalendar(_icalendar_event(db, meeting.id)) == timedelta(hours=2), label
    assert _elapsed_vobject(_vobject_event(db, meeting.id)) == timedelta(hours=2), label
    start = _icalendar_event(db, meeting.id).decoded("DTSTART")
    assert start.astimezone(UTC) == starts.astimezone(UTC)
    assert _vobject_event(db, meeting.id).dtstart.value.astimezone(UTC) == starts.astimezone(UTC)


def test_spring_session_keeps_paris_times_in_the_file(db):
    meeting = _add(db, datetime(2027, 3, 28, 1, 30, tzinfo=PARIS))
    event = _icalendar_event(db, meeting.id)
    assert event["DTSTART"].to_ical() == b"20270328T013000"
    assert event["DTEND"].to_ical() == b"20270328T043000"
    assert str(event.decoded("DTEND").tzinfo) == "Europe/Paris"


def _sequence(db, meeting_id: int) -> tuple[int, int]:
    """Return SEQUENCE as each reader sees it."""
    return (
        int(_icalendar_event(db, meeting_id)["SEQUENCE"]),
        int(_vobject_event(db, meeting_id).sequence.value),
    )


def _cancel_then_restore(db, meeting_id: int) -> None:
    """Cancel then restore with plain SQL, as a restore command written later might."""
    db.execute("UPDATE meetings SET status = 'cancelled' WHERE id = ?", [meeting_id])
    db.execute("UPDATE meetings SET status = 'scheduled' WHERE id = ?", [meeting_id])


CHANGES = [
    ("time", lambda db, m: store.update_meeting(db, m, starts_at=datetime(2027, 2, 1, 9, tzinfo=UTC))),
    ("title", lambda db, m: store.update_meeting(db, m, title="Temps de travail (salle B)")),
    ("place", lambda db, m: store.update_meeting(db, m, place="Clermont-Ferrand")),
    ("status", lambda db, m: store.update_meeting(db, m, status="cancelled")),
    # paths other code may add with its own SQL: the triggers count them all the same
    ("raw rename", lambda db, m: db.execute("UPDATE meetings SET title = 'Renommée' WHERE id = ?", [m])),
    ("raw place", lambda db, m: db.execute("UPDATE meetings SET place = 'Visio' WHERE id = ?", [m])),
    ("raw restore", lambda db, m: _cancel_then_restore(db, m)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[row[0] for row in CHANGES])
def test_sequence_grows_with_every_change_of_time_title_place_or_status(db, what, change):
    meeting = _add(db, datetime(2027, 1, 11, 10, tzinfo=PARIS))
    assert _sequence(db, meeting.id) == (0, 0)
    before = datetime.now(UTC)
    change(db, meeting.id)
    after = store.get_meeting(db, meeting.id)
    expected = 2 if what == "raw restore" else 1  # cancelled, then restored: two changes
    assert _sequence(db, meeting.id) == (expected, expected), what
    # no clock given: the database's, which is now (to the second, as iCalendar writes it)
    assert (
        before - timedelta(seconds=1)
        <= after.updated_at
        <= datetime.now(UTC) + timedelta(seconds=1)
    )
    stamp = _icalendar_event(db, meeting.id).decoded("LAST-MODIFIED")
    assert stamp == after.updated_at.replace(microsecond=0)
    assert _icalendar_event(db, meeting.id).decoded("DTSTAMP") == stamp
    assert _vobject_event(db, meeting.id).last_modified.value == stamp


def test_moving_a_session_bumps_sequence_and_stamps_it_with_the_callers_clock(db):
    meeting = _add(db, datetime(2027, 1, 11, 10, tzinfo=PARIS))
    moved_at = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    domain.move_session(db, meeting.id, "12 janvier 2027 14h", now=moved_at, tz=PARIS, lang="fr")
    domain.move_session(db, meeting.id, "13 janvier 2027 14h", now=moved_at + timedelta(hours=1), tz=PARIS, lang="fr")  # fmt: skip
    event = _icalendar_event(db, meeting.id)
    assert int(event["SEQUENCE"]) == 2
    assert event.decoded("LAST-MODIFIED") == moved_at + timedelta(hours=1)
    assert event.decoded("DTSTAMP") == moved_at + timedelta(hours=1)


def test_changes_that_calendars_do_not_show_leave_sequence_alone(db):
    meeting = _add(db, datetime(2027, 1, 11, 10, tzinfo=PARIS))
    store.update_meeting(db, meeting.id, announced_ts="1764230400.000100")
    store.update_meeting(db, meeting.id, reminder_offsets="1d")
    store.update_meeting(db, meeting.id, place="Lyon", title="Temps de travail")  # same values
    assert _sequence(db, meeting.id) == (0, 0)


def test_agenda_points_move_last_modified_but_not_sequence(db):
    meeting = _add(db, datetime(2027, 1, 11, 10, tzinfo=PARIS))
    stamps = [_icalendar_event(db, meeting.id).decoded("LAST-MODIFIED")]
    assert stamps[0] == CREATED
    point = store.add_agenda_point(db, meeting.id, "Mutualiser la veille")
    stamps.append(store.get_meeting(db, meeting.id).updated_at)
    db.execute(
        "UPDATE agenda_points SET text = 'Mutualiser la veille (suite)' WHERE id = ?", [point.id]
    )
    stamps.append(store.get_meeting(db, meeting.id).updated_at)
    db.execute("DELETE FROM agenda_points WHERE id = ?", [point.id])
    stamps.append(store.get_meeting(db, meeting.id).updated_at)
    assert stamps[1] > CREATED
    assert stamps == sorted(stamps)
    assert abs(datetime.now(UTC) - stamps[-1]) < timedelta(minutes=5)
    assert _sequence(db, meeting.id) == (0, 0)
    assert _icalendar_event(db, meeting.id).decoded("LAST-MODIFIED") == stamps[-1].replace(
        microsecond=0
    )


def test_agenda_is_the_description_and_url_leads_back_to_slack_for_both_readers(db):
    meeting = _add(db, datetime(2027, 1, 11, 10, tzinfo=PARIS))
    domain.add_agenda_point(db, meeting.id, "Mutualiser la veille", "fr")
    domain.add_agenda_point(db, meeting.id, "Semaine de la solidarité internationale", "fr")
    store.update_meeting(db, meeting.id, announced_ts="1764230400.000100")
    link = "https://slack.com/app_redirect?channel=CVEILLE&message_ts=1764230400.000100"
    assert slack_link("CVEILLE", "1764230400.000100") == link
    event, other = _icalendar_event(db, meeting.id), _vobject_event(db, meeting.id)
    description = "1. Mutualiser la veille\n2. Semaine de la solidarité internationale"
    assert str(event["DESCRIPTION"]) == other.description.value == description
    assert str(event["URL"]) == other.url.value == link


def test_a_session_never_announced_has_no_url(db):
    meeting = _add(db, datetime(2027, 1, 11, 10, tzinfo=PARIS))
    assert "URL" not in _icalendar_event(db, meeting.id)


def test_a_session_inserted_without_a_stamp_gets_one_from_the_trigger(db):
    # created by a writer that does not know the column: the insert trigger stamps the row
    db.execute(
        "INSERT INTO meetings (title, starts_at, created_at, rescheduled_at)"
        " VALUES ('Ancienne', '2027-01-11T09:00:00+00:00', '2026-01-01T08:00:00+00:00',"
        " '2026-02-01T08:00:00+00:00')"
    )
    (meeting_id,) = db.execute("SELECT max(id) FROM meetings").fetchone()
    assert store.get_meeting(db, meeting_id).updated_at == datetime(2026, 2, 1, 8, tzinfo=UTC)
    assert _sequence(db, meeting_id) == (0, 0)
