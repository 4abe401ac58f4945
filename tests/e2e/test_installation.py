"""O6 (token revoked / app uninstalled) and D5 (read-only database) through the HTTP endpoint."""

from __future__ import annotations

import logging
import time

import pytest

from bot.core.feature import Job
from bot.core.installation import is_revoked
from bot.scheduler import run_due_jobs


@pytest.fixture
def counting_job():
    runs: list[str] = []
    return runs, Job("test_counter", lambda runtime: runs.append("run"), seconds=60)


def revoke_events():
    return [
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UVEILLEUR"]}},
        {"type": "app_uninstalled"},
    ]


@pytest.mark.parametrize("order", ["tokens_first", "uninstall_first"])
def test_o6_revocation_events_in_any_order_twice_alert_once_and_stop_jobs(
    app_server, config, counting_job, caplog, order
):
    runs, job = counting_job
    events = revoke_events() if order == "tokens_first" else revoke_events()[::-1]
    with caplog.at_level(logging.ERROR, logger="bot.core.installation"):
        for index, event in enumerate(events * 2):
            assert app_server.event(event, event_id=f"Ev{order}{index}")[0] == 200
        deadline = time.monotonic() + 3
        while not is_revoked(config.db_path) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
    alerts = [r for r in caplog.records if "ALERT" in r.getMessage()]
    assert len(alerts) == 1
    app_server.slack.fail("auth.test", error="invalid_auth", times=1)
    run_due_jobs(app_server.runtime, [job])
    assert runs == []


def test_o6_invalid_auth_from_any_call_stops_jobs_and_reinstall_resumes(
    app_server, config, counting_job
):
    runs, job = counting_job
    app_server.slack.fail("chat.postMessage", error="token_revoked")
    with pytest.raises(Exception, match="token_revoked"):
        app_server.runtime.messenger.post("C1", "bonjour")
    assert is_revoked(config.db_path)
    app_server.slack.fail("auth.test", error="invalid_auth")
    run_due_jobs(app_server.runtime, [job])
    assert runs == []
    # re-installed: auth.test answers again, but the probe waits a few minutes between tries
    run_due_jobs(app_server.runtime, [job])
    assert runs == []
    app_server.runtime.clock.advance(__import__("datetime").timedelta(minutes=6))
    run_due_jobs(app_server.runtime, [job])
    assert runs == ["run"]
    assert not is_revoked(config.db_path)


def test_d5_read_only_database_keeps_acking(app_server, config, monkeypatch, caplog):
    import sqlite3

    from sqlite_utils import Database

    import storage.db

    # root ignores chmod, so open every connection read-only, as a read-only file would be
    def read_only(path, *, busy_timeout=storage.db.BUSY_TIMEOUT_SECONDS):
        return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))

    monkeypatch.setattr(storage.db, "open_database", read_only)
    storage.db.close_idle_connections()  # idle connections were opened read-write
    with caplog.at_level(logging.ERROR):
        status, _, seconds = app_server.command("/veille", "aide")
        assert app_server.slack.wait_for("response_url")
    assert status == 200
    assert seconds < 3
    assert any("readonly" in r.getMessage() for r in caplog.records)
