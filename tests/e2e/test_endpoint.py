"""End to end through the real HTTP endpoint: signatures, health, help, once-only delivery, errors."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from bot.local.localslack import TEAM_ID
from bot.local.signing import signed_headers
from bot.manifest import BOT_EVENTS, event_type
from tests.conftest import SIGNING_SECRET


def count_rows(db_path: str, table: str) -> int:
    from storage.db import connect

    with connect(db_path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_url_verification_echoes_the_challenge(app_server):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    status, text, _ = app_server.post(body, "application/json")
    assert status == 200
    assert "abc123" in text


def help_form(text: str = "aide") -> str:
    return urlencode(
        {
            "command": "/veille",
            "text": text,
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": TEAM_ID,
            "response_url": "http://127.0.0.1:9/none",
        }
    )


@pytest.mark.parametrize(
    ("case", "tamper"),
    [
        ("s4_timestamp_301_seconds_old", {"timestamp": -301}),
        ("s4_timestamp_301_seconds_ahead", {"timestamp": 301}),
        ("s4_wrong_secret", {"secret": "not-the-secret"}),
        ("s4_tampered_body", {"body": True}),
        ("s4_missing_signature", {"drop": "X-Slack-Signature"}),
        ("s4_non_numeric_timestamp", {"stamp": "yesterday"}),
    ],
)
def test_s4_bad_or_stale_signatures_get_401_and_change_nothing(app_server, config, case, tamper):
    body = help_form()
    stamp = int(time.time()) + tamper.get("timestamp", 0)
    headers = signed_headers(tamper.get("secret", SIGNING_SECRET), body, timestamp=stamp)
    if tamper.get("body"):
        body = body.replace("aide", "flux")
    if "drop" in tamper:
        del headers[tamper["drop"]]
    if "stamp" in tamper:
        headers["X-Slack-Request-Timestamp"] = tamper["stamp"]
    status, _, _ = app_server.request("POST", "/slack/events", body, headers)
    assert status == 401, case
    assert count_rows(config.db_path, "slack_events_seen") == 0
    assert app_server.slack.calls == []


def test_healthz_reports_database_and_scheduling_role(app_server):
    # A follower (another process schedules the jobs) serves Slack as well: healthy, 200.
    status, text, _ = app_server.request("GET", "/healthz")
    assert status == 200
    assert json.loads(text) == {"ok": True, "database": "ok", "scheduler": "follower"}
    app_server.scheduler_running[0] = True
    status, text, _ = app_server.request("GET", "/healthz")
    assert status == 200
    assert json.loads(text)["scheduler"] == "leader"


def test_unknown_path_is_404(app_server):
    assert app_server.request("GET", "/nothing-here")[0] == 404


def test_veille_aide_answers_in_french_well_inside_three_seconds(app_server):
    status, _, seconds = app_server.command("/veille", "aide")
    assert status == 200
    assert seconds < 1.0
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "`/veille flux ajouter &lt;url&gt;" in answer.params["text"]  # Slack shows <url>
    assert "rechercher dans les articles" in answer.params["text"]


def test_unknown_subcommand_says_commande_inconnue_with_the_help(app_server):
    app_server.command("/session", "zorglub")
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["text"].startswith("Commande inconnue : `/session zorglub`")
    assert "`/session ajouter &lt;titre&gt; &lt;date&gt;" in answer.params["text"]
    assert answer.params["response_type"] == "ephemeral"


def register_counter(app_server, event: str = "app_mention") -> list[dict]:
    seen: list[dict] = []

    @app_server.app.event(event)
    def count(body):
        seen.append(body)

    return seen


def test_s1_retried_event_is_processed_once(app_server):
    seen = register_counter(app_server)
    event = {"type": "app_mention", "user": "U1", "text": "salut", "channel": "C1", "ts": "1.1"}
    first = app_server.event(event, event_id="Ev1")
    retry = app_server.event(
        event,
        event_id="Ev1",
        extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert first[0] == retry[0] == 200
    time.sleep(0.3)
    assert len(seen) == 1


def test_s5_replayed_signed_command_has_no_second_effect(app_server):
    body = help_form().replace("response_url=http%3A%2F%2F127.0.0.1%3A9%2Fnone", "")
    body += "&" + urlencode({"response_url": app_server.slack.response_url})
    headers = signed_headers(SIGNING_SECRET, body)
    assert app_server.request("POST", "/slack/events", body, headers)[0] == 200
    time.sleep(0.2)  # a replay comes later, inside the 5-minute window
    assert app_server.request("POST", "/slack/events", body, headers)[0] == 200
    time.sleep(0.3)
    assert len(app_server.slack.calls_to("response_url")) == 1


def test_s2_retry_after_our_own_failure_is_processed(app_server):
    seen: list[str] = []

    @app_server.app.event("app_mention")
    def flaky(body):
        seen.append("try")
        if len(seen) == 1:
            raise RuntimeError("database error injected")

    event = {"type": "app_mention", "user": "U1", "text": "x", "channel": "C1", "ts": "1.1"}
    app_server.event(event, event_id="Ev2")
    time.sleep(0.3)
    app_server.event(event, event_id="Ev2", extra_headers={"X-Slack-Retry-Num": "1"})
    time.sleep(0.3)
    app_server.event(event, event_id="Ev2", extra_headers={"X-Slack-Retry-Num": "2"})
    time.sleep(0.3)
    assert seen == ["try", "try"]


def test_failing_listener_apologises_in_french_and_the_app_keeps_serving(app_server):
    @app_server.app.command("/boom")
    def boom(ack):
        ack()
        raise RuntimeError("kaboom")

    app_server.command("/boom", "")
    [apology] = app_server.slack.wait_for("response_url")
    assert apology.params["text"].startswith("Désolé, quelque chose s'est mal passé")
    assert "kaboom" not in apology.params["text"]
    assert "Traceback" not in apology.params["text"]
    app_server.command("/veille", "aide")
    assert len(app_server.slack.wait_for("response_url", 2)) == 2


@pytest.mark.parametrize("subscription", BOT_EVENTS)
def test_s6_every_subscribed_event_is_acknowledged(app_server, subscription):
    event = {
        "type": event_type(subscription),
        "user": "U2",
        "channel": "C1",
        "ts": "1.2",
        "item": {"type": "message", "channel": "C1", "ts": "1.2"},
        "reaction": "tada",
        "text": "x",
        "tab": "home",
        "tokens": {"oauth": [], "bot": []},
    }
    status, _, _ = app_server.event(event)
    assert status == 200


def test_s7_self_events_are_ignored(app_server):
    seen = register_counter(app_server)
    event = {
        "type": "app_mention",
        "user": "UVEILLEUR",
        "bot_id": "BVEILLEUR",
        "text": "moi",
        "channel": "C1",
        "ts": "1.3",
    }
    assert app_server.event(event)[0] == 200
    time.sleep(0.3)
    assert seen == []
