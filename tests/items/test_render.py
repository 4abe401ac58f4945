"""Rendering: status line texts, `/veille voir` detail, lists and App Home, mrkdwn escaping."""

from __future__ import annotations

import json

import pytest

from bot.core.home import build_home_view
from bot.items.actions import Actor, claim_item, close_item, flag_item, note_item
from bot.items.lists import list_page
from bot.items.render.detail import build_item_detail
from bot.items.render.lists import build_home_sections, build_item_list
from bot.items.render.status import status_line
from bot.items.states import ItemList
from storage import claims, notes
from tests.items.conftest import NOW

HOSTILE = "<!channel> Tom & Jerry <https://evil.example|clic>"


def detail(db, item_id, lang="fr"):
    return build_item_detail(
        claims.get_item(db, item_id),
        claims.list_sources(db, item_id),
        claims.list_events(db, item_id),
        notes.list_notes(db, item_id),
        lang,
        "Europe/Paris",
    )


@pytest.mark.parametrize(
    ("act", "expected"),
    [
        (lambda db, i: claim_item(db, Actor("U1", NOW), i), "👀 Pris par <@U1>"),
        (lambda db, i: close_item(db, Actor("U1", NOW), i, "done"), "✅ Traité par <@U1>"),
        (lambda db, i: close_item(db, Actor("U1", NOW), i, "dismissed"), "🚫 Écarté par <@U1>"),
        (lambda db, i: flag_item(db, Actor("U1", NOW), i), "Libre · 📰 Pour la lettre"),
        (lambda db, i: None, "Libre"),
    ],
)
def test_status_line_texts(db, make_item, act, expected):
    item_id = make_item()
    act(db, item_id)
    assert status_line(claims.get_item(db, item_id), 0, "fr") == expected


def test_status_line_combines_owner_flag_and_notes(db, make_item):
    item_id = make_item()
    claim_item(db, Actor("U1", NOW), item_id)
    flag_item(db, Actor("U2", NOW), item_id)
    line = status_line(claims.get_item(db, item_id), 2, "fr")
    assert line == "👀 Pris par <@U1> · 📰 Pour la lettre · 2 notes"


def test_detail_shows_sources_status_history_and_notes(db, make_item):
    item_id = make_item("Forum des solidarités")
    db.execute(
        "INSERT INTO feeds (id, url, canonical_url, channel_id, title, origin, added_at) "
        "VALUES (1, 'u', 'u', 'C', 'Agenda RESACOOP', 'resacoop', 't')"
    )
    db.execute(
        "INSERT INTO item_sources (item_id, feed_id, entry_key, link, seen_at) "
        "VALUES (?, 1, 'k', 'https://resacoop.org/forum', 't')",
        [item_id],
    )
    db.conn.commit()
    claim_item(db, Actor("UALICE", NOW), item_id)
    note_item(db, Actor("UBOB", NOW), item_id, "Inscription avant le 3")
    text, blocks = detail(db, item_id)
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert "Agenda RESACOOP (resacoop) — https://resacoop.org/forum" in rendered
    assert '👀 Pris par <@UALICE> · 1 note"' in rendered
    assert (
        "lundi 11 janvier 2027 à 10 h 00 — <@UALICE> a pris l'article" in rendered
    )  # Europe/Paris
    assert "<@UBOB> (lundi 11 janvier 2027 à 10 h 00) : Inscription avant le 3" in rendered
    assert text.startswith(f"#{item_id} Forum des solidarités")


def test_detail_escapes_feed_and_user_text(db, make_item):
    item_id = make_item(HOSTILE, summary="a < b & c > d")
    note_item(db, Actor("UBOB", NOW), item_id, "<!here> regardez")
    text, blocks = detail(db, item_id)
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in rendered
    assert "<!here>" not in rendered
    assert "&lt;!channel&gt; Tom &amp; Jerry" in rendered
    assert "a &lt; b &amp; c &gt; d" in rendered
    assert "<!channel>" not in text


def test_detail_without_notes_or_history_says_how_to_add(db, make_item):
    item_id = make_item()
    _, blocks = detail(db, item_id)
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert "Aucune note pour l'instant" in rendered
    assert "Aucun changement pour l'instant." in rendered


def test_list_page_has_claim_buttons_and_next_page_hint(db, make_item):
    for n in range(12):
        make_item(f"Item {n} {HOSTILE}")
    page = list_page(db, ItemList.FREE, "U1", limit=10)
    text, blocks = build_item_list(page, "Articles libres", "fr", "/veille liste libres 2")
    assert text == "Articles libres (1 à 10 sur 12)"
    buttons = [b["accessory"] for b in blocks if "accessory" in b]
    assert len(buttons) == 10
    assert {b["action_id"] for b in buttons} == {"item_claim"}
    assert "Page suivante : `/veille liste libres 2`" in json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in json.dumps(blocks)


def test_empty_list_says_so(db):
    page = list_page(db, ItemList.NEWSLETTER, "U1")
    text, _ = build_item_list(page, "Articles pour la lettre", "fr", "")
    assert text == "Articles pour la lettre : aucun article dans cette liste."


def test_home_has_sections_and_the_next_parts_blocks(db, make_item):
    make_item("libre")

    def items_part(db, user, lang, tz, now):
        sections = [
            ("items.home.mine", list_page(db, ItemList.MINE, user)),
            ("items.home.unclaimed", list_page(db, ItemList.FREE, user)),
        ]
        return build_home_sections(sections, lang)

    def sessions_part(db, user, lang, tz, now):
        return [{"type": "section", "text": {"type": "mrkdwn", "text": "*Sessions*"}}]

    view = build_home_view((items_part, sessions_part), db, "U1", "fr", "Europe/Paris", None)
    rendered = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    assert "*Mes articles*" in rendered
    assert "Rien pour l'instant." in rendered
    assert "*Articles libres des 7 derniers jours*" in rendered
    assert view["blocks"][-1]["text"]["text"] == "*Sessions*"
