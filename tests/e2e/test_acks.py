"""Every request gets its HTTP 200 in time, failures are told, slow work never holds the acks.

All through the real HTTP endpoint, signed as Slack signs, against the local Slack stand-in.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from bot.core.installation import is_revoked
from bot.items.render.note_modal import NOTE_MODAL_CALLBACK
from bot.local.localslack import TEAM_ID
from bot.meetings.modals import SESSION_MODAL
from tests.e2e.test_endpoint import count_rows
from tests.watch.helpers import rss, rss_item

HUGE = "9" * 25


def test_listener_failing_after_ack_keeps_the_200_and_apologises_in_french(app_server, caplog):
    @app_server.app.command("/boom")
    def boom(ack):
        ack()
        raise RuntimeError("kaboom")

    with caplog.at_level(logging.WARNING):
        status, _, seconds = app_server.command("/boom", "")
    assert status == 200
    assert seconds < 3
    [apology] = app_server.slack.wait_for("response_url")
    assert apology.params["text"].startswith("Désolé, quelque chose s'est mal passé")
    assert "kaboom" not in apology.params["text"]
    assert apology.params["response_type"] == "ephemeral"


def test_listener_failing_before_ack_still_gets_200_and_an_apology(app_server):
    @app_server.app.command("/boom")
    def boom():
        raise RuntimeError("kaboom")

    status, _, seconds = app_server.command("/boom", "")
    assert (status, seconds < 3) == (200, True)
    [apology] = app_server.slack.wait_for("response_url")
    assert apology.params["text"].startswith("Désolé")


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/veille", f"voir {HUGE}", f"Je ne trouve pas l'article {HUGE}"),
        ("/veille", f"prendre {HUGE}", f"Je ne trouve pas l'article {HUGE}"),
        ("/veille", "voir ²", "`/veille voir"),
        ("/session", f"voir {HUGE}", "Il n'y a pas de session n°"),
        ("/decision", f"fait {HUGE}", "Il n'y a pas de décision n°"),
        ("/veille", f"flux retirer {HUGE}", HUGE),
    ],
)
def test_25_digit_numbers_are_not_found_not_an_overflow(app_server, command, text, expected):
    status, _, seconds = app_server.command(command, text)
    assert (status, seconds < 3) == (200, True)
    [answer] = app_server.slack.wait_for("response_url")
    assert expected in answer.params["text"]
    assert "Désolé" not in answer.params["text"]


def test_button_with_a_25_digit_item_says_article_introuvable(app_server):
    payload = {
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "actions": [{"action_id": "item_show", "value": HUGE, "type": "button"}],
    }
    status, _, seconds = app_server.action(payload)
    assert (status, seconds < 3) == (200, True)
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["text"].startswith("Je ne trouve pas l'article")


def test_button_with_a_non_numeric_value_keeps_the_200_and_tells_the_clicker(app_server):
    payload = {
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "actions": [{"action_id": "item_claim", "value": "douze", "type": "button"}],
    }
    status, _, seconds = app_server.action(payload)
    assert (status, seconds < 3) == (200, True)
    assert app_server.slack.wait_for("response_url") or app_server.slack.wait_for(
        "chat.postEphemeral"
    )


def _view(callback: str, metadata: object) -> dict:
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID},
        "user": {"id": "U1"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": callback,
            "private_metadata": metadata,
            "state": {"values": {}},
        },
    }


MALFORMED = [
    ("interactivity_without_actions", "form", {"type": "block_actions", "user": {"id": "U1"}}, 400),
    ("private_metadata_json_list", "form", _view(SESSION_MODAL, ["C1"]), 400),
    ("note_metadata_json_list_string", "form", _view(NOTE_MODAL_CALLBACK, "[1]"), 400),
    ("session_metadata_json_list_string", "form", _view(SESSION_MODAL, '["C1"]'), 400),
    ("view_without_type", "form", {**_view(SESSION_MODAL, ""), "view": {"id": "V1"}}, 400),
    ("event_null", "event", None, 200),
    ("message_text_null", "event", {"type": "message", "user": "U1", "channel": "C1",
                                    "ts": "1.1", "thread_ts": "1.0", "text": None}, 200),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "kind", "body", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_signed_body_is_refused_with_one_warning_and_nothing_written(
    app_server, config, caplog, case, kind, body, expected
):
    with caplog.at_level(logging.DEBUG):
        if kind == "event":
            status, _, seconds = app_server.event(body)
        else:
            form = urlencode({"payload": json.dumps(body)})
            status, _, seconds = app_server.post(form)
        time.sleep(0.3)
    assert status == expected, case
    assert seconds < 3
    warnings = [
        r for r in caplog.records if r.levelno == logging.WARNING and "malformed" in r.getMessage()
    ]
    assert len(warnings) == 1, [r.getMessage() for r in caplog.records]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert app_server.slack.calls_to("chat.postEphemeral") == []
    assert app_server.slack.calls_to("chat.postMessage") == []
    assert count_rows(config.db_path, "meetings") == 0


def test_app_rate_limited_is_acknowledged_and_logged(app_server, caplog):
    body = {
        "token": "x",
        "type": "app_rate_limited",
        "team_id": TEAM_ID,
        "minute_rate_limited": 1518467820,
        "api_app_id": "A1",
    }
    with caplog.at_level(logging.WARNING):
        status, _, _ = app_server.post(json.dumps(body), "application/json")
    assert status == 200
    assert any("app_rate_limited" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("tokens", "revoked"),
    [
        ({"oauth": ["U1"], "bot": []}, False),
        ({"oauth": ["UVEILLEUR"], "bot": []}, True),
        ({"oauth": [], "bot": ["UVEILLEUR"]}, True),
    ],
)
def test_tokens_revoked_stops_only_for_our_bot(app_server, config, tokens, revoked):
    status, _, _ = app_server.event({"type": "tokens_revoked", "tokens": tokens})
    assert status == 200
    deadline = time.monotonic() + 3
    while revoked and not is_revoked(config.db_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert is_revoked(config.db_path) is revoked


def test_command_without_response_url_is_answered_in_the_ack_body(app_server):
    form = {"command": "/veille", "text": "aide", "user_id": "U1", "channel_id": "C1",
            "team_id": TEAM_ID}  # fmt: skip
    status, text, seconds = app_server.post(urlencode(form))
    assert (status, seconds < 3) == (200, True)
    answer = json.loads(text)
    assert "`/veille flux ajouter &lt;url&gt;" in answer["text"]
    assert answer["response_type"] == "ephemeral"


@contextmanager
def slow_feed_server(delay: float):
    """An RSS feed on 127.0.0.1 that answers after ``delay`` seconds."""
    feed = rss("".join(rss_item(str(n)) for n in range(2)), "Veille lente")

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_eight_slow_feed_adds_in_flight_do_not_delay_the_ninth_ack(app_server):
    with slow_feed_server(5.0) as base:
        statuses: list[tuple[int, float]] = []

        def add(n: int) -> None:
            status, _, seconds = app_server.command("/veille", f"flux ajouter {base}/feed{n}")
            statuses.append((status, seconds))

        senders = [threading.Thread(target=add, args=(n,)) for n in range(8)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(10)
        time.sleep(0.5)  # the eight adds are now fetching
        status, _, seconds = app_server.command("/veille", "aide")
        assert status == 200
        assert seconds < 3
        assert [s for s, _ in statuses] == [200] * 8
        assert all(seconds < 3 for _, seconds in statuses)
        answers = app_server.slack.wait_for("response_url", 9, timeout=40)
    texts = [a.params["text"] for a in answers]
    assert texts[0].startswith("*Aide de `/veille`*")  # the help did not wait for the feeds
    assert sum("ajouté" in text for text in texts) == 8


def test_d5_full_disk_says_temporarily_unavailable_and_alerts_admins_once(
    app_server, monkeypatch, caplog
):
    import sqlite3

    from bot.items import acting as item_commands  # where `/veille prendre` opens the database

    app_server.runtime.config.__dict__["admins"] = frozenset({"UADMIN"})

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(item_commands, "connect", full)
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            status, _, seconds = app_server.command("/veille", "prendre 1")
            assert (status, seconds < 3) == (200, True)
        answers = app_server.slack.wait_for("response_url", 3)
    assert {a.params["text"] for a in answers} == {
        "Veilleur est temporairement indisponible, réessayez dans quelques minutes."
    }
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    time.sleep(0.3)
    dms = [c for c in app_server.slack.calls if "UADMIN" in json.dumps(c.params)]
    assert len(dms) >= 1
    assert len(dms) <= 2  # one DM for the incident (conversations.open + post at most)


def test_d5_read_only_database_says_temporarily_unavailable_in_french(app_server, monkeypatch):
    import sqlite3

    from sqlite_utils import Database

    import storage.db

    # root ignores chmod, so open every connection read-only, as a read-only file would be
    def read_only(path, *, busy_timeout=storage.db.BUSY_TIMEOUT_SECONDS):
        return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))

    monkeypatch.setattr(storage.db, "open_database", read_only)
    storage.db.close_idle_connections()  # idle connections were opened read-write
    status, _, seconds = app_server.command("/session", "ajouter Bilan 11/01/2030 10:00")
    assert (status, seconds < 3) == (200, True)
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["text"] == (
        "Veilleur est temporairement indisponible, réessayez dans quelques minutes."
    )
    monkeypatch.undo()
    storage.db.close_idle_connections()
    assert count_rows(app_server.runtime.config.db_path, "meetings") == 0  # nothing half-written
