"""« Pour un porteur » on an item message: the button, the form, the link and the referent's DM."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

from bot.local.localslack import TEAM_ID
from storage import holders as store
from storage.db import connect
from tests.digest.conftest import CHANNEL, insert_item
from tests.holders.conftest import NOW, ask


def click(app, user: str, item_id: int) -> None:
    app.action({
        "user": {"id": user}, "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": "1799.000001", "channel_id": CHANNEL},
        "message": {"ts": "1799.000001"},
        "actions": [{"action_id": "item_for_holder", "block_id": f"item_actions_{item_id}",
                     "value": str(item_id)}],
    })  # fmt: skip


def submit(app, user: str, item_id: int, holder: str | None) -> tuple[int, str]:
    selected = {"selected_option": {"value": holder}} if holder else {"selected_option": None}
    payload = {
        "type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": user},
        "api_app_id": "A1", "trigger_id": "t.2",
        "view": {"id": "V1", "type": "modal", "callback_id": "holder_link_modal",
                 "private_metadata": str(item_id),
                 "state": {"values": {"holder_link": {"holder_select": selected}}}},
    }  # fmt: skip
    status, text, _ = app.post(urlencode({"payload": json.dumps(payload)}))
    return status, text


def an_item(app, title: str = "Appel à projets ECSI 2027") -> int:
    with connect(app.runtime.config.db_path) as db:
        return insert_item(db, title, NOW - timedelta(days=1))


def test_the_button_opens_a_form_listing_the_holders_and_the_link_tells_the_referent(holders_app):
    ask(holders_app, "ajouter Puy Solidaire territoire:Clermont-Ferrand", user="UCAMILLE")
    ask(holders_app, "ajouter École Jean Macé territoire:Lyon", user="UMARIE")
    item = an_item(holders_app)
    click(holders_app, "UBOB", item)
    [opened] = holders_app.slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "holder_link_modal"
    assert view["private_metadata"] == str(item)
    options = view["blocks"][0]["element"]["options"]
    assert [o["text"]["text"] for o in options] == [
        "n° 2 · École Jean Macé (Lyon)", "n° 1 · Puy Solidaire (Clermont-Ferrand)",
    ]  # fmt: skip
    # no choice: the form says so and stays open
    status, text = submit(holders_app, "UBOB", item, None)
    assert status == 200
    assert json.loads(text) == {
        "response_action": "errors", "errors": {"holder_link": "Choisissez un porteur dans la liste."},
    }  # fmt: skip
    assert submit(holders_app, "UBOB", item, "2")[0] == 200
    [dm] = holders_app.slack.wait_for("chat.postMessage")
    assert dm.params["channel"] == "DMARIE"
    assert dm.params["text"] == (
        f":seedling: <@UBOB> a gardé l'article n° {item} (Appel à projets ECSI 2027) pour le "
        "porteur n° 2 (École Jean Macé) que vous suivez. Voir : `/porteur voir 2`."
    )
    [told] = holders_app.slack.wait_for("chat.postEphemeral")
    assert told.params["user"] == "UBOB"
    assert told.params["text"].startswith(
        f"Article n° {item} (Appel à projets ECSI 2027) gardé pour le porteur n° 2"
    )
    detail = ask(holders_app, "voir 2")
    assert "*Articles gardés pour ce porteur* (1)" in detail
    assert f"n° {item} <https://example.org/" in detail
    assert "(par <@UBOB>)" in detail


def test_linking_twice_tells_the_referent_once(holders_app):
    ask(holders_app, "ajouter Puy Solidaire", user="UCAMILLE")
    item = an_item(holders_app)
    assert ask(holders_app, f"lier 1 {item}", user="UBOB").startswith(f"Article n° {item}")
    assert ask(holders_app, f"link 1 {item}", user="UBOB") == (
        f"L'article n° {item} était déjà gardé pour le porteur n° 1 (Puy Solidaire)."
    )
    dms = [
        c
        for c in holders_app.slack.calls_to("chat.postMessage")
        if c.params["channel"] == "DCAMILLE"
    ]
    assert len(dms) == 1
    with connect(holders_app.runtime.config.db_path) as db:
        assert [i.item_id for i in store.linked_items(db, 1)] == [item]


def test_link_errors_are_french(holders_app):
    ask(holders_app, "ajouter Puy Solidaire")
    assert "Aucun article n° 77." in ask(holders_app, "lier 1 77")
    assert "Aucun porteur n° 5." in ask(holders_app, f"lier 5 {an_item(holders_app)}")
    assert "Écrivez `/porteur lier &lt;n° du porteur&gt;" in ask(holders_app, "lier 1")


def test_without_any_holder_the_button_says_how_to_add_one(holders_app):
    click(holders_app, "UBOB", an_item(holders_app))
    [told] = holders_app.slack.wait_for("chat.postEphemeral")
    assert told.params["text"].startswith(
        "Aucun porteur encore : ajoutez-en un avec `/porteur ajouter"
    )
    assert holders_app.slack.calls_to("views.open") == []


def test_the_item_message_carries_the_button():
    from bot.items.render.message import build_item_message
    from storage.items import Item

    item = Item(12, "C1", "Appel", "https://example.org/a", None, "", "", None,
                "2027-01-12T09:00:00+00:00", "open", None, False, "posted", 1, "1.2", None)  # fmt: skip
    _text, blocks = build_item_message(item, [], "fr")
    last = blocks[-1]["elements"][-1]
    assert (last["action_id"], last["value"], last["text"]["text"]) == (
        "item_for_holder",
        "12",
        "Pour un porteur",
    )
