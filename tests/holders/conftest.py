"""The app on its HTTP endpoint with a fixed clock (15 March 2027) and one listed admin."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.conftest import AppServer, start_app_server

NOW = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)  # Monday 15 March 2027, 10:00 in Paris
ADMIN = "UADMIN"


@pytest.fixture
def holders_app(config, slack_api) -> Iterator[AppServer]:
    """The app in HTTP mode whose clock says 15 March 2027, with UADMIN in VEILLEUR_ADMINS."""
    config = dataclasses.replace(config, admins=frozenset({ADMIN}))
    served, server = start_app_server(config, slack_api, clock=lambda: NOW)
    yield served
    server.task_dispatcher.shutdown()
    server.close()


def ask(app: AppServer, text: str, user: str = "UCAMILLE", channel: str = "C1") -> str:
    """Type `/porteur <text>` and return the private answer's text."""
    before = len(app.slack.calls_to("response_url"))
    status, _, _ = app.command("/porteur", text, user=user, channel=channel)
    assert status == 200
    answers = app.slack.wait_for("response_url", before + 1, timeout=10)
    answer = answers[before].params
    assert answer["response_type"] == "ephemeral"
    return answer["text"]
