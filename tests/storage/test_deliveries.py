"""The delivery ledger stays small: records past Slack's retry window are purged by a job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import features
from bot.core.runtime import Runtime
from bot.housekeeping import PURGE_JOB_ID, purge_old_deliveries
from storage.db import connect
from storage.deliveries import claim_delivery

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def test_old_deliveries_are_purged_and_recent_ones_still_block_duplicates(config):
    assert PURGE_JOB_ID in {job.id for job in features.jobs()}
    with connect(config.db_path) as db:
        claim_delivery(db, "event:old", NOW - timedelta(days=3))
        claim_delivery(db, "event:recent", NOW - timedelta(hours=1))
    purge_old_deliveries(Runtime(config=config, messenger=None, clock=lambda: NOW))
    with connect(config.db_path) as db:
        keys = [row[0] for row in db.execute("SELECT event_key FROM slack_events_seen")]
        assert keys == ["event:recent"]
        assert claim_delivery(db, "event:recent", NOW) is False
        assert claim_delivery(db, "event:old", NOW) is True
