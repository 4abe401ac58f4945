"""Claim, release, done, dismiss, newsletter, re-open and notes: rules, messages, history."""

from __future__ import annotations

import pytest

from bot.items.actions import (
    Actor,
    claim_item,
    close_item,
    flag_item,
    note_item,
    release_item,
    reopen_item,
)
from storage import claims, notes
from tests.items.conftest import NOW, later


def alice(**kwargs) -> Actor:
    return Actor("UALICE", NOW, **kwargs)


def bob(**kwargs) -> Actor:
    return Actor("UBOB", later(1), **kwargs)


def test_claim_makes_the_person_owner_and_records_history(db, make_item):
    item_id = make_item()
    outcome = claim_item(db, alice(), item_id)
    assert outcome.ok
    assert outcome.changed
    assert "Vous avez pris l'article" in outcome.message
    item = claims.get_item(db, item_id)
    assert (item.status, item.owner) == ("claimed", "UALICE")
    events = claims.list_events(db, item_id)
    assert [(e.actor, e.action, e.at) for e in events] == [
        ("UALICE", "claimed", "2027-01-11T09:00:00+00:00")
    ]


def test_claim_of_a_taken_item_names_the_owner(db, make_item):
    item_id = make_item()
    claim_item(db, alice(), item_id)
    outcome = claim_item(db, bob(), item_id)
    assert not outcome.ok
    assert not outcome.changed
    assert "déjà pris par <@UALICE>" in outcome.message
    assert claims.get_item(db, item_id).owner == "UALICE"


def test_claim_twice_by_the_owner_is_harmless(db, make_item):
    item_id = make_item()
    claim_item(db, alice(), item_id)
    outcome = claim_item(db, alice(), item_id)
    assert outcome.ok
    assert not outcome.changed
    assert outcome.message == f"L'article {item_id} est déjà à vous."
    assert len(claims.list_events(db, item_id)) == 1


def test_unknown_item_number_says_so(db):
    outcome = claim_item(db, alice(), 999)
    assert not outcome.ok
    assert "Je ne trouve pas l'article 999" in outcome.message


@pytest.mark.parametrize(
    ("releaser", "admin", "released", "expected"),
    [
        ("UALICE", False, True, "Vous avez lâché l'article"),
        ("UBOB", False, False, "seul·e <@UALICE> ou un·e admin peut le lâcher"),
        ("UBOB", True, True, "Vous avez lâché l'article"),
    ],
)
def test_release_only_by_owner_or_admin(db, make_item, releaser, admin, released, expected):
    item_id = make_item()
    claim_item(db, alice(), item_id)
    outcome = release_item(db, Actor(releaser, later(2), admin=admin), item_id)
    assert outcome.changed is released
    assert expected in outcome.message
    item = claims.get_item(db, item_id)
    assert (item.status, item.owner) == (("open", None) if released else ("claimed", "UALICE"))


def test_release_of_a_free_item_explains(db, make_item):
    item_id = make_item()
    outcome = release_item(db, alice(), item_id)
    assert not outcome.ok
    assert "n'est pris par personne" in outcome.message


@pytest.mark.parametrize(("status", "word"), [("done", "traité"), ("dismissed", "écarté")])
def test_done_or_dismiss_of_a_free_item_names_who_closed_it(db, make_item, status, word):
    item_id = make_item()
    assert close_item(db, bob(), item_id, status).changed
    item = claims.get_item(db, item_id)
    assert (item.status, item.owner) == (status, "UBOB")
    again = claim_item(db, alice(), item_id)
    assert not again.ok
    assert f"{word} par <@UBOB>" in again.message


def test_done_of_someone_elses_claim_is_refused_unless_admin(db, make_item):
    item_id = make_item()
    claim_item(db, alice(), item_id)
    refused = close_item(db, bob(), item_id, "done")
    assert not refused.ok
    assert "pris par <@UALICE>" in refused.message
    assert close_item(db, alice(), item_id, "done").changed
    assert claims.get_item(db, item_id).status == "done"


def test_reopen_by_closer_or_admin_only(db, make_item):
    item_id = make_item()
    close_item(db, alice(), item_id, "dismissed")
    refused = reopen_item(db, bob(), item_id)
    assert not refused.ok
    assert "seul·e <@UALICE> ou un·e admin peut le rouvrir" in refused.message
    assert reopen_item(db, bob(admin=True), item_id).changed
    assert claims.get_item(db, item_id).status == "open"
    actions = [e.action for e in claims.list_events(db, item_id)]
    assert actions == ["dismissed", "reopened"]


def test_newsletter_flag_is_independent_of_status(db, make_item):
    item_id = make_item()
    claim_item(db, alice(), item_id)
    assert flag_item(db, bob(), item_id).changed
    assert not flag_item(db, bob(), item_id).changed
    item = claims.get_item(db, item_id)
    assert item.newsletter
    assert item.owner == "UALICE"
    assert flag_item(db, bob(), item_id, False).changed
    assert not claims.get_item(db, item_id).newsletter


def test_note_is_stored_with_author_and_time_and_history(db, make_item):
    item_id = make_item()
    outcome = note_item(db, bob(), item_id, "  Date limite le 15 mars.  ")
    assert outcome.changed
    stored = notes.list_notes(db, item_id)
    assert [(n.author, n.text, n.created_at) for n in stored] == [
        ("UBOB", "Date limite le 15 mars.", "2027-01-11T09:01:00+00:00")
    ]
    assert [e.action for e in claims.list_events(db, item_id)] == ["noted"]


def test_empty_note_is_refused_with_usage(db, make_item):
    item_id = make_item()
    outcome = note_item(db, bob(), item_id, "   ")
    assert not outcome.ok
    assert "/veille note" in outcome.message
    assert notes.count_notes(db, item_id) == 0


def test_english_messages_when_configured(db, make_item):
    item_id = make_item()
    claim_item(db, alice(), item_id)
    outcome = claim_item(db, bob(lang="en"), item_id)
    assert outcome.message == f"Too late: item {item_id} is already taken by <@UALICE>."
