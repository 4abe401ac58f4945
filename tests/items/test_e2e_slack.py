"""End to end through the real HTTP endpoint (signed requests) and the local Slack stand-in.

Checklist section A: S1 duplicate delivery, S2 retry after our own failure, S3 slow work under
the ack deadline, S5 replay, S7 self events, S8 claim races, S9 reaction order, S10 ack while
the database is locked; plus buttons, the note modal, thread notes, commands and the App Home.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from bot.local.localslack import BOT_USER_ID, TEAM_ID
from bot.local.signing import signed_headers
from storage import claims, notes
from storage.db import connect
from tests.conftest import SIGNING_SECRET
from tests.items.conftest import insert_item

CHANNEL = "CVEILLE"


def wait_until(predicate, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def posted(app_server, db):
    """Post an item message to the stand-in and insert its row; return (item id, ts)."""

    def make(title: str = "Appel à projets Sahel") -> tuple[int, str]:
        answer = app_server.slack.answer(
            "chat.postMessage", {"channel": CHANNEL, "text": title, "blocks": []}
        )
        return insert_item(db, title, message_ts=answer["ts"]), answer["ts"]

    return make


def reaction(user: str, ts: str, name: str = "eyes", added: bool = True, event_ts=None) -> dict:
    return {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": name,
        "item_user": BOT_USER_ID,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        "event_ts": event_ts or f"{time.time():.6f}",
    }


def button(user: str, item_id: int, ts: str, action: str = "item_claim") -> dict:
    return {
        "user": {"id": user},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": ts, "channel_id": CHANNEL},
        "message": {"ts": ts},
        "actions": [{"action_id": action, "block_id": "item_actions", "value": str(item_id)}],
    }


def item_state(db_path: str, item_id: int):
    with connect(db_path) as db:
        return claims.get_item(db, item_id)


def message_text(app_server, ts: str) -> str:
    message = next(m for m in app_server.slack.messages[CHANNEL] if m["ts"] == ts)
    return json.dumps(message, ensure_ascii=False)


def ephemerals(app_server) -> list[str]:
    texts = [c.params.get("text", "") for c in app_server.slack.calls_to("chat.postEphemeral")]
    return texts + [c.params.get("text", "") for c in app_server.slack.calls_to("response_url")]


def test_s1_duplicate_event_delivery_claims_once(app_server, posted, db_path):
    item_id, ts = posted()
    event = reaction("UALICE", ts)
    first = app_server.event(event, event_id="EvDup1")
    retry = app_server.event(
        event,
        event_id="EvDup1",
        extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first[0], retry[0]) == (200, 200)
    app_server.slack.wait_for("chat.update")
    time.sleep(0.3)  # give a wrongly processed duplicate the time to show up
    assert item_state(db_path, item_id).owner == "UALICE"
    assert len(app_server.slack.calls_to("chat.update")) == 1
    assert len(app_server.slack.calls_to("chat.postEphemeral")) == 1
    with connect(db_path) as db:
        assert len(claims.list_events(db, item_id)) == 1


def test_s2_retry_after_our_own_failure_is_processed_once(app_server, posted, db_path, monkeypatch):
    item_id, ts = posted()
    real_claim, failures = claims.claim, []

    def fail_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise sqlite3.OperationalError("disk I/O error")
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(claims, "claim", fail_once)
    event = reaction("UALICE", ts)
    assert app_server.event(event, event_id="EvFail1")[0] == 200
    apology = app_server.slack.wait_for("chat.postEphemeral")
    assert "temporairement indisponible" in apology[0].params["text"]  # disk I/O: issue 10
    assert wait_until(lambda: _seen(db_path) == 0)  # dedupe record dropped after the failure
    retry = app_server.event(event, event_id="EvFail1", extra_headers={"X-Slack-Retry-Num": "1"})
    assert retry[0] == 200
    app_server.slack.wait_for("chat.update")
    assert item_state(db_path, item_id).owner == "UALICE"
    with connect(db_path) as db:
        assert [e.action for e in claims.list_events(db, item_id)] == ["claimed"]


def _seen(db_path: str) -> int:
    with connect(db_path) as db:
        return db.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0]


def test_s3_slow_claim_is_acknowledged_at_once_and_finishes_later(
    app_server, posted, db_path, monkeypatch
):
    item_id, ts = posted()
    real_claim = claims.claim

    def slow_claim(*args, **kwargs):
        time.sleep(5)
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(claims, "claim", slow_claim)
    status, _, took = app_server.action(button("UALICE", item_id, ts))
    assert status == 200
    assert took < 3
    [update] = app_server.slack.wait_for("chat.update", timeout=10)
    assert "👀 Pris par <@UALICE>" in json.dumps(update.params, ensure_ascii=False)


def test_s5_replayed_requests_have_no_second_effect(app_server, posted, db_path):
    item_id, ts = posted()
    body = json.dumps(_envelope(reaction("UALICE", ts), "EvReplay"))
    headers = signed_headers(SIGNING_SECRET, body, timestamp=int(time.time()) - 60,
                             content_type="application/json")  # fmt: skip
    assert app_server.request("POST", "/slack/events", body, headers)[0] == 200
    app_server.slack.wait_for("chat.update")
    form = urlencode({"payload": json.dumps(_action_payload(app_server, "UBOB", item_id, ts))})
    form_headers = signed_headers(SIGNING_SECRET, form, timestamp=int(time.time()) - 60)
    assert app_server.request("POST", "/slack/events", form, form_headers)[0] == 200
    app_server.slack.wait_for("response_url")
    for _ in range(2):  # the captured requests, re-sent 60 s after they were signed
        assert app_server.request("POST", "/slack/events", body, headers)[0] == 200
        assert app_server.request("POST", "/slack/events", form, form_headers)[0] == 200
    time.sleep(0.3)
    assert len(app_server.slack.calls_to("chat.update")) == 1
    assert len(app_server.slack.calls_to("response_url")) == 1
    with connect(db_path) as db:
        assert len(claims.list_events(db, item_id)) == 1


def _envelope(event: dict, event_id: str) -> dict:
    return {
        "token": "x", "team_id": TEAM_ID, "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()), "event": event,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }  # fmt: skip


def _action_payload(app_server, user: str, item_id: int, ts: str) -> dict:
    return {
        "type": "block_actions", "team": {"id": TEAM_ID}, "api_app_id": "A1",
        "response_url": app_server.slack.response_url, "trigger_id": "t.1",
        **button(user, item_id, ts),
    }  # fmt: skip


def test_s7_self_reactions_and_replies_are_ignored(app_server, posted, db_path):
    item_id, ts = posted()
    app_server.event(reaction(BOT_USER_ID, ts))
    reply = {"type": "message", "user": BOT_USER_ID, "bot_id": "BVEILLEUR", "text": "moi",
             "channel": CHANNEL, "ts": f"{time.time():.6f}", "thread_ts": ts}  # fmt: skip
    app_server.event(reply)
    time.sleep(0.5)
    assert item_state(db_path, item_id).status == "open"
    with connect(db_path) as db:
        assert notes.count_notes(db, item_id) == 0
    assert [c.method for c in app_server.slack.calls if c.method != "auth.test"] == []


def test_s8_twenty_concurrent_claims_and_a_button_have_one_owner(app_server, posted, db_path):
    item_id, ts = posted()
    barrier = threading.Barrier(21)

    def send(n: int):
        barrier.wait()
        if n == 10:
            return app_server.action(button("UBUTTON", item_id, ts))
        return app_server.event(reaction(f"U{n:02d}", ts, event_ts=f"1800000000.{n:06d}"))

    with ThreadPoolExecutor(max_workers=21) as pool:
        statuses = [r[0] for r in pool.map(send, range(21))]
    assert statuses == [200] * 21
    assert wait_until(lambda: len(ephemerals(app_server)) >= 21)
    owner = item_state(db_path, item_id).owner
    texts = ephemerals(app_server)
    assert sum("Vous avez pris" in text for text in texts) == 1
    assert sum(f"déjà pris par <@{owner}>" in text for text in texts) == 20
    assert not any("locked" in text or "verrouill" in text for text in texts)
    assert "👀 Pris par <@" + owner + ">" in message_text(app_server, ts)
    with connect(db_path) as db:
        assert [e.action for e in claims.list_events(db, item_id)] == ["claimed"]


def test_s9_removed_before_added_and_non_owner_removal(app_server, posted, db_path):
    first, ts1 = posted("premier")
    app_server.event(reaction("UALICE", ts1, added=False, event_ts="1800000002.000000"))
    app_server.event(reaction("UALICE", ts1, added=True, event_ts="1800000001.000000"))
    assert wait_until(lambda: _marks(db_path, first) == 1)
    time.sleep(0.3)
    assert item_state(db_path, first).status == "open"  # documented: the removal wins
    second, ts2 = posted("second")
    app_server.event(reaction("UALICE", ts2, event_ts="1800000003.000000"))
    app_server.slack.wait_for("chat.update")
    app_server.event(reaction("UBOB", ts2, added=False, event_ts="1800000004.000000"))
    assert wait_until(lambda: _marks(db_path, second) == 2)
    time.sleep(0.3)
    state = item_state(db_path, second)
    assert (state.status, state.owner) == ("claimed", "UALICE")
    # Bob taking off an emoji he never put changed nothing: the second message was updated
    # once, for Alice's claim. The first item's two events may run in either order (events
    # run on a pool); either way its message ends showing the state the removal left.
    assert len(updates_of(app_server, ts2)) == 1
    assert "Pris par" not in message_text(app_server, ts1)


@pytest.mark.parametrize("removal_first", [True, False])
def test_s9_a_removal_and_an_older_add_end_open_on_the_message_in_either_order(
    app_server, posted, db_path, removal_first
):
    item_id, ts = posted("premier")
    removal = reaction("UALICE", ts, added=False, event_ts="1800000002.000000")
    older_add = reaction("UALICE", ts, added=True, event_ts="1800000001.000000")
    for event in (removal, older_add) if removal_first else (older_add, removal):
        app_server.event(event)
        assert wait_until(lambda: _marks(db_path, item_id) == 1)  # this one is applied
    # Removal first: the older add is stale, nothing changes. Add first: claimed, then
    # released by the newer removal; the last update shows that, whatever Slack got first.
    updates = 0 if removal_first else 2
    assert wait_until(lambda: len(updates_of(app_server, ts)) == updates)
    time.sleep(0.3)
    assert len(updates_of(app_server, ts)) == updates
    assert item_state(db_path, item_id).status == "open"
    assert "Pris par" not in message_text(app_server, ts)


def updates_of(app_server, ts: str) -> list:
    return [c for c in app_server.slack.calls_to("chat.update") if c.params.get("ts") == ts]


def _marks(db_path: str, item_id: int) -> int:
    with connect(db_path) as db:
        return db.execute(
            "SELECT count(*) FROM reaction_marks WHERE item_id = ?", [item_id]
        ).fetchone()[0]


def test_s10_button_acknowledged_while_database_locked_six_seconds(app_server, posted, db_path):
    item_id, ts = posted()
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(6, lambda: (holder.execute("COMMIT"), holder.close()))
    releaser.start()
    try:
        status, _, took = app_server.action(button("UALICE", item_id, ts))
    finally:
        releaser.join()
    assert status == 200
    assert took < 3
    answers = app_server.slack.wait_for("response_url", timeout=10)
    text = answers[0].params.get("text", "")
    assert "Vous avez pris" in text or "réessayez" in text
    assert "locked" not in text
    if "Vous avez pris" in text:
        assert item_state(db_path, item_id).owner == "UALICE"
    else:
        assert item_state(db_path, item_id).status == "open"


def test_thread_reply_note_edit_and_delete_over_http(app_server, posted, db_path):
    item_id, ts = posted()
    reply_ts = "1800000100.000001"
    base = {"type": "message", "channel": CHANNEL, "channel_type": "channel"}
    app_server.event({**base, "user": "UBOB", "text": "Vu au CA", "ts": reply_ts, "thread_ts": ts})
    app_server.slack.wait_for("chat.update")
    assert 'Libre · 1 note"' in message_text(app_server, ts)  # issue 12
    changed = {**base, "subtype": "message_changed", "ts": "1800000101.0",
               "message": {"user": "UBOB", "text": "Vu au CA du 12", "ts": reply_ts, "thread_ts": ts}}  # fmt: skip
    app_server.event(changed)
    app_server.slack.wait_for("chat.update", 2)
    with connect(db_path) as db:
        assert [n.text for n in notes.list_notes(db, item_id)] == ["Vu au CA du 12"]
    deleted = {**base, "subtype": "message_deleted", "ts": "1800000102.0", "deleted_ts": reply_ts,
               "previous_message": {"user": "UBOB", "text": "Vu au CA du 12", "ts": reply_ts}}  # fmt: skip
    app_server.event(deleted)
    app_server.slack.wait_for("chat.update", 3)
    with connect(db_path) as db:
        assert notes.count_notes(db, item_id) == 0
    assert 'Libre"' in message_text(app_server, ts)  # no notes left: the state alone


def test_note_button_opens_modal_and_submission_stores_note(app_server, posted, db_path):
    item_id, ts = posted()
    app_server.action(button("UBOB", item_id, ts, action="item_note"))
    [opened] = app_server.slack.wait_for("views.open")
    view = (
        json.loads(opened.params["view"])
        if isinstance(opened.params["view"], str)
        else opened.params["view"]
    )
    assert view["private_metadata"] == str(item_id)
    empty = _submission("UBOB", item_id, "  ")
    status, text, _ = app_server.post(urlencode({"payload": json.dumps(empty)}))
    assert status == 200
    assert json.loads(text)["response_action"] == "errors"
    full = _submission("UBOB", item_id, "Contact : Awa, Tambacounda")
    assert app_server.post(urlencode({"payload": json.dumps(full)}))[0] == 200
    app_server.slack.wait_for("chat.update")
    with connect(db_path) as db:
        assert [n.author for n in notes.list_notes(db, item_id)] == ["UBOB"]
    assert "Note ajoutée" in app_server.slack.wait_for("chat.postEphemeral")[0].params["text"]


def _submission(user: str, item_id: int, text: str) -> dict:
    return {
        "type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": user},
        "api_app_id": "A1", "trigger_id": "t.2",
        "view": {"id": "V1", "type": "modal", "callback_id": "item_note_modal", "private_metadata": str(item_id),
                 "state": {"values": {"note": {"text": {"type": "plain_text_input", "value": text}}}}},
    }  # fmt: skip


def test_commands_over_http_claim_list_and_search(app_server, posted, db_path):
    item_id, _ = posted("Coopération décentralisée au Bénin")
    assert app_server.command("/veille", f"prendre {item_id}", user="UALICE")[0] == 200
    app_server.slack.wait_for("chat.update")
    app_server.command("/veille", "chercher cooperation benin", user="UBOB")
    app_server.command("/veille", "liste miennes", user="UALICE")
    answers = app_server.slack.wait_for("response_url", 3)
    texts = [a.params.get("text", "") for a in answers]
    assert texts[0].startswith(f"Vous avez pris l'article {item_id}")
    assert any(text.startswith("Résultats pour « cooperation benin »") for text in texts)
    assert any(text.startswith("Mes articles") for text in texts)


def test_app_home_lists_my_items(app_server, posted):
    item_id, ts = posted("Mon article")
    app_server.action(button("UALICE", item_id, ts))
    app_server.slack.wait_for("chat.update")
    app_server.event({"type": "app_home_opened", "user": "UALICE", "tab": "home", "channel": "D1"})
    [published] = app_server.slack.wait_for("views.publish")
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    rendered = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    assert "*Mes articles*" in rendered
    assert f"*#{item_id}*" in rendered


def test_reactions_on_other_messages_are_ignored(app_server, posted, db_path):
    item_id, _ = posted()
    app_server.event(reaction("UALICE", "1699999999.000001"))
    time.sleep(0.4)
    assert item_state(db_path, item_id).status == "open"
    assert [c.method for c in app_server.slack.calls if c.method != "auth.test"] == []


def test_claim_from_the_app_home_republishes_it(app_server, posted, db_path):
    item_id, _ = posted("Depuis l'accueil")
    payload = {
        "user": {"id": "UALICE"},
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home"},
        "actions": [{"action_id": "item_claim", "block_id": "b", "value": str(item_id)}],
    }
    assert app_server.post(urlencode({"payload": json.dumps({
        "type": "block_actions", "team": {"id": TEAM_ID}, "api_app_id": "A1",
        "trigger_id": "t.3", **payload,
    })}))[0] == 200  # fmt: skip
    [published] = app_server.slack.wait_for("views.publish")
    view = published.params["view"]
    rendered = view if isinstance(view, str) else json.dumps(view, ensure_ascii=False)
    assert "Pris par <@UALICE>" in rendered
    assert item_state(db_path, item_id).owner == "UALICE"


def test_show_button_answers_with_the_detail(app_server, posted):
    item_id, ts = posted("Détail demandé")
    app_server.action(button("UBOB", item_id, ts, action="item_show"))
    [answer] = app_server.slack.wait_for("response_url")
    assert "*Historique*" in json.dumps(answer.params, ensure_ascii=False)
