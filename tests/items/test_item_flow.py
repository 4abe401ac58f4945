"""Slack-free flows: commit first, then chat.update, then the ephemeral answer."""

from __future__ import annotations

import json

import pytest

from bot.config import load_config
from bot.core.config import Config, ConfigError
from bot.items.flow import make_actor, on_button, on_message, on_reaction, reaction_map
from storage import claims, notes
from tests.fakes import RecordingMessenger
from tests.items.conftest import CHANNEL, NOW

TS = "1799990000.000500"


def reaction(user: str, name: str, event_ts: str, ts: str = TS) -> dict:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": name,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "event_ts": event_ts,
    }


def test_button_claim_updates_message_and_loser_is_told(db_path, make_item, db):
    item_id = make_item(message_ts=TS)
    messenger = RecordingMessenger()
    config = Config(db_path=db_path)
    won = on_button(config, messenger, make_actor(config, "UALICE", NOW), "item_claim", item_id)
    lost = on_reaction(
        config, messenger, make_actor(config, "UBOB", NOW), reaction("UBOB", "eyes", "1.5"), True
    )
    assert won.changed
    assert "déjà pris par <@UALICE>" in lost.message
    assert messenger.calls[-1][:3] == ("ephemeral", CHANNEL, "UBOB")
    [update] = messenger.updates()
    assert "👀 Pris par <@UALICE>" in json.dumps(update[4], ensure_ascii=False)


def test_thread_reply_note_survives_slack_failure(db_path, make_item, db):
    item_id = make_item(message_ts=TS)
    messenger = RecordingMessenger(fail_update=RuntimeError("http_500"))
    config = Config(db_path=db_path)
    event = {"type": "message", "channel": CHANNEL, "user": "UBOB", "text": "Relu, ok",
             "ts": "1800000001.000001", "thread_ts": TS}  # fmt: skip
    outcome = on_message(config, messenger, make_actor(config, "UBOB", NOW), event)
    assert outcome.changed
    assert len(messenger.updates()) == 1  # attempted, failed, note kept
    assert [n.text for n in notes.list_notes(db, item_id)] == ["Relu, ok"]


def test_top_level_messages_and_bot_threads_are_not_notes(db_path, make_item):
    make_item(message_ts=TS)
    config = Config(db_path=db_path)
    actor = make_actor(config, "UBOB", NOW)
    plain = {"type": "message", "channel": CHANNEL, "user": "UBOB", "text": "x", "ts": "1.1"}
    assert on_message(config, RecordingMessenger(), actor, plain) is None
    joined = {**plain, "subtype": "channel_join", "thread_ts": TS}
    assert on_message(config, RecordingMessenger(), actor, joined) is None


def test_reaction_map_from_settings(tmp_path):
    config = load_config(
        {"VEILLEUR_REACTIONS": "claim=hand", "VEILLEUR_DB": str(tmp_path / "v.db")}
    )
    assert reaction_map(config)["hand"] == "claim"
    assert "eyes" not in reaction_map(config)
    assert reaction_map(Config())["eyes"] == "claim"


def test_bad_reaction_setting_is_one_clear_line(tmp_path):
    with pytest.raises(ConfigError, match="VEILLEUR_REACTIONS"):
        load_config({"VEILLEUR_REACTIONS": "grab=hand", "VEILLEUR_DB": str(tmp_path / "v.db")})


@pytest.mark.parametrize(("admins", "can"), [(frozenset(), False), (frozenset({"UADM"}), True)])
def test_only_listed_admins_override_owners(db_path, admins, can):
    assert make_actor(Config(db_path=db_path, admins=admins), "UADM", NOW).admin is can


def test_reaction_on_a_file_is_ignored(db_path, make_item, db):
    item_id = make_item(message_ts=TS)
    config = Config(db_path=db_path)
    event = {**reaction("UALICE", "eyes", "1.1"), "item": {"type": "file", "file": "F1"}}
    assert (
        on_reaction(config, RecordingMessenger(), make_actor(config, "UALICE", NOW), event, True)
        is None
    )
    assert claims.get_item(db, item_id).status == "open"


def test_updated_message_shows_one_state_line_above_the_buttons(db, make_item):
    from bot.items.actions import Actor, claim_item, close_item
    from bot.items.sync import build_item_update

    item_id = make_item(message_ts=TS)
    claim_item(db, Actor("U1", NOW), item_id)
    close_item(db, Actor("U1", NOW), item_id, "done")
    _channel, ts, text, blocks = build_item_update(db, item_id, "fr", "Europe/Paris")
    states = [b for b in blocks if b.get("block_id") == "item_state"]
    assert ts == TS
    assert [s["elements"][0]["text"] for s in states] == ["✅ Traité par <@U1>"]
    assert blocks[blocks.index(states[0]) + 1]["type"] == "actions"
    assert text.endswith("— ✅ Traité par <@U1>")


def test_thread_broadcast_reply_is_a_note_too(db_path, make_item, db):
    item_id = make_item(message_ts=TS)
    config = Config(db_path=db_path)
    event = {"type": "message", "subtype": "thread_broadcast", "channel": CHANNEL,
             "user": "UBOB", "text": "À suivre", "ts": "1800000002.000001", "thread_ts": TS}  # fmt: skip
    assert on_message(config, RecordingMessenger(), make_actor(config, "UBOB", NOW), event).changed
    assert [n.text for n in notes.list_notes(db, item_id)] == ["À suivre"]
