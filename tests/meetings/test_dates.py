"""French (and some English) dates as people type them, relative to a fixed ``now``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates import format_date, format_datetime
from bot.core.reply import UserError
from bot.meetings.dates import parse_date, parse_datetime

PARIS = ZoneInfo("Europe/Paris")
# Friday 27 November 2026, 10:00 in Paris.
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

VALID = [
    ("11 janvier 2027 10h", "2027-01-11T10:00+01:00"),
    ("lundi prochain 14h30", "2026-11-30T14:30+01:00"),
    ("demain 9h", "2026-11-28T09:00+01:00"),
    ("11/01/2027 10:00", "2027-01-11T10:00+01:00"),
    ("le 11 à 10h", "2026-12-11T10:00+01:00"),
    ("11 janvier à 10h30", "2027-01-11T10:30+01:00"),
    ("après-demain 14h", "2026-11-29T14:00+01:00"),
    ("2027-01-11 10:00", "2027-01-11T10:00+01:00"),
    ("Lundi 11 Janvier 2027 à 10 h 30", "2027-01-11T10:30+01:00"),
    ("1er décembre 2026 midi", "2026-12-01T12:00+01:00"),
    ("vendredi prochain 10h", "2026-12-04T10:00+01:00"),
    ("samedi 9h", "2026-11-28T09:00+01:00"),
    ("aujourd\u2019hui 14h", "2026-11-27T14:00+01:00"),
    ("le 27 à 11h", "2026-11-27T11:00+01:00"),
    ("11/01 10h", "2027-01-11T10:00+01:00"),
    ("11.01.27 10h", "2027-01-11T10:00+01:00"),
    ("1 dec 18h", "2026-12-01T18:00+01:00"),
    ("28 mars 2027 3h", "2027-03-28T03:00+02:00"),
    ("31 octobre 2027 3h30", "2027-10-31T03:30+01:00"),
    ("2027-10-31 02:30+02:00", "2027-10-31T02:30+02:00"),
    ("2027-10-31T02:30+01:00", "2027-10-31T02:30+01:00"),
    ("12 juillet 2027 14 heures", "2027-07-12T14:00+02:00"),
]

INVALID = [
    ("vendredi 10h", "ambigu"),  # today is a Friday: this one or next week's?
    ("le 27 à 9h", "passée"),
    ("hier 10h", "passée"),
    ("26/11/2026 10:00", "passée"),
    ("mardi 11 janvier 2027 10h", "ne correspond pas"),
    ("28 mars 2027 2h30", "heure d'été"),  # DST gap: 02:30 does not exist
    ("31 octobre 2027 2h30", "deux fois"),  # DST fold: 02:30 happens twice
    ("31 février 2027 10h", "n'existe pas"),
    ("11 janvier 2027 25h", "n'existe pas"),
    ("11 janvier 2027 10h75", "n'existe pas"),
    ("11 janvier 2027", "Précisez l'heure"),
    ("10h", "Précisez le jour"),
    ("blabla 10h", "Je ne comprends pas"),
    ("11 janvier 2027 10h 14h", "deux heures"),
    ("", "Précisez l'heure"),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[row[0] for row in VALID])
def test_french_date_is_understood(text: str, expected: str) -> None:
    result = parse_datetime(text, now=NOW, tz="Europe/Paris")
    assert result.tzinfo is not None
    assert result.utcoffset().total_seconds() == 0
    assert result == datetime.fromisoformat(expected)


@pytest.mark.parametrize(("text", "fragment"), INVALID, ids=[row[0] or "empty" for row in INVALID])
def test_bad_french_date_gets_a_french_error_with_an_example(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_datetime(text, now=NOW, tz="Europe/Paris")
    message = str(caught.value)
    assert fragment in message
    assert "par exemple" in message


def test_r5_spring_forward_gap_suggests_times_that_exist() -> None:
    with pytest.raises(UserError, match="1 h 30 ou 3 h 30"):
        parse_datetime("28 mars 2027 2h30", now=NOW)


def test_r5_autumn_fold_offers_both_offsets() -> None:
    with pytest.raises(UserError) as caught:
        parse_datetime("31 octobre 2027 2h30", now=NOW)
    assert "2027-10-31 02:30+02:00" in str(caught.value)
    assert "2027-10-31 02:30+01:00" in str(caught.value)


ENGLISH = [
    ("January 11, 2027 10am", "2027-01-11T10:00+01:00"),
    ("next monday 2:30pm", "2026-11-30T14:30+01:00"),
    ("tomorrow 9am", "2026-11-28T09:00+01:00"),
    ("13/01/2027 10:00", "2027-01-13T10:00+01:00"),
    ("11 January 2027 at 10:30", "2027-01-11T10:30+01:00"),
    ("day after tomorrow noon", "2026-11-29T12:00+01:00"),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH, ids=[row[0] for row in ENGLISH])
def test_english_date_is_understood(text: str, expected: str) -> None:
    assert parse_datetime(text, now=NOW, lang="en") == datetime.fromisoformat(expected)


def test_english_day_month_order_is_refused_when_ambiguous() -> None:
    with pytest.raises(UserError, match="ambiguous"):
        parse_datetime("01/11/2027 10:00", now=NOW, lang="en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 janvier 2027", date(2027, 1, 15)),
        ("vendredi prochain", date(2026, 12, 4)),
        ("demain", date(2026, 11, 28)),
        ("aujourd'hui", date(2026, 11, 27)),
        ("le 3", date(2026, 12, 3)),
    ],
)
def test_due_date_is_understood(text: str, expected: date) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "fragment"), [("hier", "passée"), ("demain 9h", "seulement le jour")]
)
def test_bad_due_date_is_refused(text: str, fragment: str) -> None:
    with pytest.raises(UserError, match=fragment):
        parse_date(text, now=NOW)


def test_confirmation_spells_the_date_out_in_full() -> None:
    when = parse_datetime("11 janvier 2027 10h", now=NOW)
    assert format_datetime(when, "fr", "Europe/Paris") == "lundi 11 janvier 2027 à 10 h 00"
    assert format_datetime(when, "en", "Europe/Paris") == "Monday 11 January 2027 at 10:00"
    assert format_date(date(2027, 1, 12), "fr") == "mardi 12 janvier 2027"
