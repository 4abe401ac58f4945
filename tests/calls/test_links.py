"""Links added by hand, through the real HTTP endpoint, against pages served from 127.0.0.1.

`/veille ajouter <url> [note]` and the « Ajouter à la veille » shortcut: a page with Open Graph
tags, one without a title, one that is not HTML, the same link again, and a loopback page while
the address guard is on (refused in French, nothing fetched). The guard on other private
addresses is unit-tested without any request.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from bot.calls.links import LinkRefused, checked_url, first_link, read_page
from bot.local.localslack import TEAM_ID
from bot.watch.fetch import FetchLimits
from storage import claims, notes
from storage.db import connect
from storage.search import search_items
from tests.conftest import start_app_server
from tests.watch.feedserver import serving

OG_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Titre de l'onglet</title>
<meta property="og:title" content="Appel à projets « Jeunesse et solidarité » 2027">
<meta property="og:description" content="Date limite de dépôt : 15 janvier 2030. Pour les associations.">
<meta name="description" content="Description ordinaire">
</head><body><h1>Autre titre</h1></body></html>""".encode()
BARE_PAGE = b"<html><head></head><body><p>Rien pour le titre ici.</p></body></html>"
TITLE_PAGE = (
    b"<html><head><title> Fonds  d'appui\n aux initiatives </title>"
    b'<meta name="description" content="Soutien aux microprojets."></head><body></body></html>'
)


@pytest.fixture
def pages():
    with serving() as server:
        server.route("/og", body=OG_PAGE, Content_Type="text/html; charset=utf-8")
        server.route("/bare", body=BARE_PAGE, Content_Type="text/html")
        server.route("/title", body=TITLE_PAGE, Content_Type="text/html; charset=utf-8")
        server.route("/appel.pdf", body=b"%PDF-1.4 ...", Content_Type="application/pdf")
        yield server


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (value := predicate()) is not None and value != []:
            return value
        time.sleep(0.02)
    return predicate()


def answers(app_server) -> list[str]:
    return [c.params.get("text", "") for c in app_server.slack.calls_to("response_url")]


def command(app_server, text: str, user: str = "U1", channel: str = "C1") -> str:
    before = len(answers(app_server))
    status, _, _ = app_server.command("/veille", text, user=user, channel=channel)
    assert status == 200
    found = wait_for(lambda: answers(app_server)[before:] or None)
    assert found, f"no answer to /veille {text}"
    return found[0]


def items(db_path):
    with connect(db_path) as db:
        return [claims.get_item(db, n) for n in range(1, 10) if claims.get_item(db, n)]


def test_a_page_with_open_graph_becomes_an_item_posted_claimable_searchable(
    app_server, pages, db_path
):
    answer = command(app_server, f"ajouter {pages.url('/og')} Pour le réseau Sud")
    assert answer == "Lien ajouté à la veille : article #1 dans <#C1>."
    posted = app_server.slack.wait_for("chat.postMessage")
    message = json.dumps(posted[0].params, ensure_ascii=False)
    assert posted[0].params["channel"] == "C1"
    assert "Appel à projets « Jeunesse et solidarité » 2027" in message
    assert "Ajouté par <@U1>" in message
    assert "Échéance détectée : *mardi 15 janvier 2030*" in message  # read from og:description
    with connect(db_path) as db:
        item = claims.get_item(db, 1)
        assert item.summary.startswith("Date limite de dépôt : 15 janvier 2030")
        assert [note.text for note in notes.list_notes(db, 1)] == ["Pour le réseau Sud"]
        assert [i.id for i in search_items(db, "jeunesse solidarite").items] == [1]
        assert [i.id for i in search_items(db, "réseau Sud").items] == [1]  # the note too
        assert claims.claim(db, 1, "U2", datetime.now(UTC))


def test_the_same_link_again_is_not_duplicated_and_the_person_becomes_a_source(
    app_server, pages, db_path
):
    command(app_server, f"ajouter {pages.url('/og')}")
    again = command(app_server, f"ajouter {pages.url('/og')}?utm_source=lettre Vu aussi", user="U2")
    assert again.startswith("Ce lien est déjà dans la veille : article #1.")
    assert "Votre note y est ajoutée." in again
    assert pages.hits["/og"] == 1  # not fetched again
    assert [item.id for item in items(db_path)] == [1]
    assert items(db_path)[0].added_by == "U1 U2"
    updated = app_server.slack.wait_for("chat.update")
    assert "Ajouté par <@U1>, <@U2>" in json.dumps(updated[-1].params, ensure_ascii=False)
    same = command(app_server, f"add {pages.url('/og')}", user="U2")
    assert same == "Ce lien est déjà dans la veille : article #1 (vous l'aviez déjà ajouté)."


def test_a_page_without_a_title_is_named_by_its_address(app_server, pages, db_path):
    command(app_server, f"ajouter {pages.url('/bare')}")
    assert items(db_path)[0].title == pages.url("/bare")


def test_title_and_meta_description_when_there_is_no_open_graph(app_server, pages, db_path):
    command(app_server, f"ajouter {pages.url('/title')}")
    item = items(db_path)[0]
    assert (item.title, item.summary) == (
        "Fonds d'appui aux initiatives",
        "Soutien aux microprojets.",
    )


def test_a_document_that_is_not_html_gets_its_address_as_title_and_says_so(
    app_server, pages, db_path
):
    answer = command(app_server, f"ajouter {pages.url('/appel.pdf')}")
    assert "Ce n'est pas une page web (application/pdf)" in answer
    assert items(db_path)[0].title == pages.url("/appel.pdf")


def test_a_loopback_page_with_the_guard_on_is_refused_in_french_and_not_fetched(
    config, slack_api, pages, db_path
):
    served, server = start_app_server(replace(config, allow_private_urls=False), slack_api)
    try:
        answer = command(served, f"ajouter {pages.url('/og')}")
    finally:
        server.task_dispatcher.shutdown()
        server.close()
    assert (
        answer == "Je ne peux pas ajouter ce lien : adresse non autorisée (réseau privé ou local)"
    )
    assert pages.hits["/og"] == 0
    assert items(db_path) == []


@pytest.mark.parametrize(
    "text", ["ajouter", "ajouter pas-une-adresse", "ajouter ftp://exemple.org/x"]
)
def test_bad_input_gets_a_french_explanation(app_server, text, db_path):
    answer = command(app_server, text)
    assert answer.startswith(
        ("Utilisation : `/veille ajouter", "« pas-une-adresse » n'est pas", "« ftp://")
    )
    assert items(db_path) == []


def test_a_page_that_is_missing_is_refused_in_french(app_server, pages):
    assert command(app_server, f"ajouter {pages.url('/nulle-part')}") == (
        "Je ne peux pas ajouter ce lien : page introuvable (erreur 404)"
    )


def shortcut(app_server, text: str, user: str = "U1", channel: str = "C1", blocks=None):
    payload = {
        "type": "message_action", "callback_id": "add_to_watch", "team": {"id": TEAM_ID},
        "user": {"id": user}, "channel": {"id": channel}, "trigger_id": f"t.{time.time_ns()}",
        "response_url": app_server.slack.response_url,
        "message": {"type": "message", "ts": "1799.000100", "text": text, "blocks": blocks or []},
    }  # fmt: skip
    status, _, _ = app_server.post(urlencode({"payload": json.dumps(payload)}))
    assert status == 200


def ephemerals(app_server) -> list[str]:
    return [c.params.get("text", "") for c in app_server.slack.calls_to("chat.postEphemeral")]


def test_the_shortcut_adds_the_first_link_of_a_message(app_server, pages, db_path):
    shortcut(app_server, f"À voir : <{pages.url('/og')}|l'appel> et <{pages.url('/bare')}>")
    assert wait_for(lambda: ephemerals(app_server) or None) == [
        "Lien ajouté à la veille : article #1 dans <#C1>."
    ]
    assert [(i.title, i.added_by) for i in items(db_path)] == [
        ("Appel à projets « Jeunesse et solidarité » 2027", "U1")
    ]
    assert pages.hits["/bare"] == 0


def test_the_shortcut_on_a_message_without_a_link_says_so(app_server, db_path):
    shortcut(app_server, "Réunion demain, pas de lien ici.")
    assert wait_for(lambda: ephemerals(app_server) or None) == [
        "Ce message ne contient aucun lien à ajouter à la veille."
    ]


def test_the_manifest_declares_the_shortcut_the_handlers_answer():
    from bot.manifest import build_manifest
    from handlers.calls import SHORTCUT_CALLBACK

    shortcuts = build_manifest()["features"]["shortcuts"]
    assert [(s["name"], s["type"], s["callback_id"]) for s in shortcuts] == [
        ("Ajouter à la veille", "message", SHORTCUT_CALLBACK)
    ]


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.7/appel", "http://192.168.1.20/", "http://172.16.3.4/x", "http://[::1]/",
     "http://169.254.169.254/latest/meta-data/", "http://localhost/", "http://[fd00::1]/"],
)  # fmt: skip
def test_the_guard_refuses_private_addresses_before_any_request(url):
    with pytest.raises(LinkRefused, match="adresse non autorisée"):
        checked_url(url, FetchLimits(allow_private=False), "fr")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("voir <https://a.org/x|ici> puis https://b.org", "https://a.org/x"),
     ("https://b.org/appel. Et <https://a.org>", "https://a.org"),
     ("lien : https://b.org/appel.", "https://b.org/appel"),
     ("rien", None)],
)  # fmt: skip
def test_first_link_of_a_message(text, expected):
    assert first_link(text) == expected


def test_open_graph_wins_over_title_and_description():
    page = read_page(OG_PAGE, "text/html", "https://a.org")
    assert page.title.startswith("Appel à projets")
    assert page.summary.startswith("Date limite")
