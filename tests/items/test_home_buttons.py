"""Buttons clicked in the App Home, through the real HTTP endpoint and the local Slack stand-in.

A Home click is a ``block_actions`` payload from a view (``container.type == "view"``,
``view.type == "home"``) with no ``response_url``: nothing can be answered ephemerally, so
"Voir" opens a modal and a refusal (« déjà pris par @X ») opens a small one (a DM if Slack
refuses the modal), then the Home is published again with the true state.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from bot.core.messenger import MessengerError
from bot.items.flow import show_item_modal
from bot.items.render.detail_modal import build_detail_modal, build_notice_modal, clip
from bot.local.localslack import TEAM_ID
from storage import claims, notes
from storage.db import connect
from tests.items.conftest import insert_item

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def home_click(app_server, user: str, item_id: int, action: str) -> int:
    """Send a signed click from the App Home (no response_url); return the HTTP status."""
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID}, "api_app_id": "A1",
        "trigger_id": f"t.{time.time_ns()}", "user": {"id": user},
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home", "callback_id": ""},
        "actions": [{"action_id": action, "block_id": "b", "value": str(item_id)}],
    }  # fmt: skip
    return app_server.post(urlencode({"payload": json.dumps(payload)}))[0]


def view_of(call) -> dict:
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def rendered(view: dict) -> str:
    return json.dumps(view, ensure_ascii=False)


def assert_fits_a_modal(view: dict) -> None:
    """Fail when a view breaks one of Slack's modal limits (Slack would refuse it whole)."""
    assert view["type"] == "modal"
    assert len(view["title"]["text"].encode("utf-16-le")) // 2 <= 24
    assert len(view["close"]["text"]) <= 24
    assert 1 <= len(view["blocks"]) <= 100
    for block in view["blocks"]:
        if block["type"] == "section":
            assert 1 <= len(block["text"]["text"].encode("utf-16-le")) // 2 <= 3000


def test_home_show_button_opens_a_modal_with_the_item_and_its_note(app_server, db, db_path):
    item_id = insert_item(db, "Appel à projets Sahel", "Date limite : 15 mars", owner="UBOB",
                          status="claimed")  # fmt: skip
    notes.add_note(db, item_id, "UBOB", "Contact : Awa, Tambacounda", NOW)
    assert home_click(app_server, "UALICE", item_id, "item_show") == 200
    [opened] = app_server.slack.wait_for("views.open")
    view = view_of(opened)
    assert_fits_a_modal(view)
    shown = rendered(view)
    assert f"#{item_id}" in view["title"]["text"]
    assert "Appel à projets Sahel" in shown
    assert "Pris par <@UBOB>" in shown
    assert "*Historique*" in shown
    assert "*Notes*" in shown
    assert "Contact : Awa, Tambacounda" in shown
    assert opened.params["trigger_id"].startswith("t.")
    assert app_server.slack.calls_to("response_url") == []


def test_home_show_button_on_a_hostile_long_item_still_opens_within_limits(app_server, db):
    hostile = "<!channel> 🧨" * 2000  # far over 3,000 characters, astral emoji count double
    item_id = insert_item(db, hostile, hostile)
    for number in range(30):
        notes.add_note(db, item_id, "UBOB", f"note {number} " + hostile, NOW)
    assert home_click(app_server, "UALICE", item_id, "item_show") == 200
    [opened] = app_server.slack.wait_for("views.open")
    view = view_of(opened)
    assert_fits_a_modal(view)
    assert "<!channel>" not in rendered(view)  # escaped: no @channel from a feed's text


def test_home_show_button_on_a_missing_item_says_so(app_server):
    assert home_click(app_server, "UALICE", 999, "item_show") == 200
    [opened] = app_server.slack.wait_for("views.open")
    assert "Je ne trouve pas l'article 999" in rendered(view_of(opened))


def test_s8_home_claim_of_an_item_taken_by_someone_else_tells_the_clicker(app_server, db, db_path):
    item_id = insert_item(db, "Déjà pris", status="claimed", owner="UBOB")
    assert home_click(app_server, "UALICE", item_id, "item_claim") == 200
    [opened] = app_server.slack.wait_for("views.open")
    notice = view_of(opened)
    assert_fits_a_modal(notice)
    assert "déjà pris par <@UBOB>" in rendered(notice)
    [published] = app_server.slack.wait_for("views.publish")
    assert published.params["user_id"] == "UALICE"
    home = rendered(view_of(published))
    assert "*Mes articles*" in home
    assert f"*#{item_id}*" not in home
    with connect(db_path) as check:
        assert claims.get_item(check, item_id).owner == "UBOB"


def test_home_close_by_a_non_owner_tells_who_may(app_server, db):
    item_id = insert_item(db, "À Bob", status="claimed", owner="UBOB")
    assert home_click(app_server, "UALICE", item_id, "item_done") == 200
    [opened] = app_server.slack.wait_for("views.open")
    assert "seul·e <@UBOB> ou un·e admin peut" in rendered(view_of(opened))
    app_server.slack.wait_for("views.publish")


def test_home_claim_that_works_publishes_the_home_with_the_new_owner(app_server, db, db_path):
    item_id = insert_item(db, "Libre depuis l'accueil")
    assert home_click(app_server, "UALICE", item_id, "item_claim") == 200
    [published] = app_server.slack.wait_for("views.publish")
    view = view_of(published)
    assert view["type"] == "home"
    assert "Pris par <@UALICE>" in rendered(view)
    with connect(db_path) as check:
        assert claims.get_item(check, item_id).owner == "UALICE"
    time.sleep(0.3)  # a wrongly opened "success" modal would show up by now
    assert app_server.slack.calls_to("views.open") == []


def test_home_refusal_goes_by_dm_when_the_modal_cannot_open(app_server, db):
    item_id = insert_item(db, "Trigger périmé", status="claimed", owner="UBOB")
    app_server.slack.fail("views.open", error="expired_trigger_id")
    assert home_click(app_server, "UALICE", item_id, "item_claim") == 200
    [dm] = app_server.slack.wait_for("chat.postMessage")
    assert dm.params["channel"] == "DALICE"
    assert "déjà pris par <@UBOB>" in dm.params["text"]
    app_server.slack.wait_for("views.publish")


def test_detail_modal_cuts_to_slack_limits():
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 5000}}] * 150
    view = build_detail_modal(123456789012345678901234, blocks, "fr")
    assert_fits_a_modal(view)
    assert "/veille voir 123456789012345678901234" in rendered(view["blocks"][-1])
    assert clip("🧨" * 20, 24) == "🧨" * 11 + "…"
    assert_fits_a_modal(build_notice_modal("", "en"))


def test_show_item_modal_falls_back_to_a_dm_with_the_detail():
    class Refusing:
        def __init__(self):
            self.dms: list[tuple] = []

        def open_modal(self, trigger_id, view):
            raise MessengerError("expired_trigger_id")

        def direct_message(self, user, text, blocks=None):
            self.dms.append((user, text, blocks))
            return "1.0"

    messenger = Refusing()
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*#3 Titre*"}}]
    assert show_item_modal(messenger, "t.1", "UALICE", 3, "#3 Titre", blocks, "fr")
    assert messenger.dms == [("UALICE", "#3 Titre", blocks)]
