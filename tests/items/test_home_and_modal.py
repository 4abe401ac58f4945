"""App Home contents and the note modal."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.core.home import build_home_view
from bot.features import home_parts
from bot.items.actions import ACTIONS, Actor, claim_item, flag_item
from bot.items.home import build_items_home
from bot.items.render.note_modal import NOTE_MODAL_CALLBACK, build_note_modal, note_text
from bot.items.states import ACTION_BUTTONS
from tests.items.conftest import NOW


def build_item_home(db, user, lang, now, parts=None):
    """The whole Home tab, as the app publishes it."""
    return build_home_view(parts or home_parts(), db, user, lang, "Europe/Paris", now)


def test_home_lists_mine_recent_free_and_newsletter(db, make_item, monkeypatch):
    mine = make_item("Le mien")
    make_item("Vieux et libre", first_seen_at=NOW - timedelta(days=8))
    recent = make_item("Récent et libre", first_seen_at=NOW - timedelta(days=2))
    flagged = make_item("Pour la lettre")
    claim_item(db, Actor("UALICE", NOW), mine)
    flag_item(db, Actor("UBOB", NOW), flagged)

    view = build_item_home(db, "UALICE", "fr", NOW)
    rendered = json.dumps(view, ensure_ascii=False)
    assert "Vieux et libre" not in rendered
    texts = [b.get("text", {}).get("text", "") for b in view["blocks"]]
    order = [n for n, text in enumerate(texts) if "Le mien" in text or "Récent" in text]
    assert len(order) == 2
    assert f"*#{recent}*" in rendered
    assert f"*#{flagged}*" in rendered
    assert "*Prochaines sessions*" in rendered


def test_home_shows_upcoming_sessions_and_my_open_decisions(db):
    from storage.decisions import add_decision
    from storage.meetings import add_meeting

    session = add_meeting(
        db,
        title="Temps de travail",
        starts_at=NOW + timedelta(days=3),
        place="Lyon",
        channel_id="C1",
        created_by="UBOB",
        now=NOW,
    )
    add_meeting(
        db,
        title="Séance passée",
        starts_at=NOW - timedelta(days=3),
        place="Clermont-Ferrand",
        channel_id="C1",
        created_by="UBOB",
        now=NOW,
    )
    add_decision(
        db,
        meeting_id=session.id,
        text="Mutualiser la veille <!channel>",
        owner="UALICE",
        due_date=None,
        created_by="UBOB",
        now=NOW,
    )
    add_decision(
        db,
        meeting_id=session.id,
        text="Pas à moi",
        owner="UBOB",
        due_date=None,
        created_by="UBOB",
        now=NOW,
    )
    rendered = json.dumps(build_item_home(db, "UALICE", "fr", NOW), ensure_ascii=False)
    assert "Temps de travail" in rendered
    assert "Séance passée" not in rendered
    assert "Mutualiser la veille &lt;!channel&gt;" in rendered
    assert "Pas à moi" not in rendered


def test_home_still_shows_items_when_the_meetings_part_fails(db, make_item, monkeypatch):
    make_item("Toujours là")

    def broken(*args):
        raise RuntimeError("meetings not ready")

    parts = (build_items_home, broken)
    rendered = json.dumps(build_item_home(db, "UALICE", "fr", NOW, parts), ensure_ascii=False)
    assert "Toujours là" in rendered


def test_note_modal_round_trip():
    view = build_note_modal(42, "fr")
    assert view["callback_id"] == NOTE_MODAL_CALLBACK
    assert view["private_metadata"] == "42"
    assert len(view["title"]["text"]) <= 24
    state = {"values": {"note": {"text": {"type": "plain_text_input", "value": "Bien vu"}}}}
    assert note_text(state) == "Bien vu"
    assert note_text({}) == ""


def test_action_buttons_map_to_actions(db, make_item):
    item_id = make_item()
    assert set(ACTION_BUTTONS) == {
        "item_claim", "item_release", "item_done", "item_dismiss", "item_reopen", "item_newsletter",
    }  # fmt: skip
    assert ACTIONS[ACTION_BUTTONS["item_dismiss"]](db, Actor("U1", NOW), item_id).changed
