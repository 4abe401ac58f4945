"""Reactions on item messages (policy of bot.items.actions) and thread replies as notes."""

from __future__ import annotations

import pytest

from bot.items.actions import Actor, claim_item
from bot.items.notes import delete_reply_note, edit_reply_note, note_from_reply
from bot.items.reactions import react
from bot.items.states import parse_reactions
from storage import claims, notes
from tests.items.conftest import CHANNEL, NOW, later

TS = "1799990000.000100"


def actor(user: str, minutes: int = 0, **kwargs) -> Actor:
    return Actor(user, later(minutes), **kwargs)


def test_eyes_claims_and_owner_removal_releases(db, make_item):
    item_id = make_item(message_ts=TS)
    added = react(db, actor("UALICE"), CHANNEL, TS, "eyes", "1800000000.000001", True)
    assert added.changed
    assert claims.get_item(db, item_id).owner == "UALICE"
    removed = react(db, actor("UALICE", 1), CHANNEL, TS, "eyes", "1800000001.000001", False)
    assert removed.changed
    assert claims.get_item(db, item_id).status == "open"


def test_s9_non_owner_removing_eyes_cannot_release(db, make_item):
    item_id = make_item(message_ts=TS)
    react(db, actor("UALICE"), CHANNEL, TS, "eyes", "1800000000.000001", True)
    lost = react(db, actor("UBOB"), CHANNEL, TS, "eyes", "1800000000.000002", True)
    assert "déjà pris par <@UALICE>" in lost.message
    removed = react(
        db, actor("UBOB", 1, admin=True), CHANNEL, TS, "eyes", "1800000002.000001", False
    )
    assert not removed.changed
    assert removed.message == ""
    item = claims.get_item(db, item_id)
    assert (item.status, item.owner) == ("claimed", "UALICE")


def test_s9_removed_delivered_before_added_leaves_the_item_free(db, make_item):
    item_id = make_item(message_ts=TS)
    removed = react(db, actor("UALICE"), CHANNEL, TS, "eyes", "1800000005.000000", False)
    added = react(db, actor("UALICE"), CHANNEL, TS, "eyes", "1800000004.000000", True)
    assert not removed.changed
    assert not added.changed
    item = claims.get_item(db, item_id)
    assert (item.status, item.owner) == ("open", None)
    assert claims.list_events(db, item_id) == []


def test_s1_same_reaction_event_twice_claims_once(db, make_item):
    item_id = make_item(message_ts=TS)
    first = react(db, actor("UALICE"), CHANNEL, TS, "eyes", "1800000000.000001", True)
    second = react(db, actor("UALICE"), CHANNEL, TS, "eyes", "1800000000.000001", True)
    assert first.changed
    assert (second.changed, second.message) == (False, "")
    assert len(claims.list_events(db, item_id)) == 1


@pytest.mark.parametrize(
    ("emoji", "status"), [("white_check_mark", "done"), ("no_entry_sign", "dismissed")]
)
def test_close_reactions_and_their_removal_by_the_closer(db, make_item, emoji, status):
    item_id = make_item(message_ts=TS)
    react(db, actor("UBOB"), CHANNEL, TS, emoji, "1800000000.000001", True)
    assert claims.get_item(db, item_id).status == status
    react(db, actor("UALICE"), CHANNEL, TS, emoji, "1800000000.000002", False)
    assert claims.get_item(db, item_id).status == status
    react(db, actor("UBOB"), CHANNEL, TS, emoji, "1800000001.000001", False)
    assert claims.get_item(db, item_id).status == "open"


def test_newspaper_stays_flagged_while_someone_still_has_it(db, make_item):
    item_id = make_item(message_ts=TS)
    react(db, actor("UALICE"), CHANNEL, TS, "newspaper", "1800000000.000001", True)
    react(db, actor("UBOB"), CHANNEL, TS, "newspaper", "1800000000.000002", True)
    react(db, actor("UALICE"), CHANNEL, TS, "newspaper", "1800000001.000001", False)
    assert claims.get_item(db, item_id).newsletter
    react(db, actor("UBOB"), CHANNEL, TS, "newspaper", "1800000001.000002", False)
    assert not claims.get_item(db, item_id).newsletter


def test_reactions_elsewhere_or_unmapped_are_ignored(db, make_item):
    item_id = make_item(message_ts=TS)
    assert react(db, actor("UALICE"), CHANNEL, "1.2", "eyes", "1800000000.1", True) is None
    assert react(db, actor("UALICE"), CHANNEL, TS, "tada", "1800000000.2", True) is None
    assert claims.get_item(db, item_id).status == "open"


def test_reaction_mapping_is_configurable(db, make_item):
    mapping = parse_reactions("claim=raising_hand done=heavy_check_mark")
    item_id = make_item(message_ts=TS)
    me = Actor("UALICE", NOW, reactions=mapping)
    assert react(db, me, CHANNEL, TS, "eyes", "1800000000.1", True) is None
    assert react(db, me, CHANNEL, TS, "raising_hand", "1800000000.2", True).changed
    assert claims.get_item(db, item_id).owner == "UALICE"
    with pytest.raises(ValueError, match="bad reaction mapping"):
        parse_reactions("grab=eyes")


def test_reply_in_thread_is_a_note_and_edits_and_deletes_follow(db, make_item):
    item_id = make_item(message_ts=TS)
    outcome = note_from_reply(db, actor("UBOB"), CHANNEL, TS, "1800000010.000001", "Vu au CA")
    assert outcome.changed
    edited = edit_reply_note(db, actor("UBOB", 2), "1800000010.000001", "Vu au CA du 12")
    assert edited.item.id == item_id
    assert [n.text for n in notes.list_notes(db, item_id)] == ["Vu au CA du 12"]
    assert delete_reply_note(db, actor("UBOB", 3), "1800000010.000001").changed
    assert notes.list_notes(db, item_id) == []
    actions = [e.action for e in claims.list_events(db, item_id)]
    assert actions == ["noted", "note_edited", "note_deleted"]


def test_reply_delivered_twice_is_one_note(db, make_item):
    item_id = make_item(message_ts=TS)
    note_from_reply(db, actor("UBOB"), CHANNEL, TS, "1800000010.000001", "Vu")
    again = note_from_reply(db, actor("UBOB"), CHANNEL, TS, "1800000010.000001", "Vu")
    assert not again.changed
    assert notes.count_notes(db, item_id) == 1


def test_reply_outside_item_threads_is_not_a_note(db, make_item):
    make_item(message_ts=TS)
    assert note_from_reply(db, actor("UBOB"), CHANNEL, "1.5", "1800000010.1", "hi") is None
    assert edit_reply_note(db, actor("UBOB"), "1800000010.9", "x") is None


def test_claim_by_button_then_reaction_by_other_names_owner(db, make_item):
    item_id = make_item(message_ts=TS)
    claim_item(db, actor("UALICE"), item_id)
    lost = react(db, actor("UBOB"), CHANNEL, TS, "eyes", "1800000000.5", True)
    assert lost.message == f"Trop tard : l'article {item_id} est déjà pris par <@UALICE>."
