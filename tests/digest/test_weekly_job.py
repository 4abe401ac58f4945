"""The weekly_digest job: Monday 09:00 Europe/Paris, exactly once per week, whatever happens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot import features
from bot.core.config import Config
from bot.core.messenger import MessengerError
from bot.core.runtime import Runtime
from bot.digest.job import JOB_ID, STALE_AFTER, post_weekly_digest, send_weekly_digest, week_key
from bot.meetings.delivery import send_due_reminders
from storage import reminders as sent_log
from storage.db import connect
from tests.digest.conftest import NOW
from tests.fakes import RecordingMessenger
from tests.together import run_together

PARIS = ZoneInfo("Europe/Paris")
DIGEST_CHANNEL = "CDIGEST"
EARLIER_WEEK = 202701  # seed_week records it: the bot ran before, its first start posts nothing


def _runtime(db_path, messenger, channel=DIGEST_CHANNEL) -> Runtime:
    config = Config(db_path=str(db_path), digest_channel=channel)
    return Runtime(config, messenger, lambda: datetime.now(UTC))


def tick(db_path, messenger, now: datetime) -> str | None:
    return post_weekly_digest(
        db_path, messenger, DIGEST_CHANNEL, now=now, lang="fr", tz="Europe/Paris"
    )


def digest_rows(db_path) -> list[tuple[int, str, int]]:
    """Return the digest rows of the weeks the test ran (not last week's, seeded as sent)."""
    with connect(db_path) as db:
        rows = sent_log.list_rows(db, "digest")
    return [(r.key.ref_id, r.status, r.attempts) for r in rows if r.key.ref_id > EARLIER_WEEK]


@pytest.mark.parametrize(
    ("now", "ref_id", "due"),
    [
        (NOW, 202702, NOW),  # winter: 09:00 Paris is 08:00 UTC
        (datetime(2027, 1, 10, 22, 30, tzinfo=UTC), 202701, datetime(2027, 1, 4, 8, tzinfo=UTC)),
        (datetime(2027, 7, 7, 12, tzinfo=UTC), 202727, datetime(2027, 7, 5, 7, tzinfo=UTC)),
        (datetime(2027, 1, 1, 12, tzinfo=UTC), 202653, datetime(2026, 12, 28, 8, tzinfo=UTC)),
    ],
    ids=["monday-winter", "sunday-night-is-last-week", "summer-time", "iso-week-53"],
)
def test_week_key_is_that_weeks_monday_at_0900_in_paris(now, ref_id, due):
    key = week_key(now, PARIS)
    assert (key.kind, key.ref_id, key.offset_key, key.due_at) == ("digest", ref_id, "weekly", due)


def test_the_job_is_listed_in_the_table_of_contents_with_a_stable_id():
    assert {job.id: job.run for job in features.jobs()}[JOB_ID] is send_weekly_digest


def test_digest_is_posted_on_monday_at_0900_not_before_and_not_twice_after_a_restart(
    db_path, seeded, messenger
):
    with time_machine.travel(NOW - timedelta(minutes=1), tick=False):
        assert send_weekly_digest(_runtime(db_path, messenger)) is None
    assert messenger.posts == []
    with time_machine.travel(NOW, tick=False):
        assert send_weekly_digest(_runtime(db_path, messenger)) is not None
    [post] = messenger.posts
    assert post["channel"] == DIGEST_CHANNEL
    assert post["text"].startswith("Résumé de la veille du lundi 4 janvier 2027")
    assert post["metadata"]["event_payload"]["digest_key"].startswith("digest:202702:weekly:")
    for later in (timedelta(minutes=1), timedelta(hours=3), timedelta(days=6, hours=15)):
        with time_machine.travel(NOW + later, tick=False):
            restarted = _runtime(db_path, messenger)  # a new process on the same database
            assert send_weekly_digest(restarted) is None
    assert len(messenger.posts) == 1
    assert digest_rows(db_path) == [(202702, "sent", 1)]


def test_late_after_downtime_within_the_week_is_sent_once_then_next_monday_again(
    db_path, seeded, messenger
):
    wednesday = NOW + timedelta(days=2, hours=6)
    for now in (wednesday, wednesday + timedelta(days=1), NOW + timedelta(days=7, minutes=-1)):
        with time_machine.travel(now, tick=False):
            send_weekly_digest(_runtime(db_path, messenger))
    assert len(messenger.posts) == 1
    assert "du mercredi 6 janvier 2027 au mercredi 13 janvier 2027" in messenger.posts[0]["text"]
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        send_weekly_digest(_runtime(db_path, messenger))
    assert [ref for ref, _, _ in digest_rows(db_path)] == [202702, 202703]
    assert len(messenger.posts) == 2


def test_no_digest_channel_means_no_digest(db_path, messenger):
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert send_weekly_digest(_runtime(db_path, messenger, channel="")) is None
    assert messenger.posts == []
    assert digest_rows(db_path) == []


def test_r3_two_workers_with_separate_connections_post_one_digest(db_path, seeded):
    messenger = RecordingMessenger()
    for week in range(5):
        now = NOW + timedelta(days=7 * week, minutes=1)
        run_together(lambda now=now: tick(db_path, messenger, now))
    assert len(messenger.posts) == 5
    assert [status for _, status, _ in digest_rows(db_path)] == ["sent"] * 5


def test_r6_slack_429_then_ok_posts_one_digest_and_the_reminders_tick_leaves_it_alone(
    db_path, ran_before, messenger
):
    messenger.failures = [MessengerError("ratelimited", retry_after=30)]
    assert tick(db_path, messenger, NOW) is None
    assert digest_rows(db_path) == [(202702, "pending", 1)]
    # the reminders job shares the sent-log: it must not take the digest for a lost reminder
    send_due_reminders(db_path, messenger, now=NOW + timedelta(seconds=40))
    assert digest_rows(db_path) == [(202702, "pending", 1)]
    assert tick(db_path, messenger, NOW + timedelta(seconds=10)) is None  # Retry-After not over
    assert tick(db_path, messenger, NOW + timedelta(seconds=40)) is not None
    assert tick(db_path, messenger, NOW + timedelta(minutes=5)) is None
    assert len(messenger.posts) == 1
    assert digest_rows(db_path) == [(202702, "sent", 2)]
    assert len(messenger.lookups) == 1  # looked in the channel before posting again


def test_r1_crash_after_posting_is_reconciled_from_the_channel_not_posted_again(
    db_path, seeded, messenger
):
    key = week_key(NOW, PARIS)
    with connect(db_path) as db:
        sent_log.claim(db, key, NOW)  # claimed, posted, then the process died before mark_sent
    metadata = {"event_type": "veilleur_digest", "event_payload": {"digest_key": key.as_text()}}
    messenger.post(DIGEST_CHANNEL, "digest", metadata=metadata)
    assert tick(db_path, messenger, NOW + timedelta(minutes=1)) is None  # maybe still in flight
    assert tick(db_path, messenger, NOW + STALE_AFTER + timedelta(minutes=1)) is None
    assert len(messenger.posts) == 1
    assert digest_rows(db_path) == [(202702, "sent", 1)]


def test_r1_crash_before_posting_is_sent_once_after_the_stale_delay(db_path, seeded, messenger):
    with connect(db_path) as db:
        sent_log.claim(db, week_key(NOW, PARIS), NOW)  # claimed, then killed before posting
    tick(db_path, messenger, NOW + STALE_AFTER + timedelta(minutes=1))
    tick(db_path, messenger, NOW + STALE_AFTER + timedelta(minutes=2))
    assert len(messenger.posts) == 1
    assert digest_rows(db_path)[0][1] == "sent"


def test_o5_channel_that_does_not_exist_fails_once_and_is_not_retried(db_path, seeded, messenger):
    messenger.failures = [MessengerError("channel_not_found")]
    for minutes in (0, 5, 60):
        tick(db_path, messenger, NOW + timedelta(minutes=minutes))
    assert messenger.posts == []
    assert digest_rows(db_path) == [(202702, "failed", 1)]


def test_bot_not_in_the_channel_joins_it_and_posts(db_path, seeded, messenger):
    joined = []
    messenger.join = joined.append
    messenger.failures = [MessengerError("not_in_channel")]
    assert tick(db_path, messenger, NOW) is not None
    assert joined == [DIGEST_CHANNEL]
    assert len(messenger.posts) == 1


class StoredThenTimedOut(RecordingMessenger):
    """Slack stores the first post but the answer never reaches the bot (an ambiguous send).

    Posts get the ts of ``self.now`` and history look-ups honour ``oldest``, as Slack's do.
    """

    now: datetime = NOW

    def post(self, channel, text, blocks=None, *, thread_ts=None, metadata=None) -> str:
        super().post(channel, text, blocks, thread_ts=thread_ts, metadata=metadata)
        self.posts[-1]["ts"] = f"{self.now.timestamp():.6f}"
        if len(self.posts) == 1:
            raise MessengerError("timeout")
        return self.posts[-1]["ts"]

    def find_message_by_metadata(self, channel, event_type, key, value, oldest):
        found = super().find_message_by_metadata(channel, event_type, key, value, oldest)
        return found if found and float(found) >= float(oldest) else None


def test_o4_timeout_after_slack_stored_the_digest_is_not_posted_again(db_path, seeded):
    messenger = StoredThenTimedOut()
    messenger.now = NOW + timedelta(minutes=3)
    assert tick(db_path, messenger, messenger.now) is None
    assert digest_rows(db_path) == [(202702, "pending", 1)]
    messenger.now = NOW + timedelta(minutes=10)
    tick(db_path, messenger, messenger.now)  # the retry looks in the channel first
    assert len(messenger.posts) == 1
    assert digest_rows(db_path) == [(202702, "sent", 2)]
