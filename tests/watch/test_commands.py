"""`/veille flux …` through the router, with feeds on 127.0.0.1 and the Slack stand-in."""

import dataclasses
import functools
from datetime import datetime, timedelta

import pytest

import bot.watch.commands as watch_commands
from bot.app import build_client
from bot.core.router import CommandContext
from bot.features import routers
from bot.watch.posting import PostingSettings
from handlers.slack_messenger import SlackMessenger
from storage.db import connect, write
from storage.feed_state import record_failure
from storage.feeds import get_feed, list_feeds
from tests.watch.helpers import NOW, rss, rss_item

ROUTERS = routers()


def dispatch(command: str, ctx: CommandContext, text: str):
    """Run ``command text`` as Slack would, through the router the app builds."""
    return ROUTERS[command].dispatch(ctx, text)


@pytest.fixture(autouse=True)
def inline_parsing_and_fast_posting(monkeypatch):
    monkeypatch.setattr(watch_commands, "parser_pool", lambda: None)
    monkeypatch.setattr(
        watch_commands, "PostingSettings", functools.partial(PostingSettings, spacing=0)
    )


@pytest.fixture
def run(config, slack_api):
    messenger = SlackMessenger(build_client(config, timeout=2))

    def run(text, user="U1", channel="C1", cfg=None):
        ctx = CommandContext(user, channel, cfg or config, messenger, clock=lambda: NOW)
        return dispatch("/veille", ctx, text).text

    return run


@pytest.fixture
def feed_url(feeds):
    feeds.route(
        "/feed",
        body=rss("".join(rss_item(str(n), f"Article {n}") for n in range(8)), "Résacoop actu"),
    )
    return feeds.url("/feed")


def test_add_with_keywords_posts_only_matching_items(run, feed_url, slack_api, db_path):
    answer = run(f"flux ajouter {feed_url} origine:Lyon éducation")
    assert "Flux n° 1 « Résacoop actu » ajouté dans <#C1> : 8 articles trouvés" in answer
    assert "Aucun ne correspond aux mots-clés" in answer
    assert slack_api.calls_to("chat.postMessage") == []
    with connect(db_path) as db:
        (feed,) = list_feeds(db)
    assert (feed.origin, feed.keywords, feed.added_by) == ("Lyon", ("éducation",), "U1")


def test_add_fetches_at_once_and_posts_only_the_newest_three(run, feed_url, slack_api):
    answer = run(f"flux add <{feed_url}> origin:Lyon")
    assert answer.endswith(
        "Les 3 plus récents sont publiés, les autres sont considérés comme déjà vus."
    )
    assert [m["text"] for m in slack_api.messages["C1"]] == [
        "n° 1 — Article 2",
        "n° 2 — Article 1",
        "n° 3 — Article 0",
    ]


def test_add_to_another_channel_named_with_hash(run, feed_url, db_path):
    run(f"flux ajouter {feed_url} <#C2|veille-lyon>")
    with connect(db_path) as db:
        assert [f.channel_id for f in list_feeds(db)] == ["C2"]


@pytest.mark.parametrize(
    "spelling",
    [lambda u: u.upper().replace("/FEED", "/feed"), lambda u: u + "/", lambda u: u + "#x"],
)
def test_f15_same_feed_spelled_differently_is_refused_with_its_number(run, feed_url, spelling):
    run(f"flux ajouter {feed_url}")
    answer = run(f"flux ajouter {spelling(feed_url)}")
    assert answer == "Ce flux est déjà suivi dans <#C1> (n° 1)."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file:///etc/passwd", "seules les adresses http(s) sont acceptées"),
        ("feed:file:///etc/passwd", "seules les adresses http(s) sont acceptées"),
        ("http://user:pass@example.org/feed", "les identifiants dans l'URL ne sont pas acceptés"),
    ],
)
def test_f1_f2_add_refuses_bad_urls_in_french(run, url, expected):
    assert run(f"flux ajouter {url}") == f"Je ne peux pas suivre cette adresse : {expected}."


def test_f2_private_address_refused_when_not_allowed(run, config, feed_url):
    guarded = dataclasses.replace(config, allow_private_urls=False)
    assert "adresse non autorisée" in run(f"flux ajouter {feed_url}", cfg=guarded)


def test_f8_add_refuses_what_is_not_a_feed(run, feeds):
    feeds.route("/page", body=b"<html><body>Se connecter</body></html>")
    answer = run(f"flux ajouter {feeds.url('/page')}")
    assert (
        answer
        == "Je n'ai pas pu lire ce flux : cette adresse n'est pas un flux RSS, Atom ou JSON Feed."
    )


def test_only_admins_may_change_feeds(run, config, feed_url):
    admins = dataclasses.replace(config, admins=frozenset({"U9"}))
    refused = run(f"flux ajouter {feed_url}", user="U1", cfg=admins)
    assert "admin" in refused.lower() or "réservé" in refused.lower()
    assert run("flux", user="U1", cfg=admins).startswith("Aucun flux")
    assert "ajouté" in run(f"flux ajouter {feed_url}", user="U9", cfg=admins)


def test_list_shows_health_in_plain_french(run, feed_url, db_path):
    run(f"flux ajouter {feed_url} origine:Clermont-Ferrand migrations")
    with connect(db_path) as db, write(db):
        record_failure(db, 1, NOW, code="timeout")
    listing = run("flux")
    assert listing.startswith("*Flux suivis (1)*")
    assert "n° 1 · *Résacoop actu* · Clermont-Ferrand · <#C1> · mots-clés : migrations" in listing
    assert "· 0 article ·" in listing  # the keyword filter kept none
    assert "le serveur ne répond pas" in listing


def test_remove_keywords_and_resume(run, feed_url, db_path):
    run(f"flux ajouter {feed_url}")
    assert run('flux mots-clés 1 eau "coopération décentralisée"') == (
        "Flux n° 1 : ne garder que les articles qui parlent de eau, coopération décentralisée."
    )
    assert "plus de filtre" in run("flux mots-cles 1")
    assert run("flux reprendre 1") == "Le flux n° 1 n'est pas en pause."
    with connect(db_path) as db, write(db):
        record_failure(db, 1, NOW, code="gone", permanent=True)
    assert "relancé" in run("flux reprendre 1")
    with connect(db_path) as db:
        assert not get_feed(db, 1).paused
    assert "retiré" in run("flux retirer 1")
    assert run("flux retirer 1") == "Aucun flux n° 1. La liste : `/veille flux`."
    assert "numéro du flux" in run("flux retirer abc")


def test_help_and_unknown_words(run):
    assert "/veille flux reprendre &lt;n°&gt;" in run("flux aide")  # Slack shows <n°>
    assert "Je ne connais pas `flux &lt;!here&gt;`" in run("flux <!here>")


def test_a_new_feed_is_next_read_after_the_configured_interval(run, feed_url, config, db_path):
    hourly = dataclasses.replace(config, poll_minutes=60)
    run(f"flux ajouter {feed_url}", cfg=hourly)
    with connect(db_path) as db:
        feed = list_feeds(db)[0]
    assert datetime.fromisoformat(feed.next_poll_at) == NOW + timedelta(minutes=60)
