"""Who sees what (issue 11) on the paths issue 14 added: deadlines and links added by hand.

Through the real HTTP endpoint and the local Slack stand-in: GPRIV is private (U1, U2), U3 is
not a member, CPUB is public. A private item's deadline is neither listed, shown in the App Home,
set, removed nor confirmed by U3 (every refusal reads « introuvable »); U1 does all of it. A link
added in a conversation the bot is not in is refused plainly, before any fetch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.calls.render import CONFIRM_ACTION
from bot.core.i18n import t
from storage import calls as call_store
from storage import claims
from storage.db import connect, write
from tests.calls.test_links import OG_PAGE, ephemerals, shortcut, wait_for
from tests.e2e.test_visibility import ask
from tests.items.conftest import insert_item
from tests.watch.feedserver import serving

PRIVATE, PUBLIC = "GPRIV", "CPUB"
SECRET_CALL = "Appel confidentiel du bailleur"
OPEN_CALL = "Appel ouvert Sahel"
DAY = (datetime.now(UTC) + timedelta(days=20)).date()


@pytest.fixture
def calls(app_server, db):
    """One item with a set deadline in each channel, and a private one with a proposed deadline."""
    app_server.slack.make_private(PRIVATE, "U1", "U2")
    ids = {
        "secret": insert_item(db, SECRET_CALL, channel_id=PRIVATE),
        "open": insert_item(db, OPEN_CALL, channel_id=PUBLIC),
        "proposed": insert_item(db, "Appel privé Jeunesse",
                                "Date limite de dépôt : 15 janvier 2030.", channel_id=PRIVATE),
    }  # fmt: skip
    with write(db):
        for key in ("secret", "open"):
            call_store.set_deadline(db, ids[key], DAY, "U1", datetime.now(UTC))
    return ids


def deadline(db_path, item_id):
    with connect(db_path) as db:
        item = claims.get_item(db, item_id)
    return item.deadline_state, item.deadline_on


def missing(item_id: int) -> str:
    return t("calls.not_found", "fr", id=item_id)


def test_non_member_lists_no_private_deadline(app_server, calls):
    listing = ask(app_server, "/veille", "échéances", "U3")
    assert OPEN_CALL in listing
    assert SECRET_CALL not in listing
    assert f"#{calls['secret']}" not in listing
    assert SECRET_CALL in ask(app_server, "/veille", "échéances", "U1")


def test_home_deadlines_of_a_non_member_hold_nothing_private(app_server, calls):
    for user, shown in (("U3", False), ("U1", True)):
        before = len(app_server.slack.calls_to("views.publish"))
        app_server.event({"type": "app_home_opened", "user": user, "tab": "home"})
        [*_, published] = app_server.slack.wait_for("views.publish", before + 1, timeout=10)
        view = json.dumps(published.params["view"], ensure_ascii=False)
        assert OPEN_CALL in view
        assert (SECRET_CALL in view) is shown


@pytest.mark.parametrize("when", ["15/01/2030", "aucune"])
def test_non_member_cannot_set_or_remove_a_private_deadline(app_server, calls, db_path, when):
    secret = calls["secret"]
    before = deadline(db_path, secret)
    answer = ask(app_server, "/veille", f"échéance {secret} {when}", "U3")
    assert answer.startswith(missing(secret))
    assert deadline(db_path, secret) == before
    never = secret + 1000  # a refused number reads exactly like one that does not exist
    assert ask(app_server, "/veille", f"échéance {never} {when}", "U3").startswith(missing(never))


def test_member_sets_a_private_deadline(app_server, calls, db_path):
    secret = calls["secret"]
    assert "Échéance" in ask(app_server, "/veille", f"échéance {secret} 15/01/2030", "U1")
    assert deadline(db_path, secret) == ("set", "2030-01-15")


def test_non_member_cannot_confirm_a_private_proposed_deadline(app_server, calls, db_path):
    item = calls["proposed"]
    for user, expected in (("U3", ("", None)), ("U1", ("set", "2030-01-15"))):
        before = len(app_server.slack.calls_to("response_url"))
        app_server.action({
            "user": {"id": user}, "channel": {"id": PUBLIC},
            "container": {"type": "message", "channel_id": PUBLIC},
            "actions": [{"action_id": CONFIRM_ACTION, "value": f"{item}:2030-01-15"}],
        })  # fmt: skip
        [*_, said] = app_server.slack.wait_for("response_url", before + 1, timeout=10)
        assert said.params["text"].startswith(missing(item)) is (user == "U3")
        assert deadline(db_path, item) == expected


@pytest.fixture
def page():
    with serving() as server:
        server.route("/og", body=OG_PAGE, Content_Type="text/html; charset=utf-8")
        yield server


def stored_items(db_path) -> int:
    with connect(db_path) as db:
        return db.execute("SELECT count(*) FROM items").fetchone()[0]


def test_adding_a_link_where_the_bot_is_not_says_so_and_fetches_nothing(app_server, page, db_path):
    app_server.slack.make_private("GNOBOT", "U1")
    app_server.slack.bot_absent.add("GNOBOT")
    answer = ask(app_server, "/veille", f"ajouter {page.url('/og')} à lire", "U1", "GNOBOT")
    assert answer.startswith(t("visibility.bot_not_in_channel", "fr"))
    assert stored_items(db_path) == 0
    assert page.hits["/og"] == 0


def test_the_shortcut_in_a_conversation_the_bot_is_not_in_says_so(app_server, page, db_path):
    app_server.slack.make_private("GNOBOT", "U1")
    app_server.slack.bot_absent.add("GNOBOT")
    shortcut(app_server, f"À voir : <{page.url('/og')}>", channel="GNOBOT")
    told = wait_for(
        lambda: (
            ephemerals(app_server)
            or [c.params.get("text", "") for c in app_server.slack.calls_to("chat.postMessage")]
            or None
        )
    )
    assert told
    assert told[0].startswith(t("visibility.bot_not_in_channel", "fr"))
    assert stored_items(db_path) == 0
    assert page.hits["/og"] == 0
