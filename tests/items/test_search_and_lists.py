"""Full-text search (accents folded, ranked, paged) and the libres / miennes / toutes / lettre lists."""

from __future__ import annotations

import pytest

from bot.items.actions import Actor, claim_item, flag_item, note_item
from bot.items.lists import list_page
from bot.items.states import ItemList
from storage import notes
from storage.search import fts_query, search_items
from tests.items.conftest import NOW, later


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("coopération", "Journée de la cooperation internationale"),
        ("cooperation", "Journée de la coopération internationale"),
        ("ÉDUCATION", "education a la citoyennete mondiale"),
        ("solidarite", "Semaine de la Solidarité internationale"),
    ],
)
def test_search_folds_accents_and_case(db, make_item, query, stored):
    item_id = make_item(stored)
    make_item("Budget régional 2027")
    page = search_items(db, query)
    assert [item.id for item in page.items] == [item_id]


def test_search_ranks_title_matches_first(db, make_item):
    in_summary = make_item("Nouvelles du réseau", summary="un mot sur le Sénégal en passant")
    in_title = make_item("Sénégal : appel à projets", summary="Sénégal, Sénégal")
    page = search_items(db, "senegal")
    assert [item.id for item in page.items] == [in_title, in_summary]


def test_search_covers_notes_and_follows_their_changes(db, make_item):
    item_id = make_item("Webinaire du jeudi")
    actor = Actor("UBOB", NOW)
    note_item(db, actor, item_id, "Intervenante de Tambacounda", message_ts="1800000000.1")
    assert [i.id for i in search_items(db, "tambacounda").items] == [item_id]
    notes.edit_note_by_message(db, "1800000000.1", "Intervenante de Kayes", later(1))
    assert search_items(db, "tambacounda").total == 0
    assert [i.id for i in search_items(db, "kayes").items] == [item_id]
    notes.delete_note_by_message(db, "1800000000.1", later(2))
    assert search_items(db, "kayes").total == 0
    assert [i.id for i in search_items(db, "webinaire").items] == [item_id]


def test_search_pages(db, make_item):
    ids = [make_item(f"Appel climat numéro {n}") for n in range(25)]
    first = search_items(db, "climat", limit=10)
    third = search_items(db, "climat", limit=10, offset=20)
    assert first.total == 25
    assert first.has_more
    assert len(third.items) == 5
    assert not third.has_more
    seen = {i.id for i in first.items} | {i.id for i in third.items}
    assert seen <= set(ids)


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "titre:*", "(", "NEAR(a b)", ""])
def test_search_with_fts_syntax_never_raises(db, make_item, query):
    make_item("AND OR NOT titre")
    search_items(db, query)  # must not raise sqlite3.OperationalError


def test_fts_query_quotes_words_and_prefixes_the_last():
    assert fts_query('coop "x" -y') == '"coop" "x" "y"*'


def test_lists_are_filtered_and_newest_first(db, make_item):
    old = make_item("ancien", first_seen_at=NOW)
    mine = make_item("le mien", first_seen_at=later(10))
    flagged = make_item("pour la lettre", first_seen_at=later(20))
    newest = make_item("tout neuf", first_seen_at=later(30))
    alice = Actor("UALICE", NOW)
    claim_item(db, alice, mine)
    flag_item(db, alice, flagged)
    ids = lambda kind: [i.id for i in list_page(db, kind, "UALICE").items]  # noqa: E731
    assert ids(ItemList.ALL) == [newest, flagged, mine, old]
    assert ids(ItemList.FREE) == [newest, flagged, old]
    assert ids(ItemList.MINE) == [mine]
    assert ids(ItemList.NEWSLETTER) == [flagged]
    assert [i.id for i in list_page(db, ItemList.MINE, "UBOB").items] == []


def test_list_pages_and_since(db, make_item):
    for n in range(12):
        make_item(f"item {n}", first_seen_at=later(n))
    page = list_page(db, ItemList.ALL, "U", limit=5, offset=10)
    assert (page.total, len(page.items), page.has_more) == (12, 2, False)
    recent = list_page(db, ItemList.FREE, "U", since=later(10).isoformat())
    assert recent.total == 2


def test_search_beyond_the_rank_window_pages_through_every_match(db, make_item, monkeypatch):
    from storage import search

    monkeypatch.setattr(search, "RANK_WINDOW", 10)
    ids = [make_item(f"Forum {n}", summary="forum " * (n % 4)) for n in range(30)]
    seen = []
    for offset in range(0, 35, 7):
        seen += [i.id for i in search_items(db, "forum", limit=7, offset=offset).items]
    assert seen[:10] != ids[-10:][::-1]  # the window is ranked, not just newest first
    assert sorted(seen[:10]) == ids[-10:]  # … and holds the 10 most recent matches
    assert seen[10:] == ids[:-10][::-1]  # older matches follow, newest first
    assert search_items(db, "forum").total == 30


def test_counts_stop_at_the_cap_and_say_so(db, make_item, monkeypatch):
    from bot.items.render.lists import build_item_list
    from storage import search

    monkeypatch.setattr(search, "COUNT_CAP", 5)
    for n in range(8):
        make_item(f"Climat {n}")
    page = list_page(db, ItemList.ALL, "U", limit=3)
    assert (page.total, page.capped, page.has_more) == (5, True, True)
    text, _ = build_item_list(page, "Tous les articles", "fr", "")
    assert text == "Tous les articles (1 à 3 sur plus de 5)"
    last = list_page(db, ItemList.ALL, "U", limit=3, offset=6)
    assert (len(last.items), last.has_more) == (2, False)
    found = search_items(db, "climat", limit=3)
    assert (found.total, found.capped) == (5, True)
