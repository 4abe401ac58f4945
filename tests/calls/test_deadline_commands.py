"""`/veille échéance(s)` and the deadline buttons through the HTTP endpoint; Home and digest parts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.calls.home import build_calls_home
from bot.calls.render import CONFIRM_ACTION, EDIT_ACTION
from bot.digest.build import build_digest
from bot.digest.render import build_digest_message
from bot.items.render.message import build_item_message
from storage import calls as call_store
from storage import claims
from storage.db import connect
from tests.calls.test_links import answers, command, wait_for
from tests.items.conftest import insert_item

CALL = ("Appel à projets Jeunesse 2030", "Date limite de dépôt : 15 janvier 2030.")


def posted_item(app_server, db, title=CALL[0], summary=CALL[1]) -> int:
    answer = app_server.slack.answer("chat.postMessage", {"channel": "CVEILLE", "text": title})
    return insert_item(db, title, summary, message_ts=answer["ts"],
                       first_seen_at=datetime(2026, 11, 20, tzinfo=UTC))  # fmt: skip


def message_of(app_server, item_id, db_path) -> str:
    with connect(db_path) as db:
        ts = claims.get_item(db, item_id).message_ts
    message = next(m for m in app_server.slack.messages["CVEILLE"] if m["ts"] == ts)
    return json.dumps(message, ensure_ascii=False)


def deadline_of(db_path, item_id):
    with connect(db_path) as db:
        item = claims.get_item(db, item_id)
    return item.deadline_state, item.deadline_on


def test_the_item_message_proposes_the_deadline_with_confirm_and_change(db):
    item = claims.get_item(
        db, insert_item(db, *CALL, first_seen_at=datetime(2026, 11, 20, tzinfo=UTC))
    )
    _, blocks = build_item_message(item, [], "fr")
    text = json.dumps(blocks, ensure_ascii=False)
    assert "Échéance détectée : *mardi 15 janvier 2030*" in text
    actions = next(b for b in blocks if b.get("block_id", "").startswith("calls_deadline_"))
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        (CONFIRM_ACTION, f"{item.id}:2030-01-15"),
        (EDIT_ACTION, str(item.id)),
    ]
    assert blocks[-1]["block_id"].startswith("item_actions_")  # the item's own buttons stay last


def test_an_item_without_a_clear_deadline_shows_no_proposal(db):
    item = claims.get_item(
        db, insert_item(db, "Appel", "Dates limites : 15 janvier 2030 et 15 mai 2030.")
    )
    assert "Échéance" not in json.dumps(build_item_message(item, [], "fr")[1], ensure_ascii=False)


def test_set_change_remove_and_list_through_the_endpoint(app_server, db, db_path):
    item = posted_item(app_server, db)
    assert command(app_server, f"échéance {item} 15/01/2030").startswith(
        f"📅 Échéance de l'article {item} : mardi 15 janvier 2030. Rappel à J-7 et J-1"
    )
    assert deadline_of(db_path, item) == ("set", "2030-01-15")
    assert wait_for(
        lambda: (
            "Échéance : *mardi 15 janvier 2030*" in message_of(app_server, item, db_path) or None
        )
    )
    assert command(app_server, f"deadline {item} 22 janvier 2030").startswith(
        f"📅 Échéance de l'article {item} : mardi 22 janvier 2030"
    )
    listing = command(app_server, "échéances")
    assert listing.startswith("*📅 Échéances à venir* (1)")
    assert f"#{item}" in listing
    assert "mardi 22 janvier 2030" in listing
    assert command(app_server, f"echeance {item} aucune") == (
        f"L'article {item} n'a plus d'échéance : ses rappels sont annulés."
    )
    assert deadline_of(db_path, item) == ("none", None)
    assert "Échéance" not in message_of(app_server, item, db_path)  # no proposal either
    assert command(app_server, "deadlines").startswith(
        "*📅 Échéances à venir* (0)\nAucune échéance"
    )


def test_bad_input_gets_french_errors(app_server, db):
    item = posted_item(app_server, db)
    usage = "Utilisation : `/veille échéance &lt;n&gt; &lt;date&gt;`"
    assert command(app_server, "échéance").startswith(usage)
    assert command(app_server, f"échéance {item}").startswith(usage)
    assert command(app_server, "échéance douze 15/01/2030").startswith(usage)
    assert command(app_server, "échéance 999 15/01/2030").startswith(
        "Je ne trouve pas l'article 999."
    )
    wrong_day = command(app_server, f"échéance {item} jeudi 15 janvier 2030")
    assert "mardi 15 janvier 2030" in wrong_day
    assert f"`/veille échéance {item} 15/01/2027`" in wrong_day
    assert "n'existe pas" in command(app_server, f"échéance {item} 30/02/2030")
    assert command(app_server, f"échéance {item} bientôt").count("Exemple") == 1
    assert deadline_of(app_server.runtime.config.db_path, item) == ("", None)


def test_the_confirm_button_sets_what_the_message_showed(app_server, db, db_path):
    item = posted_item(app_server, db)
    before = len(answers(app_server))
    app_server.action({
        "user": {"id": "U3"}, "channel": {"id": "CVEILLE"},
        "container": {"type": "message", "channel_id": "CVEILLE"},
        "actions": [{"action_id": CONFIRM_ACTION, "value": f"{item}:2030-01-15"}],
    })  # fmt: skip
    said = wait_for(lambda: answers(app_server)[before:] or None)
    assert said[0].startswith(f"📅 Échéance de l'article {item} : mardi 15 janvier 2030")
    assert deadline_of(db_path, item) == ("set", "2030-01-15")
    before = len(answers(app_server))
    app_server.action({
        "user": {"id": "U3"}, "channel": {"id": "CVEILLE"},
        "actions": [{"action_id": CONFIRM_ACTION, "value": f"{item}:2030-01-16"}],
    })  # fmt: skip
    said = wait_for(lambda: answers(app_server)[before:] or None)
    assert "a changé entre-temps : rien n'est confirmé" in said[0]
    assert deadline_of(db_path, item) == ("set", "2030-01-15")


def test_the_change_button_says_how_to_type_it(app_server, db):
    item = posted_item(app_server, db)
    before = len(answers(app_server))
    app_server.action(
        {"user": {"id": "U3"}, "actions": [{"action_id": EDIT_ACTION, "value": str(item)}]}
    )
    said = wait_for(lambda: answers(app_server)[before:] or None)
    assert f"`/veille échéance {item} &lt;date&gt;`" in said[0]


NOW = datetime(2030, 1, 5, 10, tzinfo=UTC)


def test_home_and_digest_show_the_coming_deadlines_not_closed_ones(db):
    soon = insert_item(db, "Appel Jeunesse", owner="U9", status="claimed")
    later = insert_item(db, "Appel Climat")
    closed = insert_item(db, "Appel clos", status="done")
    far = insert_item(db, "Appel lointain")
    for item, day in ((soon, 12), (later, 18), (closed, 13)):
        call_store.set_deadline(db, item, date(2030, 1, day), "U1", NOW)
    call_store.set_deadline(db, far, date(2030, 3, 1), "U1", NOW)
    home = json.dumps(build_calls_home(db, "U1", "fr", "Europe/Paris", NOW), ensure_ascii=False)
    assert "Appel Jeunesse" in home
    assert "Appel Climat" in home
    assert "<@U9>" in home
    assert "Appel clos" not in home
    assert "Appel lointain" not in home
    _, blocks = build_digest_message(build_digest(db, NOW), "fr")
    digest = json.dumps(blocks, ensure_ascii=False)
    assert "Échéances des 14 prochains jours" in digest
    assert "samedi 12 janvier 2030" in digest
    assert "Appel lointain" not in digest
    assert build_calls_home(db, "U1", "fr", "Europe/Paris", datetime(2030, 6, 1, tzinfo=UTC)) == []


def test_the_shell_demo_shows_a_call_with_a_detected_deadline(tmp_path):
    from bot.calls.demo import load_calls_demo
    from bot.watch.demo import load_watch_demo
    from storage.migrations import apply_migrations
    from storage.search import search_items

    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with connect(str(tmp_path / "demo.db")) as demo:
        apply_migrations(demo)
        load_watch_demo(demo, now)
        load_calls_demo(demo, now)
        load_calls_demo(demo, now)  # idempotent
        found = search_items(demo, "jeunesse solidarite internationale").items
        assert len(found) == 1
        text = json.dumps(build_item_message(found[0], [], "fr")[1], ensure_ascii=False)
    assert "Échéance détectée : *dimanche 10 janvier 2027*" in text
