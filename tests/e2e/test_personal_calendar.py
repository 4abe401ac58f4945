"""A person's own calendar (issue 13 point 4), through the real HTTP endpoint and the Slack stand-in.

GPRIV is a private channel whose members are U1 and U2; U3 is not a member; CPUB is public. Each
person asks `/session calendrier` for their address, then the calendar app (here: a plain GET on
the bot's endpoint) reads it. The file is read back with ``icalendar`` and ``vobject``.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject
import vobject.icalendar

from bot.core.i18n import t
from storage import calls as call_store
from storage.db import write
from storage.meetings import add_meeting
from tests.conftest import start_app_server
from tests.items.conftest import insert_item

PRIVATE, PUBLIC = "GPRIV", "CPUB"
PUBLIC_URL = "https://veilleur.example.org"  # only written in answers: nothing fetches it
SHARED = "jeton-partage"
NOW = datetime.now(UTC)
SECRET_SESSION, OPEN_SESSION = "Conseil d'administration", "Réunion ouverte"
SECRET_CALL, OPEN_CALL = "Appel confidentiel du bailleur", "Appel ouvert Sahel"
ADDRESS = re.compile(re.escape(PUBLIC_URL) + r"(/calendar\.ics\?token=[A-Za-z0-9_-]+)")


@pytest.fixture(autouse=True)
def vobject_time_zones():
    """Give back vobject's global TZID table as it was after each test."""
    # vobject keeps the first VTIMEZONE it reads per TZID: ours covers only this year's sessions,
    # and must not change how later tests read their files
    table = getattr(vobject.icalendar, "__tzidMap")
    saved = dict(table)
    yield
    table.clear()
    table.update(saved)


@pytest.fixture
def served(config, slack_api):
    """The app in HTTP mode with a public address and a shared calendar token."""
    server_config = replace(config, public_url=PUBLIC_URL, ics_token=SHARED)
    app_server, server = start_app_server(server_config, slack_api)
    yield app_server
    server.task_dispatcher.shutdown()
    server.close()


@pytest.fixture
def world(served, db):
    """One session and one item with a deadline in each channel; return their ids."""
    served.slack.make_private(PRIVATE, "U1", "U2")
    for title, channel, days in ((SECRET_SESSION, PRIVATE, 2), (OPEN_SESSION, PUBLIC, 3)):
        add_meeting(db, title=title, starts_at=NOW + timedelta(days=days), place="",
                    channel_id=channel, created_by="U1", now=NOW)  # fmt: skip
    seen = NOW - timedelta(days=1)
    ids = {
        "secret": insert_item(db, SECRET_CALL, channel_id=PRIVATE, first_seen_at=seen),
        "open": insert_item(db, OPEN_CALL, channel_id=PUBLIC, first_seen_at=seen),
    }
    db.conn.commit()
    for item_id in ids.values():
        call_store.set_deadline(db, item_id, NOW.date() + timedelta(days=20), "U1", NOW)
    return ids


def ask(served, text: str, user: str, channel: str = PUBLIC) -> str:
    """Run `/session <text>` as ``user``; return the private answer's text."""
    before = len(served.slack.calls_to("response_url"))
    status, _, _ = served.command("/session", text, user=user, channel=channel)
    assert status == 200
    answers = served.slack.wait_for("response_url", before + 1, timeout=10)
    assert len(answers) > before, f"no answer to /session {text}"
    params = answers[before].params
    assert params.get("response_type", "ephemeral") == "ephemeral"  # the address is personal
    return params.get("text", "") + json.dumps(params.get("blocks") or [], ensure_ascii=False)


def address_of(served, user: str, text: str = "calendrier") -> str:
    """Return the path and query of ``user``'s calendar, from their `/session calendrier` answer."""
    match = ADDRESS.search(ask(served, text, user))
    assert match, f"no calendar address in the answer to {user}"
    return match.group(1)


def fetch(served, path: str) -> tuple[int, str]:
    status, body, _ = served.request("GET", path)
    return status, body


def read_both(body: str) -> tuple[icalendar.Calendar, object]:
    """Parse the calendar with both readers (each raises on a malformed file)."""
    return icalendar.Calendar.from_ical(body), vobject.readOne(body)


def summaries(body: str) -> set[str]:
    calendar, other = read_both(body)
    mine = {str(e.get("summary")) for e in calendar.walk("VEVENT")}
    theirs = {e.summary.value for e in getattr(other, "vevent_list", [])}
    assert mine == theirs
    return mine


def deadline(text: str) -> str:
    return t("calendar.deadline", "fr", title=text)


def test_member_sees_the_private_session_and_a_non_member_does_not(served, world):
    status, body = fetch(served, address_of(served, "U1"))
    assert status == 200
    assert {SECRET_SESSION, OPEN_SESSION} <= summaries(body)
    status, body = fetch(served, address_of(served, "U3"))
    assert status == 200
    shown = summaries(body)
    assert OPEN_SESSION in shown
    assert SECRET_SESSION not in shown
    assert SECRET_SESSION not in body


def test_deadlines_of_visible_items_are_all_day_events(served, world, db):
    _, body = fetch(served, address_of(served, "U1"))
    calendar, other = read_both(body)
    events = {str(e.get("uid")): e for e in calendar.walk("VEVENT")}
    day = NOW.date() + timedelta(days=20)
    for key, title in (("secret", SECRET_CALL), ("open", OPEN_CALL)):
        event = events[f"deadline-{world[key]}@veilleur"]
        assert str(event.get("summary")) == deadline(title)
        assert event.decoded("DTSTART") == day  # a date, not a time: an all-day event
        assert not isinstance(event.decoded("DTSTART"), datetime)
        assert event.decoded("DTEND") == day + timedelta(days=1)
        link = db.execute("SELECT link FROM items WHERE id = ?", [world[key]]).fetchone()[0]
        assert str(event.get("url")) == link
    by_uid = {e.uid.value: e for e in other.vevent_list}
    vevent = by_uid[f"deadline-{world['open']}@veilleur"]
    assert vevent.dtstart.value == day
    assert vevent.summary.value == deadline(OPEN_CALL)
    _, body = fetch(served, address_of(served, "U3"))
    assert deadline(OPEN_CALL) in summaries(body)
    assert SECRET_CALL not in body


def test_a_moved_deadline_bumps_its_sequence(served, world, db):
    path = address_of(served, "U1")
    uid = f"deadline-{world['open']}@veilleur"

    def sequence() -> int:
        calendar, _ = read_both(fetch(served, path)[1])
        [event] = [e for e in calendar.walk("VEVENT") if str(e.get("uid")) == uid]
        return int(event.get("sequence"))

    assert sequence() == 0
    call_store.set_deadline(db, world["open"], NOW.date() + timedelta(days=25), "U1", NOW)
    assert sequence() == 1


def test_a_closed_item_leaves_the_calendar(served, world, db):
    path = address_of(served, "U1")
    with write(db):
        db.execute("UPDATE items SET status = 'done' WHERE id = ?", [world["open"]])
    assert deadline(OPEN_CALL) not in summaries(fetch(served, path)[1])


def test_the_same_address_twice_then_a_new_one_revokes_the_old(served, world):
    first = address_of(served, "U1")
    assert address_of(served, "U1", "calendar") == first  # asked again (English alias): same
    renewed = ask(served, "calendrier nouveau", "U1")
    assert "ne fonctionne plus" in renewed
    second = ADDRESS.search(renewed).group(1)
    assert second != first
    assert fetch(served, first)[0] == 404
    assert fetch(served, second)[0] == 200
    assert address_of(served, "U1") == second
    assert address_of(served, "U3") not in (first, second)


@pytest.mark.parametrize(
    "query", ["", "?token=", "?token=nope", "?token=" + "x" * 500, "?jeton=" + SHARED]
)
def test_wrong_or_missing_token_is_404(served, world, query):
    address_of(served, "U1")  # a personal token exists, and is not any of these
    status, body = fetch(served, "/calendar.ics" + query)
    assert status == 404
    assert "VCALENDAR" not in body


def test_shared_token_keeps_public_sessions_only_and_no_deadlines(served, world):
    status, body = fetch(served, f"/calendar.ics?token={SHARED}")
    assert status == 200
    shown = summaries(body)
    assert OPEN_SESSION in shown
    assert SECRET_SESSION not in shown
    assert not any(s.startswith(deadline("")) for s in shown)


def test_slack_unable_to_say_leaves_private_sessions_out(served, world):
    path = address_of(served, "U1")
    served.slack.fail("conversations.members", status=429, retry_after=1, times=50)
    status, body = fetch(served, path)
    assert status == 200
    shown = summaries(body)
    assert OPEN_SESSION in shown
    assert deadline(OPEN_CALL) in shown
    assert SECRET_SESSION not in body
    assert SECRET_CALL not in body


def test_unknown_word_gives_the_usage(served):
    assert ask(served, "calendrier demain", "U1").startswith(t("calendar.usage", "fr"))


def test_without_public_url_the_answer_says_what_is_needed(app_server, db):
    """No VEILLEUR_PUBLIC_URL: the person learns it is needed, and the path still works."""
    before = len(app_server.slack.calls_to("response_url"))
    app_server.command("/session", "calendrier", user="U1", channel=PUBLIC)
    [*_, answer] = app_server.slack.wait_for("response_url", before + 1, timeout=10)
    text = answer.params["text"]
    assert "VEILLEUR_PUBLIC_URL" in text
    assert "mode HTTP" in text
    path = re.search(r"(/calendar\.ics\?token=[A-Za-z0-9_-]+)", text).group(1)
    status, body, _ = app_server.request("GET", path)
    assert status == 200
    read_both(body)


def test_tokens_are_random_and_long(served):
    paths = {address_of(served, user) for user in ("U1", "U2", "U3")}
    assert len(paths) == 3
    assert all(len(p.split("token=")[1]) >= 40 for p in paths)
