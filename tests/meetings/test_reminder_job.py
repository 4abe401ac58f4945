"""The send_reminders job: stable id, own executor (R7), decision DMs, escaped text (M2)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot import features
from bot.core.config import Config
from bot.core.feature import Job
from bot.core.runtime import Runtime
from bot.meetings.delivery import send_due_reminders
from bot.meetings.jobs import JOB_ID
from bot.meetings.render import render_decision_line
from bot.scheduler import start_scheduler
from storage import decisions
from storage.db import connect
from tests.meetings.helpers import CREATED, make_session

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def _runtime(db_path, messenger, clock=None) -> Runtime:
    return Runtime(Config(db_path=str(db_path)), messenger, clock or (lambda: datetime.now(UTC)))


def test_r3_reminder_job_has_a_stable_id_its_own_executor_and_no_overlap(
    db_path, messenger
) -> None:
    scheduler = start_scheduler(_runtime(db_path, messenger), features.jobs())
    try:
        job = scheduler.get_job(JOB_ID)
        assert (job.executor, job.max_instances, job.coalesce) == ("reminders", 1, True)
        assert job.misfire_grace_time is None
        assert (
            start_scheduler(_runtime(db_path, messenger), features.jobs()) is None
        )  # a second process follows
    finally:
        scheduler.shutdown(wait=False)
        scheduler.lock.release()


def test_r7_reminder_goes_out_while_slow_feed_polls_fill_the_default_pool(
    db_path, messenger, monkeypatch
) -> None:
    now = datetime.now(UTC)
    make_session(db_path, now + timedelta(hours=1), offsets="1h", created=now - timedelta(days=1))
    release, started = threading.Event(), threading.Semaphore(0)

    def slow_poll(runtime) -> None:
        started.release()
        release.wait(20)

    reminders = next(job for job in features.jobs() if job.id == JOB_ID)
    jobs = [replace(reminders, seconds=1)]
    for n in range(4):  # as many as the default pool has threads: it is saturated
        jobs.append(Job(f"poll_{n}", slow_poll, seconds=0.2))
    scheduler = start_scheduler(_runtime(db_path, messenger), jobs)
    try:
        for _ in range(4):
            assert started.acquire(timeout=5)  # every default worker is now stuck
        deadline = time.monotonic() + 10
        while not messenger.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(messenger.posts) == 1
    finally:
        release.set()
        scheduler.shutdown(wait=True)
        scheduler.lock.release()


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
