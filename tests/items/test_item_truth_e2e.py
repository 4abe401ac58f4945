"""Item messages tell the truth at a glance (issue 12, point 4), through the real HTTP endpoint.

The buttons follow the state (free → Je prends; claimed → Lâcher, C'est fait; closed → Rouvrir;
always Pour la lettre, Voir, Noter), one status line shows owner and notes together, and the
« pour la lettre » flag toggles by command and by button.
"""

from __future__ import annotations

import json

import pytest

from bot.items.render.message import build_item_message
from storage import claims
from storage.db import connect
from tests.items.conftest import insert_item
from tests.items.test_e2e_slack import CHANNEL, button, wait_until


@pytest.fixture
def item_message(app_server, db):
    """Post a real item message to the stand-in and insert its row; return (item id, ts)."""
    item_id = insert_item(db, "Festival des Solidarités 2027", message_ts="pending")
    text, blocks = build_item_message(claims.get_item(db, item_id), [], "fr")
    answer = app_server.slack.answer(
        "chat.postMessage", {"channel": CHANNEL, "text": text, "blocks": blocks}
    )
    db.execute("UPDATE items SET message_ts = ? WHERE id = ?", [answer["ts"], item_id])
    db.conn.commit()
    return item_id, answer["ts"]


def shown(app_server, ts: str) -> dict:
    """Return what people see on the item message: the buttons' labels and the status line."""
    message = next(m for m in app_server.slack.messages[CHANNEL] if m["ts"] == ts)
    blocks = message["blocks"]
    labels = [e["text"]["text"] for e in blocks[-1]["elements"]]
    status = next(b for b in blocks if b.get("block_id") == "item_state")
    return {"buttons": labels, "status": status["elements"][0]["text"], "text": message["text"]}


def click(app_server, user: str, item_id: int, ts: str, action: str, updates: int) -> None:
    """Click a button on the item message and wait for the message to be updated."""
    assert app_server.action(button(user, item_id, ts, action))[0] == 200
    assert len(app_server.slack.wait_for("chat.update", updates, timeout=10)) >= updates


def answers(app_server) -> list[str]:
    return [c.params.get("text", "") for c in app_server.slack.calls_to("response_url")]


def test_buttons_follow_the_state_claim_release_done_reopen(app_server, item_message):
    item_id, ts = item_message
    free = ["Je prends", "Pas pertinent", "Pour la lettre", "Voir", "Noter", "Pour un porteur"]
    assert shown(app_server, ts)["buttons"] == free
    assert shown(app_server, ts)["status"] == "Libre"

    click(app_server, "UALICE", item_id, ts, "item_claim", 1)
    now = shown(app_server, ts)
    assert now["buttons"] == [
        "Lâcher",
        "C'est fait",
        "Pour la lettre",
        "Voir",
        "Noter",
        "Pour un porteur",
    ]
    assert now["status"] == "👀 Pris par <@UALICE>"

    click(app_server, "UALICE", item_id, ts, "item_release", 2)
    assert shown(app_server, ts) | {"text": ""} == {"buttons": free, "status": "Libre", "text": ""}
    assert wait_until(lambda: any("lâché" in a for a in answers(app_server)))

    click(app_server, "UALICE", item_id, ts, "item_claim", 3)
    click(app_server, "UALICE", item_id, ts, "item_done", 4)
    now = shown(app_server, ts)
    assert now["buttons"] == ["Rouvrir", "Pour la lettre", "Voir", "Noter", "Pour un porteur"]
    assert now["status"] == "✅ Traité par <@UALICE>"

    click(app_server, "UALICE", item_id, ts, "item_reopen", 5)
    assert shown(app_server, ts)["buttons"] == free
    assert shown(app_server, ts)["status"] == "Libre"


def test_release_by_someone_else_is_refused_and_the_buttons_stay(app_server, item_message):
    item_id, ts = item_message
    click(app_server, "UALICE", item_id, ts, "item_claim", 1)
    assert app_server.action(button("UBOB", item_id, ts, "item_release"))[0] == 200
    assert wait_until(lambda: any("<@UALICE>" in a for a in answers(app_server)))
    assert shown(app_server, ts)["buttons"][:2] == ["Lâcher", "C'est fait"]
    with connect(app_server.runtime.config.db_path) as db:
        assert claims.get_item(db, item_id).owner == "UALICE"


def test_status_line_shows_owner_and_notes_together(app_server, item_message):
    item_id, ts = item_message
    app_server.command(
        "/veille", f"note {item_id} À relayer aux adhérents", user="UBOB", channel=CHANNEL
    )
    app_server.slack.wait_for("chat.update", 1, timeout=10)
    assert shown(app_server, ts)["status"] == "Libre · 1 note"
    app_server.command("/veille", f"prendre {item_id}", user="UALICE", channel=CHANNEL)
    app_server.slack.wait_for("chat.update", 2, timeout=10)
    app_server.command("/veille", f"note {item_id} Vu au CA", user="UALICE", channel=CHANNEL)
    app_server.slack.wait_for("chat.update", 3, timeout=10)
    now = shown(app_server, ts)
    assert now["status"] == "👀 Pris par <@UALICE> · 2 notes"
    assert now["text"].endswith("— 👀 Pris par <@UALICE> · 2 notes")  # the notification too
    assert "(s)" not in json.dumps(app_server.slack.messages[CHANNEL], ensure_ascii=False)


def test_show_button_on_the_message_answers_the_detail_privately(app_server, item_message):
    item_id, ts = item_message
    assert app_server.action(button("UBOB", item_id, ts, "item_show"))[0] == 200
    (answer,) = app_server.slack.wait_for("response_url", 1, timeout=10)
    assert answer.params["response_type"] == "ephemeral"
    assert "Festival des Solidarités 2027" in json.dumps(answer.params, ensure_ascii=False)
    assert "Historique" in json.dumps(answer.params, ensure_ascii=False)


def test_note_button_opens_the_note_modal(app_server, item_message):
    item_id, ts = item_message
    assert app_server.action(button("UBOB", item_id, ts, "item_note"))[0] == 200
    (opened,) = app_server.slack.wait_for("views.open", 1, timeout=10)
    assert opened.params["view"]["private_metadata"] == str(item_id)


def test_lettre_toggles_by_command_and_by_button(app_server, item_message):
    item_id, ts = item_message
    db_path = app_server.runtime.config.db_path

    def flagged() -> bool:
        with connect(db_path) as db:
            return claims.get_item(db, item_id).newsletter

    app_server.command("/veille", f"lettre {item_id}", user="UBOB", channel=CHANNEL)
    app_server.slack.wait_for("chat.update", 1, timeout=10)
    assert flagged()
    now = shown(app_server, ts)
    assert now["status"] == "Libre · 📰 Pour la lettre"
    assert "Retirer de la lettre" in now["buttons"]
    assert wait_until(lambda: any("retenu pour la lettre" in a for a in answers(app_server)))

    app_server.command("/veille", f"lettre {item_id}", user="UBOB", channel=CHANNEL)
    app_server.slack.wait_for("chat.update", 2, timeout=10)
    assert not flagged()
    assert shown(app_server, ts)["status"] == "Libre"
    assert wait_until(lambda: any("n'est plus retenu" in a for a in answers(app_server)))

    click(app_server, "UALICE", item_id, ts, "item_newsletter", 3)
    assert flagged()
    assert "Retirer de la lettre" in shown(app_server, ts)["buttons"]
    click(app_server, "UALICE", item_id, ts, "item_newsletter", 4)
    assert not flagged()
    assert "Pour la lettre" in shown(app_server, ts)["buttons"]
    with connect(db_path) as db:
        events = [e.action for e in claims.list_events(db, item_id)]
    assert events == ["flagged", "unflagged", "flagged", "unflagged"]
