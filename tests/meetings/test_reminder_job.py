"""The send_reminders job: stable id, own executor (R7), decision DMs, escaped text (M2)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from bot.reminder_delivery import send_due_reminders
from bot.reminder_job import JOB_ID, register_reminder_job
from bot.render.meetings import render_decision_line
from storage import decisions
from storage.db import connect
from tests.meetings.helpers import CREATED, make_session

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def test_r3_registering_the_job_on_every_restart_keeps_one_job(db_path, messenger) -> None:
    scheduler = BackgroundScheduler(timezone="UTC")
    for _ in range(3):
        register_reminder_job(scheduler, db_path, lambda: messenger)
    jobs = scheduler.get_jobs()
    assert [job.id for job in jobs] == [JOB_ID]
    assert (jobs[0].max_instances, jobs[0].coalesce, jobs[0].executor) == (1, True, "reminders")


def test_r7_reminder_goes_out_while_slow_feed_polls_fill_the_default_pool(
    db_path, messenger
) -> None:
    now = datetime.now(UTC)
    make_session(db_path, now + timedelta(hours=1), offsets="1h", created=now - timedelta(days=1))
    scheduler = BackgroundScheduler(
        timezone="UTC", executors={"default": ThreadPoolExecutor(max_workers=3)}
    )
    release = threading.Event()
    for n in range(3):  # slow feed polls occupying every default worker
        scheduler.add_job(release.wait, args=[20], id=f"poll_{n}", next_run_time=now)
    register_reminder_job(scheduler, db_path, lambda: messenger, seconds=1)
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while not messenger.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(messenger.posts) == 1
    finally:
        release.set()
        scheduler.shutdown(wait=True)


def _decision(db_path, due: date, owner: str | None = "U2", text: str = "Envoyer le bilan"):
    meeting = make_session(db_path, START, offsets="1h")
    with connect(db_path) as db:
        decision, _ = decisions.add_decision(
            db, meeting_id=meeting.id, text=text, owner=owner, due_date=due,
            created_by="U1", now=CREATED,
        )  # fmt: skip
    return decision


def test_decision_owner_gets_a_dm_two_days_before_and_on_the_day_once_each(
    db_path, messenger
) -> None:
    _decision(db_path, date(2027, 1, 20))
    day = datetime(2027, 1, 17, 23, 0, tzinfo=UTC)
    while day < datetime(2027, 1, 21, 0, 0, tzinfo=UTC):
        send_due_reminders(db_path, messenger, now=day)
        day += timedelta(hours=1)
    assert [dm["user"] for dm in messenger.dms] == ["U2", "U2"]
    assert "mercredi 20 janvier 2027" in messenger.dms[0]["text"]
    assert "aujourd'hui" in messenger.dms[1]["text"]


def test_done_decision_owner_gets_no_dm(db_path, messenger) -> None:
    decision = _decision(db_path, date(2027, 1, 20))
    with connect(db_path) as db:
        decisions.mark_done(db, decision.id, by="U2", now=CREATED)
    send_due_reminders(db_path, messenger, now=datetime(2027, 1, 18, 8, 0, tzinfo=UTC))
    send_due_reminders(db_path, messenger, now=datetime(2027, 1, 20, 8, 0, tzinfo=UTC))
    assert messenger.dms == []


def test_m2_hostile_decision_text_is_stored_raw_and_shown_escaped(db_path, messenger) -> None:
    hostile = "<!channel> <@U999> & <http://evil|bank.com> " + "x" * 10_000
    decision = _decision(db_path, date(2027, 1, 10), text=hostile)
    with connect(db_path) as db:
        assert decisions.get_decision(db, decision.id).text == hostile
    line = render_decision_line(decision)
    assert "<!" not in line
    assert "<@U999>" not in line
    assert "&lt;!channel&gt;" in line
    assert len(line) < 500
    send_due_reminders(db_path, messenger, now=START - timedelta(hours=1))
    body = messenger.posts[0]["blocks"][0]["text"]["text"]
    assert "&lt;!channel&gt;" in body
    assert "<!channel>" not in body
    assert "<http://evil" not in body


def test_m2_emoji_only_decision_is_shown_as_typed(db_path) -> None:
    decision = _decision(db_path, date(2027, 1, 10), text=":tada: :tada:")
    assert render_decision_line(decision).startswith(f"#{decision.id} :tada: :tada:")
