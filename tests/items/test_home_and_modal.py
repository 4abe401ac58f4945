"""App Home contents and the note modal."""

from __future__ import annotations

import json
from datetime import timedelta

from bot import item_home
from bot.item_home import build_item_home
from bot.items import BUTTON_ACTIONS, Actor, claim_item, flag_item
from bot.render.note_modal import NOTE_MODAL_CALLBACK, build_note_modal, note_text
from tests.items.conftest import NOW


def test_home_lists_mine_recent_free_and_newsletter(db, make_item, monkeypatch):
    mine = make_item("Le mien")
    make_item("Vieux et libre", first_seen_at=NOW - timedelta(days=8))
    recent = make_item("Récent et libre", first_seen_at=NOW - timedelta(days=2))
    flagged = make_item("Pour la lettre")
    claim_item(db, Actor("UALICE", NOW), mine)
    flag_item(db, Actor("UBOB", NOW), flagged)

    def broken(user, lang):
        raise RuntimeError("meetings not ready")

    monkeypatch.setattr(item_home, "HOME_SECTIONS", [])
    item_home.add_home_section(broken)
    item_home.add_home_section(lambda u, lang: [{"x": u}])
    view = build_item_home(db, "UALICE", "fr", NOW)
    rendered = json.dumps(view, ensure_ascii=False)
    assert "Vieux et libre" not in rendered
    texts = [b.get("text", {}).get("text", "") for b in view["blocks"]]
    order = [n for n, text in enumerate(texts) if "Le mien" in text or "Récent" in text]
    assert len(order) == 2
    assert f"*#{recent}*" in rendered
    assert f"*#{flagged}*" in rendered
    assert view["blocks"][-1] == {"x": "UALICE"}


def test_note_modal_round_trip():
    view = build_note_modal(42, "fr")
    assert view["callback_id"] == NOTE_MODAL_CALLBACK
    assert view["private_metadata"] == "42"
    assert len(view["title"]["text"]) <= 24
    state = {"values": {"note": {"text": {"type": "plain_text_input", "value": "Bien vu"}}}}
    assert note_text(state) == "Bien vu"
    assert note_text({}) == ""


def test_four_buttons_map_to_actions(db, make_item):
    item_id = make_item()
    assert set(BUTTON_ACTIONS) == {"item_claim", "item_done", "item_dismiss", "item_newsletter"}
    assert BUTTON_ACTIONS["item_dismiss"](db, Actor("U1", NOW), item_id).changed
