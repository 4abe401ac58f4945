"""Reminders: exactly once, late after downtime, never for cancelled or moved times (checklist D)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bot.core.config import Config
from bot.core.messenger import MessengerError
from bot.core.reply import UserError
from bot.core.runtime import Runtime
from bot.meetings import sessions as domain
from bot.meetings.delivery import send_due_reminders
from bot.meetings.jobs import send_reminders
from bot.meetings.reminders import parse_offsets
from storage.db import connect
from tests.meetings.helpers import make_session, sent_log_statuses

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # lundi 11 janvier 2027, 10 h 00 à Paris
AGENDA = ("Mutualisation de la veille", "Représentations de la SI", "Outils de suivi", "SSI")


def tick(db_path, messenger, now):
    return send_due_reminders(db_path, messenger, now=now, tz="Europe/Paris")


def test_reminders_fire_once_at_each_default_offset_with_the_agenda(db_path, messenger) -> None:
    make_session(db_path, START, agenda=AGENDA)
    for due in (START - timedelta(days=7), START - timedelta(days=1), START - timedelta(hours=1)):
        tick(db_path, messenger, due - timedelta(seconds=30))
        tick(db_path, messenger, due)
        tick(db_path, messenger, due + timedelta(seconds=30))
    assert len(messenger.posts) == 3
    assert all("lundi 11 janvier 2027 à 10 h 00" in p["text"] for p in messenger.posts)
    assert all("en retard" not in p["text"] for p in messenger.posts)
    body = messenger.posts[0]["blocks"][0]["text"]["text"]
    assert "1. Mutualisation de la veille" in body
    assert "4. SSI" in body


def test_r2_restart_during_the_window_sends_once_marked_late(db_path, messenger) -> None:
    make_session(db_path, START, offsets="1h")
    due = START - timedelta(hours=1)
    runtime = Runtime(Config(db_path=str(db_path)), messenger, lambda: datetime.now(UTC))
    with time_machine.travel(due - timedelta(seconds=10), tick=False):
        send_reminders(runtime)  # last tick before the process went down
    assert messenger.posts == []
    before = 0
    with time_machine.travel(due + timedelta(minutes=5, seconds=1), tick=False):
        send_reminders(runtime)  # restart
        send_reminders(runtime)
    late = messenger.posts[before:]
    assert len(late) == 1
    assert "(en retard)" in late[0]["text"]


def test_r2_downtime_past_the_start_skips_with_a_log_line(db_path, messenger, caplog) -> None:
    make_session(db_path, START, offsets="1h")
    caplog.set_level(logging.WARNING, logger="veilleur.reminders")
    tick(db_path, messenger, START - timedelta(hours=1, seconds=10))
    tick(db_path, messenger, START + timedelta(minutes=5))
    tick(db_path, messenger, START + timedelta(minutes=6))
    assert messenger.posts == []
    assert sent_log_statuses(db_path) == [("1h", "skipped", 0)]
    assert caplog.text.count("skipped: session already started") == 1


def test_r2_after_long_downtime_only_the_latest_overdue_reminder_is_sent(
    db_path, messenger
) -> None:
    make_session(db_path, START)
    tick(db_path, messenger, START - timedelta(minutes=30))
    assert len(messenger.posts) == 1
    assert "(en retard)" in messenger.posts[0]["text"]
    assert sorted(sent_log_statuses(db_path)) == [
        ("1d", "skipped", 0), ("1h", "sent", 1), ("7d", "skipped", 0),
    ]  # fmt: skip


def test_r4_cancelled_session_gets_no_reminder(db_path, messenger) -> None:
    meeting = make_session(db_path, START, offsets="1h")
    with connect(db_path) as db:
        domain.cancel_session(db, meeting.id, "fr")
    tick(db_path, messenger, START - timedelta(hours=1))
    tick(db_path, messenger, START - timedelta(minutes=10))
    assert messenger.posts == []


def test_r4_cancelled_while_a_retry_is_pending_is_not_sent(db_path, messenger) -> None:
    meeting = make_session(db_path, START, offsets="1h")
    messenger.failures = [MessengerError("http_500")]
    tick(db_path, messenger, START - timedelta(hours=1))
    with connect(db_path) as db:
        domain.cancel_session(db, meeting.id, "fr")
    tick(db_path, messenger, START - timedelta(minutes=50))
    assert messenger.posts == []
    assert sent_log_statuses(db_path) == [("1h", "skipped", 1)]


def test_r4_moved_session_nothing_at_old_times_one_at_each_new_offset(db_path, messenger) -> None:
    meeting = make_session(db_path, START, offsets="1d 1h")
    tick(db_path, messenger, START - timedelta(days=1))
    assert len(messenger.posts) == 1
    with connect(db_path) as db:
        domain.move_session(
            db, meeting.id, "11 janvier 2027 11h", now=START - timedelta(hours=2),
            tz="Europe/Paris", lang="fr",
        )  # fmt: skip
    tick(db_path, messenger, START - timedelta(hours=1))  # old 1h time
    assert len(messenger.posts) == 1
    tick(db_path, messenger, START)  # new 1h time
    tick(db_path, messenger, START + timedelta(minutes=1))
    assert len(messenger.posts) == 2
    assert "11 h 00" in messenger.posts[1]["text"]
    assert "(en retard)" not in messenger.posts[1]["text"]


def test_r4_session_created_after_its_reminder_times_gets_only_later_ones(
    db_path, messenger
) -> None:
    make_session(db_path, START, created=START - timedelta(hours=3))
    for minutes in range(0, 181, 5):
        tick(db_path, messenger, START - timedelta(hours=3) + timedelta(minutes=minutes))
    assert len(messenger.posts) == 1  # the 1h one; 7d and 1d were past at creation
    assert "(en retard)" not in messenger.posts[0]["text"]


def test_r4_past_session_is_refused_at_creation() -> None:
    with pytest.raises(UserError, match="passée"):
        domain.parse_session_request(
            "Point d'étape 26 novembre 2026 10h", now=START, tz="Europe/Paris"
        )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2j 1h", "2d 1h"), ("1h 7j 1j", "7d 1d 1h"), ("30min", "30m"), ("1 sem", "1w")],
)
def test_per_session_reminder_offsets_are_understood(typed: str, stored: str) -> None:
    assert parse_offsets(typed) == stored


@pytest.mark.parametrize("typed", ["bientôt", "2x", "0h", ""])
def test_bad_reminder_offsets_get_a_french_error(typed: str) -> None:
    with pytest.raises(UserError, match="par exemple « rappels 7j 1j 1h »"):
        parse_offsets(typed)
