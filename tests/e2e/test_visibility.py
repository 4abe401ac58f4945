"""Who sees what (issue 11), through the real HTTP endpoint and the local Slack stand-in.

GPRIV is a private channel whose members are U1 and U2; U3 is not a member. CPUB is public.
Every read and write path shows U3 nothing of GPRIV, and a refused number reads exactly like a
missing one; U1 sees everything.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import t
from bot.core.runtime import Runtime
from bot.digest.job import post_weekly_digest, week_key
from bot.meetings.calendar_route import serve_calendar
from storage import claims, notes, reminders
from storage.db import connect, write
from storage.decisions import add_decision
from storage.feeds import add_feed
from storage.meetings import add_meeting
from tests.fakes import RecordingMessenger
from tests.items.conftest import insert_item

PRIVATE, PUBLIC = "GPRIV", "CPUB"
SECRET_TITLE = "Appel confidentiel du bailleur"
SECRET_NOTE = "contact partenaire Madame Diallo"
OPEN_TITLE = "Appel ouvert Sahel"
NOW = datetime.now(UTC)


@pytest.fixture
def world(app_server, db):
    """Seed one item, note, feed, session and decision in each channel; return their ids."""
    app_server.slack.make_private(PRIVATE, "U1", "U2")
    seen = NOW - timedelta(days=1)
    ids = {
        "secret": insert_item(db, SECRET_TITLE, channel_id=PRIVATE, first_seen_at=seen),
        "open": insert_item(db, OPEN_TITLE, channel_id=PUBLIC, first_seen_at=seen),
    }
    with write(db):
        notes.add_note(db, ids["secret"], "U1", SECRET_NOTE, NOW)
    add_feed(db, "https://example.org/secret.xml", "example.org/secret.xml", PRIVATE, now=NOW,
             title="Flux du conseil")  # fmt: skip
    add_feed(db, "https://example.org/open.xml", "example.org/open.xml", PUBLIC, now=NOW,
             title="Flux public")  # fmt: skip
    board = add_meeting(db, title="Conseil d'administration", starts_at=NOW + timedelta(days=2),
                        place="", channel_id=PRIVATE, created_by="U1", now=NOW)  # fmt: skip
    open_session = add_meeting(db, title="Réunion ouverte", starts_at=NOW + timedelta(days=3),
                               place="", channel_id=PUBLIC, created_by="U1", now=NOW)  # fmt: skip
    add_decision(db, meeting_id=board.id, text="Budget réservé au bailleur", owner="U3",
                 due_date=(NOW + timedelta(days=1)).date(), created_by="U1", now=NOW)  # fmt: skip
    add_decision(db, meeting_id=open_session.id, text="Budget partagé publiquement", owner="U3",
                 due_date=(NOW + timedelta(days=1)).date(), created_by="U1", now=NOW)  # fmt: skip
    ids.update(board=board.id, open_session=open_session.id)
    return ids


def ask(app_server, command: str, text: str, user: str, channel: str = PUBLIC) -> str:
    """Run a slash command; return the answer's text and blocks as one string."""
    before = len(app_server.slack.calls_to("response_url"))
    status, _, _ = app_server.command(command, text, user=user, channel=channel)
    assert status == 200
    answers = app_server.slack.wait_for("response_url", before + 1, timeout=10)
    assert len(answers) > before, f"no answer to {command} {text}"
    params = answers[before].params
    return params.get("text", "") + json.dumps(params.get("blocks") or [], ensure_ascii=False)


def missing_item(n: int) -> str:
    return t("items.not_found", "fr", n=n)


READS = [
    ("/veille", "liste toutes"),
    ("/veille", "chercher appel"),
    ("/veille", "chercher Diallo"),
    ("/veille", "résumé"),
    ("/veille", "flux"),
    ("/session", "liste"),
    ("/decision", "liste"),
    ("/decision", "chercher budget"),
]


@pytest.mark.parametrize(("command", "text"), READS)
def test_non_member_reads_nothing_of_the_private_channel(app_server, world, command, text):
    answer = ask(app_server, command, text, "U3")
    for secret in (SECRET_TITLE, SECRET_NOTE, "Flux du conseil", "Conseil d'administration",
                   "Budget réservé"):  # fmt: skip
        assert secret not in answer
    member = ask(app_server, command, text, "U1")
    assert any(
        secret in member
        for secret in (SECRET_TITLE, SECRET_NOTE, "Flux du conseil", "Conseil", "Budget réservé")
    ), member


def test_a_refused_number_reads_exactly_like_a_missing_one(app_server, world):
    secret = world["secret"]
    assert ask(app_server, "/veille", f"voir {secret}", "U3").startswith(missing_item(secret))
    missing = secret + 1000
    assert ask(app_server, "/veille", f"voir {missing}", "U3").startswith(missing_item(missing))
    assert SECRET_NOTE in ask(app_server, "/veille", f"voir {secret}", "U1")
    board = world["board"]
    refused = ask(app_server, "/session", f"voir {board}", "U3")
    assert refused.startswith(t("meetings.error.not_found", "fr", id=board))
    assert "Conseil d'administration" in ask(app_server, "/session", f"voir {board}", "U1")


@pytest.mark.parametrize("word", ["prendre", "fait", "écarter", "lettre", "note"])
def test_non_member_cannot_act_on_a_private_item(app_server, world, db, word):
    secret = world["secret"]
    text = f"{word} {secret}" + (" mon avis" if word == "note" else "")
    assert ask(app_server, "/veille", text, "U3").startswith(missing_item(secret))
    item = claims.get_item(db, secret)
    assert (item.status, item.owner, item.newsletter) == ("open", None, False)
    assert notes.count_notes(db, secret) == 1


def test_non_member_buttons_and_detail_modal_read_as_missing(app_server, world, db):
    secret = world["secret"]
    for action in ("item_claim", "item_show"):
        before = len(app_server.slack.calls_to("response_url"))
        app_server.action(
            {"user": {"id": "U3"}, "channel": {"id": PUBLIC}, "container": {"type": "message"},
             "actions": [{"action_id": action, "value": str(secret)}]}
        )  # fmt: skip
        [*_, answer] = app_server.slack.wait_for("response_url", before + 1, timeout=10)
        assert answer.params["text"].startswith(missing_item(secret))
    assert claims.get_item(db, secret).status == "open"


def test_member_acts_on_a_private_item(app_server, world, db):
    assert "pris" in ask(app_server, "/veille", f"prendre {world['secret']}", "U1")
    assert claims.get_item(db, world["secret"]).owner == "U1"


def test_feeds_and_decisions_go_only_where_the_person_is_a_member(app_server, world):
    url = "http://127.0.0.1:9/feed.xml"
    refused = ask(app_server, "/veille", f"flux ajouter {url} <#{PRIVATE}>", "U3")
    assert refused.startswith(t("visibility.not_member", "fr", channel=PRIVATE))
    feeds = ask(app_server, "/veille", f"flux retirer {_feed_id(app_server, PRIVATE)}", "U3")
    assert "Aucun flux" in feeds
    decision = ask(app_server, "/decision", f"On signe session:{world['board']}", "U3")
    assert decision.startswith(t("meetings.error.not_found", "fr", id=world["board"]))
    assert "session" in ask(app_server, "/decision", f"On signe session:{world['board']}", "U1")


def test_bot_absent_from_a_private_channel_says_so(app_server, world):
    app_server.slack.make_private("GNOBOT", "U1")
    app_server.slack.bot_absent.add("GNOBOT")
    answer = ask(app_server, "/veille", "flux ajouter http://127.0.0.1:9/f.xml <#GNOBOT>", "U1")
    assert answer.startswith(t("visibility.bot_not_in_channel", "fr"))


def test_home_of_a_non_member_shows_nothing_private(app_server, world):
    for user, shown in (("U3", False), ("U1", True)):
        before = len(app_server.slack.calls_to("views.publish"))
        app_server.event({"type": "app_home_opened", "user": user, "tab": "home"})
        [*_, published] = app_server.slack.wait_for("views.publish", before + 1, timeout=10)
        view = json.dumps(published.params["view"], ensure_ascii=False)
        assert (SECRET_TITLE in view) is shown
        assert ("Conseil d'administration" in view) is shown
        assert OPEN_TITLE in view


def test_cache_is_dropped_when_a_member_leaves(app_server, world):
    secret = world["secret"]
    assert SECRET_TITLE in ask(app_server, "/veille", f"voir {secret}", "U2")
    app_server.slack.leave(PRIVATE, "U2")
    app_server.event({"type": "member_left_channel", "user": "U2", "channel": PRIVATE})
    assert app_server.slack.wait_for("conversations.members", 1)
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    answer = ""
    while datetime.now(UTC) < deadline:  # the event is handled after its ack: bounded wait
        answer = ask(app_server, "/veille", f"voir {secret}", "U2")
        if answer.startswith(missing_item(secret)):
            break
    assert answer.startswith(missing_item(secret))


def test_rate_limited_membership_denies_private_and_shows_public(app_server, world):
    app_server.slack.fail("conversations.members", status=429, retry_after=1, times=50)
    answer = ask(app_server, "/veille", "liste toutes", "U1")
    assert OPEN_TITLE in answer
    assert SECRET_TITLE not in answer
    assert "réessayez" in answer
    secret = world["secret"]
    assert ask(app_server, "/veille", f"voir {secret}", "U1").startswith(missing_item(secret))


def test_digest_in_a_public_channel_holds_nothing_private(app_server, world, db_path):
    monday = NOW - timedelta(days=NOW.weekday()) + timedelta(days=7)
    now = monday.replace(hour=10, minute=0)
    with connect(db_path) as db, write(db):  # the items were first seen during the week before
        db.execute("UPDATE items SET first_seen_at = ?", [(now - timedelta(days=1)).isoformat()])
    with connect(db_path) as db:  # the bot ran last week (a very first start posts no digest)
        last_week = week_key(now - timedelta(days=7), ZoneInfo("Europe/Paris"))
        reminders.record(db, last_week, "sent", "", now - timedelta(days=7))
    post_weekly_digest(db_path, app_server.runtime.messenger, PUBLIC, now=now, lang="fr",
                       tz="Europe/Paris")  # fmt: skip
    [post] = [c for c in app_server.slack.calls_to("chat.postMessage")
              if c.params.get("channel") == PUBLIC]  # fmt: skip
    text = post.params.get("text", "") + json.dumps(post.params.get("blocks"), ensure_ascii=False)
    assert OPEN_TITLE in text
    for secret in (SECRET_TITLE, "Conseil d'administration", "Budget réservé"):
        assert secret not in text


def test_shared_calendar_holds_public_sessions_only(config, world, db_path):
    messenger = RecordingMessenger(private={PRIVATE: {"U1", "U2"}})
    shared = Runtime(config=config.__class__(**{**config.__dict__, "ics_token": "s3cret"}),
                     messenger=messenger, clock=lambda: NOW)  # fmt: skip
    response = serve_calendar(shared, {"token": ["s3cret"]})
    body = response.body.decode()
    assert "Réunion ouverte" in body
    assert "Conseil" not in body


def _feed_id(app_server, channel: str) -> int:
    with connect(app_server.runtime.config.db_path) as db:
        return db.execute("SELECT id FROM feeds WHERE channel_id = ?", [channel]).fetchone()[0]
