"""The watch through the real HTTP endpoint: signed /veille commands, feeds on 127.0.0.1."""

import json

from bot.watch.jobs import run_poll
from storage.db import connect
from tests.watch.feedserver import serving
from tests.watch.helpers import rss, rss_item


def test_add_feed_over_http_answers_fast_and_posts_three(app_server):
    with serving() as feeds:
        feeds.route("/feed", body=rss("".join(rss_item(str(n)) for n in range(6)), "Veille Lyon"))
        status, _, seconds = app_server.command(
            "/veille", f"flux ajouter {feeds.url('/feed')} origine:Lyon"
        )
        assert status == 200
        assert seconds < 3
        (answer,) = app_server.slack.wait_for("response_url", 1, timeout=20)
        assert "Flux n° 1 « Veille Lyon » ajouté dans <#C1> : 6 articles trouvés" in str(
            answer.params
        )
        posts = app_server.slack.wait_for("chat.postMessage", 3, timeout=10)
        assert [p.params["text"] for p in posts] == [
            "n° 1 — Article 2",
            "n° 2 — Article 1",
            "n° 3 — Article 0",
        ]
        blocks = posts[0].params["blocks"]
        actions = blocks[-1]["elements"]
        assert [a["action_id"] for a in actions] == [
            "item_claim",
            "item_dismiss",
            "item_newsletter",
            "item_show",
            "item_note",
            "item_for_holder",
        ]

        # A new entry appears; the scheduled job posts it (and only it).
        feeds.route(
            "/feed",
            body=rss(rss_item("new", "Nouvelle") + "".join(rss_item(str(n)) for n in range(6))),
        )
        with connect(app_server.runtime.config.db_path) as db:
            db.execute("UPDATE feeds SET next_poll_at = NULL")
            db.conn.commit()
        run_poll(app_server.runtime)
        posts = app_server.slack.calls_to("chat.postMessage")
        assert [p.params["text"] for p in posts][-1] == "n° 4 — Nouvelle"
        assert len(posts) == 4


def test_feed_list_over_http(app_server):
    status, _, _ = app_server.command("/veille", "flux")
    assert status == 200
    (answer,) = app_server.slack.wait_for("response_url", 1)
    assert "Aucun flux suivi" in json.dumps(answer.params, ensure_ascii=False)
