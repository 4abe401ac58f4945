"""Sessions, decisions, reminders and the calendar end to end: signed HTTP in, Web API stand-in out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import icalendar
import pytest

from bot.app import build_client
from bot.local.localslack import TEAM_ID
from bot.meetings.delivery import send_due_reminders
from handlers.slack_messenger import SlackMessenger
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage import reminders as sent_log
from storage.db import connect
from tests.conftest import start_app_server

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(config, slack_api):
    """The app on its HTTP endpoint with a fixed clock and a calendar token."""
    server_config = replace(config, ics_token="s3cret-ics")
    app_server, server = start_app_server(server_config, slack_api, clock=lambda: NOW)
    yield app_server
    server.close()


def _session(db_path: str, starts: datetime = START, channel: str = "C1") -> meeting_store.Meeting:
    with connect(db_path) as db:
        return meeting_store.add_meeting(
            db, title="Temps de travail", starts_at=starts, place="Lyon", channel_id=channel,
            created_by="U1", now=NOW - timedelta(days=30), reminder_offsets="1h",
        )  # fmt: skip


def _responses(slack_api, count: int = 1) -> list[dict]:
    return [call.params for call in slack_api.wait_for("response_url", count)]


def test_session_add_over_http_confirms_in_full_and_announces(served, slack_api) -> None:
    status, _, took = served.command(
        "/session", "ajouter Temps de travail 11 janvier 2027 10h à Lyon"
    )
    assert status == 200
    assert took < 3
    reply = _responses(slack_api)[0]
    assert "lundi 11 janvier 2027 à 10 h 00" in reply["text"]
    assert reply["response_type"] == "ephemeral"
    announce = slack_api.wait_for("chat.postMessage")[0].params
    assert announce["channel"] == "C1"
    assert "Nouvelle session" in announce["text"]


def test_session_date_error_over_http_is_french_with_an_example(served, slack_api) -> None:
    served.command("/session", "ajouter Réunion 28 mars 2027 2h30 à Lyon")
    text = _responses(slack_api)[0]["text"]
    assert "heure d'été" in text
    assert "par exemple" in text
    assert slack_api.calls_to("chat.postMessage") == []


def test_m2_decision_with_a_channel_mention_is_shown_escaped(served, slack_api, config) -> None:
    _session(config.db_path, starts=NOW - timedelta(hours=1))
    served.command("/decision", "<!channel> tout le monde doit relire <@U0BOB|bob>")
    reply = _responses(slack_api)[0]
    assert reply["response_type"] == "in_channel"
    assert "&lt;!channel&gt;" in reply["text"]
    assert "<!channel>" not in reply["text"]
    assert "<@U0BOB>" in reply["text"]  # the owner we parsed, rendered by us
    with connect(config.db_path) as db:
        assert decision_store.list_decisions(db)[0].text.startswith("<!channel>")


def _view_submission(callback_id: str, values: dict, token: str) -> dict:
    state = {}
    for block, value in values.items():
        key = {"owner": "selected_user", "due": "selected_date"}.get(block, "value")
        state[block] = {"value": {"type": "x", key: value}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID},
        "user": {"id": "U1"},
        "api_app_id": "A1",
        "view": {
            "id": "V123",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": json.dumps({"channel": "C1", "token": token}),
            "state": {"values": state},
        },
    }


def test_m1_decision_modal_delivered_twice_records_one_decision(served, slack_api, config) -> None:
    _session(config.db_path, starts=NOW - timedelta(hours=1))
    payload = _view_submission(
        "decision_add",
        {"text": "Mutualiser la veille", "owner": "U0BOB", "due": "2027-01-15"},
        "t1",
    )
    body = urlencode({"payload": json.dumps(payload)})
    stamp = int(time.time())
    assert served.post(body, timestamp=stamp)[0] == 200
    assert served.post(body, timestamp=stamp - 1)[0] == 200  # a new signature: not deduped by it
    with connect(config.db_path) as db:
        assert len(decision_store.list_decisions(db)) == 1
    posts = slack_api.wait_for("chat.postMessage", 1)
    time.sleep(0.2)
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert "Décision n° 1 notée" in posts[0].params["text"]


def test_session_modal_answers_field_errors(served, slack_api) -> None:
    payload = _view_submission("session_add", {"title": "Réunion", "when": "hier 10h"}, "t2")
    status, text, _ = served.post(urlencode({"payload": json.dumps(payload)}))
    assert status == 200
    answer = json.loads(text)
    assert answer["response_action"] == "errors"
    assert "passée" in answer["errors"]["when"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", 404), ("?token=wrong", 404), ("?token=s3cret-ics", 200)],
)
def test_calendar_ics_needs_the_right_token(served, config, query, expected) -> None:
    _session(config.db_path)
    status, text, _ = served.request("GET", "/calendar.ics" + query)
    assert status == expected
    if expected == 200:
        calendar = icalendar.Calendar.from_ical(text)
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == ["session-1@veilleur"]
    else:
        assert "VCALENDAR" not in text


def test_calendar_ics_is_404_when_no_token_is_configured(app_server) -> None:
    assert app_server.request("GET", "/calendar.ics?token=")[0] == 404


def test_r6_web_api_answers_429_then_500_then_ok_one_message(config, slack_api) -> None:
    _session(config.db_path)
    messenger = SlackMessenger(build_client(config, timeout=5))
    slack_api.fail("chat.postMessage", status=429, retry_after=1)
    slack_api.fail("chat.postMessage", status=500)
    due = START - timedelta(hours=1)
    send_due_reminders(config.db_path, messenger, now=due)
    with connect(config.db_path) as db:
        row = sent_log.list_rows(db)[0]
    assert (row.status, row.attempts) == ("pending", 1)
    send_due_reminders(config.db_path, messenger, now=due + timedelta(minutes=2))
    send_due_reminders(config.db_path, messenger, now=due + timedelta(minutes=3))
    assert len(slack_api.messages["C1"]) == 1
    assert "Rappel" in slack_api.messages["C1"][0]["text"]
    with connect(config.db_path) as db:
        assert sent_log.list_rows(db)[0].status == "sent"


def test_r1_sigkill_while_the_post_is_in_flight_then_restart_reconciles(config, slack_api) -> None:
    # Slack's message ts is the time of the post: the stand-in's clock is put at the due time so
    # that the history look-up's `oldest` (claim time - 1 min) covers it, as with Slack.
    due = datetime(2023, 11, 14, 22, 13, 0, tzinfo=UTC)
    slack_api.clock = lambda: due.timestamp() + 5
    _session(config.db_path, starts=due + timedelta(hours=1))
    with connect(config.db_path) as db:
        meeting_store.update_meeting(
            db, 1, created_at=due - timedelta(days=9), rescheduled_at=due - timedelta(days=9)
        )
    slack_api.fail("chat.postMessage", delay=3)  # Slack stores the post 3 s later
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.meetings.slack_reminder_process", config.db_path,
         slack_api.url, due.isoformat()],
        cwd=ROOT,
    )  # fmt: skip
    slack_api.wait_for("chat.postMessage", 1, timeout=15)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not slack_api.messages.get("C1") and time.monotonic() < deadline:
        time.sleep(0.05)  # the stand-in finishes storing after the client died
    messenger = SlackMessenger(build_client(config, timeout=5))
    send_due_reminders(config.db_path, messenger, now=due + timedelta(minutes=6))
    send_due_reminders(config.db_path, messenger, now=due + timedelta(minutes=7))
    assert len(slack_api.messages["C1"]) == 1  # not lost, not doubled
    assert len(slack_api.calls_to("conversations.history")) == 1
    with connect(config.db_path) as db:
        assert sent_log.list_rows(db)[0].status == "sent"
