"""Deadlines follow who sees what (issues 11 and 14), through the real HTTP endpoint.

GPRIV is a private channel whose members are U1 and U2; U3 is not a member; CPUB is public. U3
never sees a GPRIV item's deadline, and touching one reads exactly like a missing item; U1 does.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.calls.render import CONFIRM_ACTION, EDIT_ACTION
from bot.core.i18n import t
from storage import calls as call_store
from storage import claims
from tests.items.conftest import insert_item

PRIVATE, PUBLIC = "GPRIV", "CPUB"
SECRET, OPEN = "Appel confidentiel du bailleur", "Appel ouvert Sahel"
NOW = datetime.now(UTC)
SOON = NOW.date() + timedelta(days=10)  # inside the App Home's 30 days
LATER = date(NOW.year + 3, 1, 15)
PROPOSED = f"Date limite de dépôt : 15 janvier {NOW.year + 3}"


@pytest.fixture
def world(app_server, db):
    """One item with a deadline and one with a proposed deadline in each channel."""
    app_server.slack.make_private(PRIVATE, "U1", "U2")
    seen = NOW - timedelta(days=1)
    ids = {
        "secret": insert_item(db, SECRET, channel_id=PRIVATE, first_seen_at=seen),
        "open": insert_item(db, OPEN, channel_id=PUBLIC, first_seen_at=seen),
        "secret_proposed": insert_item(
            db, "Fonds réservé", PROPOSED, channel_id=PRIVATE, first_seen_at=seen
        ),
    }
    db.conn.commit()
    for key in ("secret", "open"):
        call_store.set_deadline(db, ids[key], SOON, "U1", NOW)
    return ids


def ask(app_server, text: str, user: str, channel: str = PUBLIC) -> str:
    """Run `/veille <text>`; return the answer's text and blocks as one string."""
    before = len(app_server.slack.calls_to("response_url"))
    status, _, _ = app_server.command("/veille", text, user=user, channel=channel)
    assert status == 200
    answers = app_server.slack.wait_for("response_url", before + 1, timeout=10)
    assert len(answers) > before, f"no answer to /veille {text}"
    params = answers[before].params
    return params.get("text", "") + json.dumps(params.get("blocks") or [], ensure_ascii=False)


def click(app_server, action_id: str, value: str, user: str) -> str:
    """Click a deadline button as ``user``; return the private answer's text."""
    before = len(app_server.slack.calls_to("response_url"))
    app_server.action(
        {"user": {"id": user}, "channel": {"id": PUBLIC}, "container": {"type": "message"},
         "actions": [{"action_id": action_id, "value": value}]}
    )  # fmt: skip
    [*_, answer] = app_server.slack.wait_for("response_url", before + 1, timeout=10)
    return answer.params["text"]


def missing(n: int) -> str:
    return t("calls.not_found", "fr", id=n)


def deadline_of(db, item_id: int) -> tuple[str | None, str]:
    item = claims.get_item(db, item_id)
    return item.deadline_on, item.deadline_state


def test_deadline_list_shows_only_visible_items(app_server, world):
    answer = ask(app_server, "échéances", "U3")
    assert OPEN in answer
    assert SECRET not in answer
    assert "(1)" in answer  # the count leaks nothing either
    member = ask(app_server, "deadlines", "U1")
    assert OPEN in member
    assert SECRET in member


@pytest.mark.parametrize("value", [f"{LATER:%d/%m/%Y}", "aucune"])
def test_non_member_setting_a_deadline_reads_as_a_missing_item(app_server, world, db, value):
    secret = world["secret"]
    before = deadline_of(db, secret)
    refused = ask(app_server, f"échéance {secret} {value}", "U3")
    assert refused.startswith(missing(secret))
    absent = secret + 1000
    assert ask(app_server, f"échéance {absent} {value}", "U3").startswith(missing(absent))
    assert deadline_of(db, secret) == before


def test_member_sets_and_removes_a_private_deadline(app_server, world, db):
    secret = world["secret"]
    answer = ask(app_server, f"échéance {secret} {LATER:%d/%m/%Y}", "U1")
    assert answer.startswith(t("calls.set", "fr", id=secret, date="")[:20])
    assert deadline_of(db, secret) == (LATER.isoformat(), "set")
    assert ask(app_server, f"échéance {secret} aucune", "U2").startswith(
        t("calls.removed", "fr", id=secret)
    )
    assert deadline_of(db, secret) == (None, "none")


def test_anyone_sets_a_public_deadline(app_server, world, db):
    answer = ask(app_server, f"échéance {world['open']} {LATER:%d/%m/%Y}", "U3")
    assert not answer.startswith(missing(world["open"]))
    assert deadline_of(db, world["open"]) == (LATER.isoformat(), "set")


def test_deadline_buttons_refuse_a_non_member(app_server, world, db):
    proposed = world["secret_proposed"]
    value = f"{proposed}:{LATER.isoformat()}"
    assert click(app_server, CONFIRM_ACTION, value, "U3").startswith(missing(proposed))
    assert deadline_of(db, proposed) == (None, "")
    assert click(app_server, EDIT_ACTION, str(proposed), "U3").startswith(missing(proposed))
    hint = click(app_server, EDIT_ACTION, str(proposed), "U1")
    assert hint.startswith(t("calls.edit.hint", "fr", id=proposed)[:30])
    confirmed = click(app_server, CONFIRM_ACTION, value, "U1")
    assert not confirmed.startswith(missing(proposed))
    assert deadline_of(db, proposed) == (LATER.isoformat(), "set")


def _deadlines_part(app_server, user: str) -> str:
    """Open the App Home as ``user``; return the text of its deadlines section."""
    before = len(app_server.slack.calls_to("views.publish"))
    app_server.event({"type": "app_home_opened", "user": user, "tab": "home"})
    [*_, published] = app_server.slack.wait_for("views.publish", before + 1, timeout=10)
    title = t("calls.home.title", "fr")
    texts = [
        block["text"]["text"]
        for block in published.params["view"]["blocks"]
        if block.get("type") == "section" and title in (block.get("text") or {}).get("text", "")
    ]
    assert len(texts) == 1, "no deadlines part on the Home"
    return texts[0]


def test_home_deadlines_part_shows_only_visible_items(app_server, world):
    part = _deadlines_part(app_server, "U3")
    assert OPEN in part
    assert SECRET not in part
    part = _deadlines_part(app_server, "U1")
    assert OPEN in part
    assert SECRET in part


def test_rate_limited_membership_hides_private_deadlines(app_server, world):
    app_server.slack.fail("conversations.members", status=429, retry_after=1, times=50)
    answer = ask(app_server, "échéances", "U1")
    assert OPEN in answer
    assert SECRET not in answer
    assert "réessayez" in answer
