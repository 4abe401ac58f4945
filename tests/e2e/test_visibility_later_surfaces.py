"""Who sees what (issue 11) on surfaces added after it: decision buttons, the newsletter draft,
the digest's feed health and « Pour un porteur », through the real HTTP endpoint.

GPRIV is private (members U1, U2); U3 is not a member; CPUB is public.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import t
from bot.digest.job import post_weekly_digest, week_key
from bot.local.localslack import TEAM_ID
from bot.meetings.render import DECISION_MOVE, DECISION_UNDO, UNFILED_VALUE
from storage import decisions as decision_store
from storage import holders as holder_store
from storage import reminders
from storage.db import connect, write
from storage.decisions import add_decision
from storage.feeds import add_feed
from storage.holders import add_holder
from storage.meetings import add_meeting
from tests.e2e.test_visibility import ask
from tests.items.conftest import insert_item

PRIVATE, PUBLIC = "GPRIV", "CPUB"
NOW = datetime.now(UTC)


@pytest.fixture
def board(app_server, db):
    """A private session with a fresh decision, a private flagged item, a public holder."""
    app_server.slack.make_private(PRIVATE, "U1", "U2")
    meeting = add_meeting(db, title="Conseil restreint", starts_at=NOW + timedelta(days=2),
                          place="", channel_id=PRIVATE, created_by="U1", now=NOW)  # fmt: skip
    other = add_meeting(db, title="Bureau restreint", starts_at=NOW + timedelta(days=4),
                        place="", channel_id=PRIVATE, created_by="U1", now=NOW)  # fmt: skip
    decision, _ = add_decision(db, meeting_id=meeting.id, text="Budget confidentiel", owner="U3",
                               due_date=None, created_by="U3", now=NOW)  # fmt: skip
    secret = insert_item(db, "Appel confidentiel du bailleur", channel_id=PRIVATE,
                         first_seen_at=NOW - timedelta(days=1), newsletter=True)  # fmt: skip
    shown = insert_item(db, "Appel ouvert Sahel", channel_id=PUBLIC,
                        first_seen_at=NOW - timedelta(days=1), newsletter=True)  # fmt: skip
    holder = add_holder(db, name="Collège Ouvert", structure="", territory="Lyon",
                        territory_key="lyon", network="RESACOOP", referent="U2",
                        channel_id=PUBLIC, now=NOW)  # fmt: skip
    return {"meeting": meeting.id, "other": other.id, "decision": decision.id, "secret": secret,
            "shown": shown, "holder": holder}  # fmt: skip


def click(app_server, user: str, action: dict) -> str:
    """Click a control on a message in the public channel; return what the clicker is told."""
    before = len(app_server.slack.calls_to("response_url"))
    app_server.action({"user": {"id": user}, "channel": {"id": PUBLIC},
                       "container": {"type": "message", "channel_id": PUBLIC},
                       "actions": [action]})  # fmt: skip
    [*_, said] = app_server.slack.wait_for("response_url", before + 1, timeout=10)
    return said.params.get("text", "")


def test_non_member_cannot_undo_or_move_a_private_decision(app_server, board, db):
    number = board["decision"]
    refused = t("meetings.error.decision_not_found", "fr", id=number)
    undo = {"action_id": DECISION_UNDO, "value": str(number)}
    assert click(app_server, "U3", undo).startswith(refused)
    for session in (board["other"], UNFILED_VALUE):
        move = {"action_id": DECISION_MOVE,
                "selected_option": {"value": f"{number}:{session}"}}  # fmt: skip
        assert click(app_server, "U3", move).startswith(refused)
    decision = decision_store.get_decision(db, number)
    assert (decision.status, decision.meeting_id) == ("open", board["meeting"])


def test_newsletter_draft_of_a_non_member_holds_nothing_private(app_server, board):
    outside = ask(app_server, "/veille", "lettre brouillon", "U3")
    assert "Appel ouvert Sahel" in outside
    assert "Appel confidentiel" not in outside
    assert "Appel confidentiel" in ask(app_server, "/veille", "lettre brouillon", "U1")


def test_the_feed_health_of_a_public_digest_names_no_private_feed(app_server, board, db_path):
    monday = NOW - timedelta(days=NOW.weekday()) + timedelta(days=7)
    now = monday.replace(hour=10, minute=0)
    with connect(db_path) as db:
        for channel, title in ((PRIVATE, "Flux du conseil"), (PUBLIC, "Flux public")):
            feed = add_feed(db, f"https://example.org/{channel}.xml",
                            f"example.org/{channel}.xml", channel, now=now - timedelta(days=3),
                            title=title)  # fmt: skip
            with write(db):
                db.execute("UPDATE feeds SET last_error = 'http_status', error_count = 2 "
                           "WHERE id = ?", [feed.id])  # fmt: skip
        last_week = week_key(now - timedelta(days=7), ZoneInfo("Europe/Paris"))
        reminders.record(db, last_week, "sent", "", now - timedelta(days=7))
    post_weekly_digest(db_path, app_server.runtime.messenger, PUBLIC, now=now, lang="fr",
                       tz="Europe/Paris")  # fmt: skip
    [post] = [c for c in app_server.slack.calls_to("chat.postMessage")
              if c.params.get("channel") == PUBLIC]  # fmt: skip
    text = post.params.get("text", "") + json.dumps(post.params.get("blocks"), ensure_ascii=False)
    assert "Flux public" in text
    assert "Flux du conseil" not in text


def test_a_non_member_cannot_keep_a_private_item_for_a_holder_from_the_form(app_server, board, db):
    payload = {
        "type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": "U3"},
        "api_app_id": "A1", "trigger_id": "t.2",
        "view": {"id": "V1", "type": "modal", "callback_id": "holder_link_modal",
                 "private_metadata": str(board["secret"]),
                 "state": {"values": {"holder_link": {"holder_select": {
                     "selected_option": {"value": str(board["holder"])}}}}}},
    }  # fmt: skip
    status, _, _ = app_server.post(urlencode({"payload": json.dumps(payload)}))
    assert status == 200
    told = app_server.slack.wait_for("chat.postMessage", 1, timeout=10)  # by DM: no channel
    assert told[0].params["text"].startswith(t("holders.error.no_item", "fr", n=board["secret"]))
    assert holder_store.linked_items(db, board["holder"]) == []
    assert not [c for c in app_server.slack.calls_to("chat.postMessage")
                if "confidentiel" in c.params.get("text", "")]  # fmt: skip
