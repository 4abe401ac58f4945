"""A story the second network also carries joins « vu dans » at once (issue 12, point 4).

Through the real HTTP endpoint: the posted message is updated with ``chat.update`` (its stored
ts) as soon as the other network's feed brings the same story, whether that feed is just being
added (`/veille flux ajouter`) or already polled; the message keeps its state and buttons.
"""

from __future__ import annotations

import json

from bot.watch.jobs import run_poll
from storage.db import connect
from tests.watch.feedserver import serving
from tests.watch.helpers import rss, rss_item

STORY = "https://www.resacoop.org/actualites/festisol-2027"


def seen_in(call) -> str:
    """Return the « vu dans » line of a chat.update or chat.postMessage call."""
    context = call.params["blocks"][1]["elements"][0]["text"]
    return context.split(" · ")[0]


def add_feed(app_server, url: str, origin: str) -> None:
    before = len(app_server.slack.calls_to("response_url"))
    status, _, _ = app_server.command("/veille", f"flux ajouter {url} origine:{origin}")
    assert status == 200
    app_server.slack.wait_for("response_url", before + 1, timeout=20)


def test_second_network_feed_added_updates_the_message_at_once(app_server):
    with serving() as feeds:
        story = rss_item("festisol", "Festisol 2027 : l'appel est ouvert", STORY)
        feeds.route("/resacoop", body=rss(story, "RESACOOP — actualités"))
        feeds.route("/cerapcoop", body=rss(story.replace("festisol", "c-42", 1), "CERAPCOOP"))
        add_feed(app_server, feeds.url("/resacoop"), "Lyon")
        (post,) = app_server.slack.wait_for("chat.postMessage", 1, timeout=10)
        assert seen_in(post) == "vu dans : RESACOOP — actualités"
        app_server.command("/veille", "prendre 1", user="UALICE")
        app_server.slack.wait_for("chat.update", 1, timeout=10)

        add_feed(app_server, feeds.url("/cerapcoop"), "Clermont-Ferrand")
        updates = app_server.slack.wait_for("chat.update", 2, timeout=10)
        assert len(updates) == 2
        update = updates[-1]
        assert update.params["ts"] == _ts(app_server)
        assert seen_in(update) == "vu dans : RESACOOP — actualités, CERAPCOOP"
        shown = json.dumps(update.params["blocks"], ensure_ascii=False)
        assert "origine : Lyon, Clermont-Ferrand" in shown
        assert "👀 Pris par <@UALICE>" in shown  # the state is kept
        assert [e["text"]["text"] for e in update.params["blocks"][-1]["elements"]][:2] == [
            "Lâcher",
            "C'est fait",
        ]
        assert len(app_server.slack.calls_to("chat.postMessage")) == 1  # one story, one message


def test_story_arriving_later_in_the_other_feed_updates_at_the_poll(app_server):
    with serving() as feeds:
        story = rss_item("festisol", "Festisol 2027 : l'appel est ouvert", STORY)
        other = rss_item("other", "Autre nouvelle", "https://cerapcoop.org/autre")
        feeds.route("/resacoop", body=rss(story, "RESACOOP"))
        feeds.route("/cerapcoop", body=rss(other, "CERAPCOOP"))
        add_feed(app_server, feeds.url("/resacoop"), "Lyon")
        add_feed(app_server, feeds.url("/cerapcoop"), "Clermont-Ferrand")
        app_server.slack.wait_for("chat.postMessage", 2, timeout=10)
        assert app_server.slack.calls_to("chat.update") == []

        feeds.route(
            "/cerapcoop", body=rss(story.replace("festisol", "c-9", 1) + other, "CERAPCOOP")
        )
        with connect(app_server.runtime.config.db_path) as db:
            db.execute("UPDATE feeds SET next_poll_at = NULL")
            db.conn.commit()
        run_poll(app_server.runtime)
        (update,) = app_server.slack.wait_for("chat.update", 1, timeout=10)
        assert seen_in(update) == "vu dans : RESACOOP, CERAPCOOP"
        assert update.params["ts"] == _ts(app_server)
        run_poll(app_server.runtime)  # nothing new: no second update
        assert len(app_server.slack.calls_to("chat.update")) == 1
        assert len(app_server.slack.calls_to("chat.postMessage")) == 2


def _ts(app_server) -> str:
    """Return the stored message ts of item 1."""
    with connect(app_server.runtime.config.db_path) as db:
        return db.execute("SELECT message_ts FROM items WHERE id = 1").fetchone()[0]
