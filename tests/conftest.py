"""Shared fixtures: a real SQLite file, the local Slack stand-in, the app on its HTTP endpoint."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot import features
from bot.app import build_app, build_client
from bot.core.config import Config
from bot.core.runtime import Clock, Runtime
from bot.features import install_catalogues
from bot.local.localslack import TEAM_ID, LocalSlack
from bot.local.signing import signed_headers
from bot.web import build_wsgi
from storage.db import connect
from storage.migrations import apply_migrations

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture(autouse=True, scope="session")
def catalogues() -> None:
    """Install every feature's messages, as the composition root does at start."""
    install_catalogues()


@pytest.fixture
def db_path(tmp_path) -> str:
    """A migrated SQLite database file."""
    path = str(tmp_path / "veilleur.db")
    with connect(path) as db:
        apply_migrations(db)
    return path


@pytest.fixture
def db(db_path) -> Iterator:
    """Yield one connection to the test database."""
    with connect(db_path) as database:
        yield database


@pytest.fixture
def slack_api() -> Iterator[LocalSlack]:
    """The local Slack Web API stand-in, recording every call."""
    stand_in = LocalSlack().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def config(db_path, slack_api) -> Config:
    return Config(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        api_url=slack_api.url,
        db_path=db_path,
        allow_private_urls=True,
    )


@dataclass
class AppServer:
    """The Bolt app served by waitress on 127.0.0.1, as in HTTP mode."""

    app: App
    runtime: Runtime
    port: int
    slack: LocalSlack
    scheduler_running: list[bool] = field(default_factory=lambda: [False])

    def request(
        self,
        method: str,
        path: str,
        body: str = "",
        headers: dict[str, str] | None = None,
        timeout: float = 10,
    ) -> tuple[int, str, float]:
        """Send a raw request; return (status, body, seconds taken)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        conn.request(method, path, body=body.encode(), headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode()
        conn.close()
        return response.status, text, time.monotonic() - started

    def post(
        self,
        body: str,
        content_type: str = "application/x-www-form-urlencoded",
        *,
        extra_headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
    ) -> tuple[int, str, float]:
        """POST a body to /slack/events signed exactly as Slack does."""
        headers = signed_headers(secret, body, timestamp=timestamp, content_type=content_type)
        headers.update(extra_headers or {})
        return self.request("POST", "/slack/events", body, headers)

    def command(self, command: str, text: str, user: str = "U1", channel: str = "C1", **kw: Any):
        form = {
            "command": command,
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "team_id": TEAM_ID,
            "trigger_id": f"t.{time.time_ns()}",
            "response_url": self.slack.response_url,
        }
        return self.post(urlencode(form), **kw)

    def event(self, event: dict, event_id: str | None = None, **kw: Any):
        body = {
            "token": "x",
            "team_id": TEAM_ID,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UVEILLEUR", "is_bot": True}],
        }
        return self.post(json.dumps(body), "application/json", **kw)

    def action(self, payload: dict, **kw: Any):
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID},
            "api_app_id": "A1",
            "response_url": self.slack.response_url,
            "trigger_id": f"t.{time.time_ns()}",
            **payload,
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), **kw)


def _serve_until_closed(server: Any) -> None:
    # closing waitress from another thread makes its select() fail with EBADF: that is the stop signal
    with contextlib.suppress(OSError, ValueError):
        server.run()


def start_app_server(config: Config, slack: LocalSlack, clock=None) -> tuple[AppServer, Any]:
    app, runtime = build_app(config, client=build_client(config, timeout=5), clock=clock or Clock())
    state = [False]
    wsgi = build_wsgi(SlackRequestHandler(app), runtime, lambda: state[0], features.routes())
    server = waitress.create_server(wsgi, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=_serve_until_closed, args=(server,), daemon=True).start()
    return AppServer(app, runtime, server.effective_port, slack, state), server


@pytest.fixture
def app_server(config, slack_api) -> Iterator[AppServer]:
    """The app in HTTP mode on a free port, pointed at the stand-in, on a temp database."""
    served, server = start_app_server(config, slack_api)
    yield served
    server.task_dispatcher.shutdown()
    server.close()
