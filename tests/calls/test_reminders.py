"""Deadline reminders: J-7 and J-1 at 09:00 Paris, once each, across restarts and moves."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.calls.reminders import send_due_deadline_reminders
from bot.core.messenger import MessengerError
from storage import calls as call_store
from storage import claims
from storage import reminders as sent_log
from storage.db import connect
from tests.calls.conftest import ROOT
from tests.fakes import RecordingMessenger
from tests.items.conftest import insert_item
from tests.meetings.reminder_process import read_posts

PARIS = ZoneInfo("Europe/Paris")
SET_AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
DEADLINE = date(2027, 1, 15)


def paris(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def with_deadline(db, day: date = DEADLINE, owner: str | None = None, status: str = "open"):
    item = insert_item(db, "Appel à projets Jeunesse 2027", first_seen_at=SET_AT, owner=owner,
                       status=status)  # fmt: skip
    call_store.set_deadline(db, item, day, "U1", SET_AT)
    return item


def tick(db_path, messenger, now):
    return send_due_deadline_reminders(db_path, messenger, now=now, tz="Europe/Paris")


def run_process(db_path: str, out, now: datetime) -> None:
    """Run one tick in a fresh process: nothing is remembered but the database."""
    subprocess.run(
        [sys.executable, "-m", "tests.calls.deadline_process", db_path, str(out), now.isoformat()],
        cwd=ROOT, check=True, timeout=60,
    )  # fmt: skip


def test_j7_and_j1_at_nine_in_the_channel_exactly_once_across_restarts(db, db_path, tmp_path):
    item = with_deadline(db)
    out = tmp_path / "posts.jsonl"
    moments = [paris(8, 8, 59), paris(8, 9, 0), paris(8, 9, 1), paris(10, 12), paris(14, 9, 0),
               paris(14, 9, 0), paris(15, 9, 0), paris(16, 9, 0)]  # fmt: skip
    for moment in moments:
        run_process(db_path, out, moment)
    posts = read_posts(out)
    assert [post["channel"] for post in posts] == ["CVEILLE", "CVEILLE"]
    assert "dans 7 jours" in posts[0]["text"]
    assert "vendredi 15 janvier 2027" in posts[0]["text"]
    assert "demain" in posts[1]["text"]
    assert f"#{item}" in posts[1]["text"]
    rows = sent_log.list_rows(db, "deadline")
    assert [(row.key.offset_key, row.status) for row in rows] == [("7d", "sent"), ("1d", "sent")]
    assert rows[0].key.due_at == paris(8, 9, 0)  # 09:00 Paris is 08:00 UTC in winter


def test_the_owner_gets_them_by_direct_message(db, db_path):
    with_deadline(db, owner="U2")
    messenger = RecordingMessenger()
    tick(db_path, messenger, paris(8, 9, 0))
    assert [dm["user"] for dm in messenger.dms] == ["U2"]
    assert messenger.posts == []


def test_a_moved_deadline_gets_new_reminders_and_the_old_ones_never_fire(db, db_path):
    item = with_deadline(db)
    messenger = RecordingMessenger()
    tick(db_path, messenger, paris(8, 9, 0))  # J-7 of the 15th
    call_store.set_deadline(db, item, date(2027, 1, 22), "U1", paris(9, 10))
    for moment in (paris(14, 9, 0), paris(15, 9, 0), paris(15, 9, 5), paris(21, 9, 0)):
        tick(db_path, messenger, moment)
    texts = [post["text"] for post in messenger.posts]
    assert len(texts) == 3
    assert "15 janvier" in texts[0]
    assert "22 janvier" in texts[1]
    assert "22 janvier" in texts[2]
    assert "dans 7 jours" in texts[1]
    assert "demain" in texts[2]


def test_nothing_for_done_or_dismissed_items(db, db_path):
    done = with_deadline(db)
    dismissed = with_deadline(db)
    assert claims.close(db, done, "U1", "done", SET_AT, as_admin=True)
    assert claims.close(db, dismissed, "U1", "dismissed", SET_AT, as_admin=True)
    messenger = RecordingMessenger()
    for moment in (paris(8, 9, 0), paris(14, 9, 0)):
        tick(db_path, messenger, moment)
    assert messenger.posts == []
    assert messenger.dms == []


def test_a_deadline_set_after_its_j7_gets_only_the_j1(db, db_path):
    item = insert_item(db, "Appel à projets", first_seen_at=SET_AT)
    call_store.set_deadline(db, item, DEADLINE, "U1", paris(10, 15))
    messenger = RecordingMessenger()
    for moment in (paris(10, 15, 1), paris(11, 9, 0), paris(14, 9, 0)):
        tick(db_path, messenger, moment)
    assert len(messenger.posts) == 1
    assert "demain" in messenger.posts[0]["text"]


def test_after_downtime_only_the_latest_is_sent_and_it_counts_the_days_left(db, db_path):
    with_deadline(db)
    messenger = RecordingMessenger()
    tick(db_path, messenger, paris(14, 11, 0))  # down since before J-7
    assert len(messenger.posts) == 1
    assert "demain" in messenger.posts[0]["text"]
    assert {row.status for row in sent_log.list_rows(db, "deadline")} == {"sent", "skipped"}


def test_a_removed_deadline_is_not_reminded(db, db_path):
    item = with_deadline(db)
    call_store.clear_deadline(db, item, "U1", paris(7, 12))
    messenger = RecordingMessenger()
    tick(db_path, messenger, paris(8, 9, 0))
    assert messenger.posts == []


def test_a_transient_failure_is_retried_then_sent_once(db, db_path):
    with_deadline(db)
    messenger = RecordingMessenger(failures=[MessengerError("ratelimited", retry_after=1)])
    tick(db_path, messenger, paris(8, 9, 0))
    assert messenger.posts == []
    for minute in (2, 3, 4):
        tick(db_path, messenger, paris(8, 9, minute))
    assert len(messenger.posts) == 1


def test_session_reminders_do_not_take_deadline_rows_for_their_own(db, db_path):
    from bot.meetings.delivery import send_due_reminders

    with_deadline(db)
    messenger = RecordingMessenger(failures=[MessengerError("ratelimited", retry_after=1)])
    tick(db_path, messenger, paris(8, 9, 0))  # left pending for a retry
    report = send_due_reminders(db_path, RecordingMessenger(), now=paris(8, 9, 10))
    assert report.skipped == []
    assert report.sent == []
    with connect(db_path) as again:
        assert [row.status for row in sent_log.list_rows(again, "deadline")] == ["pending"]
