"""Reminders under DST changes, Slack failures, crashes and concurrency (checklist D: R1 R3 R5 R6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.messenger import MessengerError
from bot.core.reply import UserError
from bot.meetings import sessions as domain
from bot.meetings.delivery import STALE_AFTER, send_due_reminders
from storage import reminders as sent_log
from storage.db import connect
from tests.fakes import RecordingMessenger
from tests.meetings.helpers import make_session, sent_log_statuses
from tests.together import run_together

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def tick(db_path, messenger, now):
    return send_due_reminders(db_path, messenger, now=now, tz="Europe/Paris")


def walk(db_path, messenger, start: datetime, end: datetime, step=timedelta(minutes=10)) -> list:
    """Tick every ``step`` from start to end; return the local times at which posts appeared."""
    fired, now = [], start
    while now <= end:
        before = len(messenger.posts)
        tick(db_path, messenger, now)
        fired += [now.astimezone(PARIS).isoformat()] * (len(messenger.posts) - before)
        now += step
    return fired


def test_r5_session_at_0230_on_spring_forward_day_is_refused_with_a_prompt() -> None:
    with pytest.raises(UserError, match="heure d'été"):
        domain.parse_session_request(
            "Point matinal 28 mars 2027 2h30 à Lyon", now=START, tz="Europe/Paris"
        )


def test_r5_spring_forward_day_reminders_fire_once_each(db_path, messenger) -> None:
    # 03:30 CEST on Sunday 28 March 2027, the morning clocks jump from 02:00 to 03:00.
    starts = datetime(2027, 3, 28, 3, 30, tzinfo=PARIS).astimezone(UTC)
    make_session(db_path, starts, offsets="1d 2h 1h")
    fired = walk(db_path, messenger, starts - timedelta(days=1, hours=1), starts)
    assert fired == [
        "2027-03-27T03:30:00+01:00",  # 1d: same wall-clock time the day before
        "2027-03-28T00:30:00+01:00",  # 2h: two real hours before
        "2027-03-28T01:30:00+01:00",  # 1h
    ]


def test_r5_reminders_across_the_autumn_change_fire_once_each(db_path, messenger) -> None:
    # Sunday 31 October 2027: clocks go back from 03:00 CEST to 02:00 CET.
    morning = datetime(2027, 10, 31, 10, 0, tzinfo=PARIS).astimezone(UTC)
    make_session(db_path, morning, offsets="1d 1h", title="Bilan SSI")
    # 02:30 happens twice; the second one (+01:00) is chosen explicitly.
    with connect(db_path) as db:
        request = domain.parse_session_request(
            "Veille de nuit 2027-10-31 02:30+01:00 rappels 1h", now=START, tz="Europe/Paris"
        )
        domain.add_session(db, request, channel_id="C2", user_id="U1", now=START)
    fired = walk(db_path, messenger, morning - timedelta(days=1, hours=2), morning)
    assert fired == [
        "2027-10-30T10:00:00+02:00",  # 1d of the 10:00 session: 10:00 the day before (25 h)
        "2027-10-31T02:30:00+02:00",  # 1h of the second 02:30: the first 02:30
        "2027-10-31T09:00:00+01:00",  # 1h of the 10:00 session
    ]


def test_r6_slack_429_then_500_then_ok_sends_exactly_one_message(db_path, messenger) -> None:
    make_session(db_path, START, offsets="1h")
    due = START - timedelta(hours=1)
    messenger.failures = [MessengerError("ratelimited", retry_after=40), MessengerError("http_500")]
    tick(db_path, messenger, due)
    assert sent_log_statuses(db_path) == [("1h", "pending", 1)]
    tick(db_path, messenger, due + timedelta(seconds=30))  # Retry-After (40 s) not over yet
    assert messenger.failures[0].code == "http_500"
    tick(db_path, messenger, due + timedelta(seconds=45))
    assert sent_log_statuses(db_path) == [("1h", "pending", 2)]
    tick(db_path, messenger, due + timedelta(minutes=3))
    tick(db_path, messenger, due + timedelta(minutes=4))
    assert sent_log_statuses(db_path) == [("1h", "sent", 3)]
    assert len(messenger.posts) == 1
    assert "(en retard)" not in messenger.posts[0]["text"]


def test_o5_permanent_channel_error_is_not_retried(db_path, messenger) -> None:
    make_session(db_path, START, offsets="1h")
    messenger.failures = [MessengerError("not_in_channel")]
    tick(db_path, messenger, START - timedelta(hours=1))
    tick(db_path, messenger, START - timedelta(minutes=50))
    assert sent_log_statuses(db_path) == [("1h", "failed", 1)]
    assert messenger.posts == []
    assert [dm["user"] for dm in messenger.dms] == ["U1"]  # the organiser, with the fix
    assert "/invite @Veilleur" in messenger.dms[0]["text"]


def _claim_then_crash(db_path, due: datetime, posted: bool, messenger) -> None:
    """Simulate a process killed after claiming (and maybe after Slack stored the post)."""
    with connect(db_path) as db:
        meeting = domain.get_session(db, 1, "fr")
        from bot.meetings.reminders import session_keys

        key = session_keys(meeting, PARIS)[0]
        assert sent_log.claim(db, key, due) is not None
    if posted:
        messenger.post(
            "C1", "rappel", metadata={"event_type": "veilleur_reminder",
                                      "event_payload": {"reminder_key": key.as_text()}},
        )  # fmt: skip


@pytest.mark.parametrize("posted", [True, False], ids=["post-stored", "post-lost"])
def test_r1_crash_in_flight_is_reconciled_from_channel_history(db_path, messenger, posted) -> None:
    make_session(db_path, START, offsets="1h")
    due = START - timedelta(hours=1)
    _claim_then_crash(db_path, due, posted, messenger)
    tick(db_path, messenger, due + timedelta(minutes=1))  # still in flight for all we know
    assert sent_log_statuses(db_path)[0][1] == "sending"
    tick(db_path, messenger, due + STALE_AFTER + timedelta(minutes=1))
    assert len(messenger.posts) == 1  # never lost, never doubled
    assert sent_log_statuses(db_path)[0][1] == "sent"
    assert len(messenger.lookups) >= 1


def test_r3_two_workers_with_separate_connections_never_double_send(db_path) -> None:
    for n in range(15):
        make_session(db_path, START + timedelta(minutes=n), offsets="1h", channel=f"C{n}")
    messenger = RecordingMessenger()
    now = START + timedelta(minutes=20) - timedelta(hours=1)
    run_together(lambda: tick(db_path, messenger, now))
    channels = [post["channel"] for post in messenger.posts]
    assert sorted(channels) == sorted(f"C{n}" for n in range(15))


def test_o6_revoked_token_at_reminder_time_is_retried_not_dropped(db_path, messenger) -> None:
    make_session(db_path, START, offsets="1h")
    messenger.failures = [MessengerError("token_revoked")]
    tick(db_path, messenger, START - timedelta(hours=1))
    assert sent_log_statuses(db_path) == [("1h", "pending", 1)]
    tick(db_path, messenger, START - timedelta(minutes=50))
    assert len(messenger.posts) == 1
