"""Splitting what people type into title, date, place, owner and due date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.reply import UserError
from bot.meetings.decisions import parse_decision_request
from bot.meetings.sessions import decision_session, parse_session_request
from tests.meetings.helpers import make_session

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # vendredi 27 novembre 2026, 10 h à Paris


@pytest.mark.parametrize(
    ("typed", "title", "starts", "place", "offsets"),
    [
        ("Temps de travail 11 janvier 2027 10h à Lyon", "Temps de travail", "2027-01-11T10:00+01:00", "Lyon", "7d 1d 1h"),
        ("Temps de travail le 11 à 10h à Lyon", "Temps de travail", "2026-12-11T10:00+01:00", "Lyon", "7d 1d 1h"),
        ("Point 11 janvier à 10h30 à Clermont-Ferrand rappels 2j 1h", "Point", "2027-01-11T10:30+01:00", "Clermont-Ferrand", "2d 1h"),
        ("Bilan 2026 demain 9h", "Bilan 2026", "2026-11-28T09:00+01:00", "", "7d 1d 1h"),
        ("Réunion à distance lundi prochain 14h30", "Réunion à distance", "2026-11-30T14:30+01:00", "", "7d 1d 1h"),
    ],
)  # fmt: skip
def test_session_request_is_split_into_its_parts(typed, title, starts, place, offsets) -> None:
    request = parse_session_request(typed, now=NOW, tz="Europe/Paris")
    assert (request.title, request.place, request.offsets) == (title, place, offsets)
    assert request.starts_at == datetime.fromisoformat(starts)


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("Réunion à Lyon", "Je n'ai pas trouvé de date"),
        ("11 janvier 2027 10h", "Donnez un titre"),
        ("Réunion mardi 11 janvier 2027 10h", "ne correspond pas"),
    ],
)
def test_session_request_errors(typed, fragment) -> None:
    with pytest.raises(UserError, match=fragment):
        parse_session_request(typed, now=NOW, tz="Europe/Paris")


def test_decision_request_pulls_owner_due_date_and_session() -> None:
    request = parse_decision_request(
        "Relire le bilan <@U0BOB|bob> échéance vendredi prochain session:3",
        now=NOW,
        tz="Europe/Paris",
    )
    assert request.text == "Relire le bilan"
    assert request.owner == "U0BOB"
    assert request.due_date == date(2026, 12, 4)
    assert request.session_id == 3


def test_decision_text_keeps_mentions_that_are_not_the_trailing_owner() -> None:
    request = parse_decision_request("<!channel> voir avec <@U0ANN> le budget", now=NOW, tz="UTC")
    assert request.text == "<!channel> voir avec <@U0ANN> le budget"
    assert request.owner is None


def test_decision_session_is_in_progress_else_upcoming_else_latest_past(db_path, db) -> None:
    make_session(db_path, NOW - timedelta(days=3), title="Passée")
    make_session(db_path, NOW + timedelta(hours=1), title="Tout à l'heure")
    make_session(db_path, NOW + timedelta(days=3), title="Future")
    meeting, rule = decision_session(db, "C1", NOW)
    assert (meeting.title, rule) == ("Tout à l'heure", "current")
    meeting, rule = decision_session(db, "C1", NOW - timedelta(days=1))
    assert (meeting.title, rule) == ("Tout à l'heure", "upcoming")  # upcoming wins over past
    meeting, rule = decision_session(db, "C1", NOW + timedelta(days=5))
    assert (meeting.title, rule) == ("Future", "past")
    assert decision_session(db, "C2", NOW) == (None, "none")
