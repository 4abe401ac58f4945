"""The HTTP server holds: signatures before parsing, size cap, idle sockets, an honest /healthz."""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import replace
from urllib.parse import urlencode

from bot.local.localslack import TEAM_ID
from bot.local.signing import signed_headers
from bot.web import build_wsgi, health
from tests.conftest import SIGNING_SECRET
from tests.e2e.botprocess import running_bot

IDLE_SOCKETS = 150


def count_rows(db_path: str, table: str) -> int:
    from storage.db import connect

    with connect(db_path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def refusal_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.web"]


def test_unsigned_malformed_bodies_get_401_without_a_traceback(app_server, config, caplog):
    caplog.set_level(logging.INFO)
    bodies = [
        ("{not json", "application/json"),
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("\xff\xfe garbage", "application/x-www-form-urlencoded"),
    ]
    for body, content_type in bodies * 10:
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(int(time.time()))}
        status, _, _ = app_server.request("POST", "/slack/events", body, headers)
        assert status == 401
    assert not [r for r in caplog.records if r.exc_info]  # no traceback, whoever floods the port
    assert len(refusal_lines(caplog)) == 1  # rate-limited: one line for thirty refusals
    assert count_rows(config.db_path, "slack_events_seen") == 0
    assert app_server.slack.calls == []


def test_signed_but_malformed_body_gets_400_and_one_warning(app_server, caplog):
    caplog.set_level(logging.INFO)
    body = "payload=%7Bnot-json"
    status, _, _ = app_server.request(
        "POST", "/slack/events", body, signed_headers(SIGNING_SECRET, body)
    )
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert [r.levelname for r in refusal_lines(caplog)] == ["WARNING"]


def test_body_over_one_mebibyte_gets_413_before_it_is_read(app_server, caplog):
    body = "text=" + "a" * (1024 * 1024 + 10)
    status, _, _ = app_server.request(
        "POST", "/slack/events", body, signed_headers(SIGNING_SECRET, body)
    )
    assert status == 413
    assert app_server.slack.calls == []


def test_signed_command_still_answers(app_server):
    status, _, _ = app_server.command("/veille", "aide")
    assert status == 200
    [answer] = app_server.slack.wait_for("response_url")
    assert "rechercher dans les articles" in answer.params["text"]


def test_healthz_is_503_only_when_the_database_cannot_serve(app_server, tmp_path):
    runtime = app_server.runtime
    lost = replace(runtime, config=replace(runtime.config, db_path=str(tmp_path / "gone" / "x.db")))
    for running in (True, False):
        response = health(lost, lambda running=running: running)
        assert response.status == 503
        report = json.loads(response.body)
        assert report["ok"] is False
        assert report["database"].startswith("error")
    wsgi = build_wsgi(lambda e, s: [], runtime, lambda: False)
    statuses: list[str] = []
    body = b"".join(
        wsgi({"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz"}, lambda s, h: statuses.append(s))
    )
    assert statuses == ["200 OK"]
    assert json.loads(body) == {"ok": True, "database": "ok", "scheduler": "follower"}


def aide_form(response_url: str) -> str:
    return urlencode(
        {
            "command": "/veille",
            "text": "aide",
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": TEAM_ID,
            "response_url": response_url,
        }
    )


def open_idle_sockets(port: int, count: int) -> list[socket.socket]:
    """Open ``count`` connections that send half a request line, or nothing, and then wait."""
    sockets = []
    for n in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n % 2:
            sock.sendall(b"POST /slack/ev")
        sockets.append(sock)
    return sockets


def test_150_idle_sockets_do_not_delay_healthz_or_a_signed_command(tmp_path):
    with running_bot(tmp_path) as bot:
        sockets = open_idle_sockets(bot.port, IDLE_SOCKETS)
        try:
            time.sleep(0.5)  # let the server accept them all
            status, text, seconds = bot.request("GET", "/healthz")
            assert status == 200, text
            assert seconds < 2
            assert json.loads(text)["scheduler"] == "leader"
            status, _, seconds = bot.command("aide")
            assert status == 200
            assert seconds < 2
            [answer] = bot.slack.wait_for("response_url", timeout=10)
            assert "rechercher dans les articles" in answer.params["text"]
            # Still true a while later, after the server has swept its idle channels once.
            time.sleep(3)
            assert bot.request("GET", "/healthz")[2] < 2
        finally:
            for sock in sockets:
                sock.close()
