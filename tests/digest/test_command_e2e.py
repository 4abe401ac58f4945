"""`/veille résumé` through the real HTTP endpoint, signed like Slack, answered by the stand-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from storage import claims
from storage.db import connect
from tests.digest.conftest import HOSTILE, insert_item


@pytest.fixture
def this_week(db_path) -> None:
    """Items of the real current week (the app's clock is the real one)."""
    now = datetime.now(UTC)
    with connect(db_path) as db:
        insert_item(db, HOSTILE, now - timedelta(days=1))
        taken = insert_item(db, "Appel à projets", now - timedelta(days=2))
        claims.claim(db, taken, "UALICE", now - timedelta(days=1))
        insert_item(db, "Trop vieux", now - timedelta(days=9))


@pytest.mark.parametrize("word", ["résumé", "RESUME", "digest"])
def test_veille_resume_answers_the_digest_only_to_the_person(app_server, this_week, word):
    status, _, seconds = app_server.command("/veille", word)
    assert status == 200
    assert seconds < 1.0
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["text"].startswith("Résumé de la veille du ")
    blocks = json.dumps(answer.params["blocks"], ensure_ascii=False)
    assert "Nouveaux : *2*" in blocks
    assert "<@UALICE> : 1" in blocks
    assert "<!channel>" not in blocks
    assert "<http://evil" not in blocks
    assert "&lt;!channel&gt; &lt;@U1&gt; &lt;http://evil|bank&gt;" in blocks
    assert app_server.slack.calls_to("chat.postMessage") == []


def test_veille_resume_public_posts_it_in_the_channel(app_server, this_week):
    app_server.command("/veille", "résumé public", channel="CEQUIPE")
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["response_type"] == "in_channel"
    assert answer.params["blocks"][0]["text"]["text"] == "Résumé de la veille"


def test_veille_resume_with_a_stray_word_says_how_to_use_it(app_server):
    app_server.command("/veille", "résumé zorglub")
    [answer] = app_server.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["text"].startswith("Usage : `/veille résumé`")


def test_veille_aide_lists_the_digest(app_server):
    app_server.command("/veille", "aide")
    [answer] = app_server.slack.wait_for("response_url")
    assert "`/veille résumé [public]`" in answer.params["text"]
    assert "pas encore disponible" not in answer.params["text"]
