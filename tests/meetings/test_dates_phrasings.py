"""Dates as people type them for meetings and deadlines, one table per group (issue 13).

Every row has a fixed "now" in Europe/Paris and either the expected instant (local ISO) or the
expected refusal, written ``!key`` for the message key. Refusals must say what was understood
or give an example that works.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.meetings.dates import DateError, parse_date, parse_datetime

PARIS = ZoneInfo("Europe/Paris")
# Friday 27 November 2026, 10:00 in Paris.
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
# Wednesday 25 November 2026, 10:00 in Paris: « d'ici vendredi » is not today.
WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Saturday 27 March 2027, 10:00 in Paris (CET), the day before clocks go forward.
EVE_OF_SPRING = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)


def _check(text: str, expected: str, lang: str, now: datetime = NOW) -> None:
    """Parse ``text`` and compare with the expected local instant or refusal key."""
    if expected.startswith("!"):
        with pytest.raises(DateError) as caught:
            parse_datetime(text, now=now, tz=PARIS, lang=lang)
        assert caught.value.key == expected[1:], str(caught.value)
        assert ("par exemple" if lang == "fr" else "for example") in str(caught.value)
        return
    result = parse_datetime(text, now=now, tz=PARIS, lang=lang)
    assert result == datetime.fromisoformat(expected), result.astimezone(PARIS).isoformat()


DAY_PARTS_FR = [
    ("demain matin 9h", "2026-11-28T09:00+01:00"),
    ("9h du matin demain", "2026-11-28T09:00+01:00"),
    ("ce soir 18h", "2026-11-27T18:00+01:00"),
    ("ce soir à 20h30", "2026-11-27T20:30+01:00"),
    ("demain soir 20h", "2026-11-28T20:00+01:00"),
    ("8h du soir", "2026-11-27T20:00+01:00"),
    ("demain 8h du soir", "2026-11-28T20:00+01:00"),
    ("cet après-midi 17h", "2026-11-27T17:00+01:00"),
    ("cet après midi 3h", "2026-11-27T15:00+01:00"),
    ("3 heures de l'après-midi", "2026-11-27T15:00+01:00"),
    ("demain 3 heures de l\u2019après-midi", "2026-11-28T15:00+01:00"),
    ("midi et demi", "2026-11-27T12:30+01:00"),
    ("demain midi et demie", "2026-11-28T12:30+01:00"),
    ("lundi prochain matin 9h", "2026-11-30T09:00+01:00"),
    ("demain soir 8", "2026-11-28T20:00+01:00"),
    ("le 3 au matin 9h", "2026-12-03T09:00+01:00"),
    ("demain matin", "!dates.error.no_time"),
    ("demain matin 15h", "!dates.error.day_part"),
    ("ce matin 9h", "!dates.error.past"),
    ("9h du matin", "!dates.error.time_passed_today"),
]
DAY_PARTS_EN = [
    ("tomorrow morning 9am", "2026-11-28T09:00+01:00"),
    ("tomorrow morning 9", "2026-11-28T09:00+01:00"),
    ("this evening 6pm", "2026-11-27T18:00+01:00"),
    ("tonight 8pm", "2026-11-27T20:00+01:00"),
    ("tonight 8", "2026-11-27T20:00+01:00"),
    ("tomorrow evening 8pm", "2026-11-28T20:00+01:00"),
    ("this afternoon 5pm", "2026-11-27T17:00+01:00"),
    ("3 in the afternoon", "2026-11-27T15:00+01:00"),
    ("tomorrow 9 in the morning", "2026-11-28T09:00+01:00"),
    ("tomorrow at noon", "2026-11-28T12:00+01:00"),
    ("tomorrow morning", "!dates.error.no_time"),
]


@pytest.mark.parametrize(("text", "expected"), DAY_PARTS_FR, ids=[r[0] for r in DAY_PARTS_FR])
def test_day_parts_with_an_hour_fr(text, expected):
    _check(text, expected, "fr")


@pytest.mark.parametrize(("text", "expected"), DAY_PARTS_EN, ids=[r[0] for r in DAY_PARTS_EN])
def test_day_parts_with_an_hour_en(text, expected):
    _check(text, expected, "en")


WEEKDAY_AND_DAY_FR = [
    ("jeudi 24 à 14h", "2026-12-24T14:00+01:00"),
    ("jeudi 3 à 10h", "2026-12-03T10:00+01:00"),
    ("mardi 1er à 10h", "2026-12-01T10:00+01:00"),
    ("mar. 1 10h", "2026-12-01T10:00+01:00"),
    ("lundi 30 à 9h", "2026-11-30T09:00+01:00"),
    ("samedi 28 10h", "2026-11-28T10:00+01:00"),
    ("mardi 1/12 10h", "2026-12-01T10:00+01:00"),
    ("lundi 11/01 10h", "2027-01-11T10:00+01:00"),
    ("lundi 11/01/2027 10h", "2027-01-11T10:00+01:00"),
    ("lundi 11.01.27 10h", "2027-01-11T10:00+01:00"),
    ("mercredi 2-12 14h", "2026-12-02T14:00+01:00"),
    ("mardi 24 à 14h", "!dates.error.weekday_mismatch"),  # the 24th is a Thursday
    ("lundi 23/11 10h", "!dates.error.weekday_mismatch"),  # 23/11/2027 is a Tuesday
    ("vendredi 3 10h", "!dates.error.weekday_mismatch"),
    ("mardi 11/01/2027 10h", "!dates.error.weekday_mismatch"),
    ("jeudi 32 10h", "!dates.error.unknown"),
]
WEEKDAY_AND_DAY_EN = [
    ("tuesday 1 at 2pm", "2026-12-01T14:00+01:00"),
    ("thursday 3 at 10am", "2026-12-03T10:00+01:00"),
    ("thu 24 2pm", "2026-12-24T14:00+01:00"),
    ("Tuesday 1st December 10am", "2026-12-01T10:00+01:00"),
    ("Monday 13/01/2027 10:00", "!dates.error.weekday_mismatch"),
    ("tuesday 24 at 2pm", "!dates.error.weekday_mismatch"),
]


@pytest.mark.parametrize(
    ("text", "expected"), WEEKDAY_AND_DAY_FR, ids=[r[0] for r in WEEKDAY_AND_DAY_FR]
)
def test_weekday_with_a_day_number_or_numeric_date_fr(text, expected):
    _check(text, expected, "fr")


@pytest.mark.parametrize(
    ("text", "expected"), WEEKDAY_AND_DAY_EN, ids=[r[0] for r in WEEKDAY_AND_DAY_EN]
)
def test_weekday_with_a_day_number_or_numeric_date_en(text, expected):
    _check(text, expected, "en")


DURATIONS_FR = [
    ("dans 3 jours à 10h", "2026-11-30T10:00+01:00"),
    ("dans 2 semaines à 10h", "2026-12-11T10:00+01:00"),
    ("dans 15 jours 10h", "2026-12-11T10:00+01:00"),  # « quinze jours »: two weeks
    ("dans quinze jours à 14h", "2026-12-11T14:00+01:00"),
    ("dans 8 jours 10h", "2026-12-04T10:00+01:00"),  # « huit jours »: a week
    ("dans un mois 10h", "2026-12-27T10:00+01:00"),
    ("dans deux mois à 10h", "2027-01-27T10:00+01:00"),
    ("dans une semaine 9h", "2026-12-04T09:00+01:00"),
    ("dans 24 heures", "2026-11-28T10:00+01:00"),
    ("dans 2 heures", "2026-11-27T12:00+01:00"),
    ("dans une heure", "2026-11-27T11:00+01:00"),
    ("dans 1h30", "2026-11-27T11:30+01:00"),
    ("dans 30 minutes", "2026-11-27T10:30+01:00"),
    ("dans 45 min", "2026-11-27T10:45+01:00"),
    ("lundi en huit 10h", "2026-12-07T10:00+01:00"),
    ("lundi en quinze 10h", "2026-12-14T10:00+01:00"),
    ("vendredi en huit 10h", "2026-12-04T10:00+01:00"),  # said on a Friday: a week today
    ("aujourd'hui en huit 14h", "2026-12-04T14:00+01:00"),
    ("demain en huit 9h", "2026-12-05T09:00+01:00"),
    ("mardi de la semaine prochaine 10h", "2026-12-01T10:00+01:00"),
    ("vendredi de la semaine prochaine 10h", "2026-12-04T10:00+01:00"),
    ("la semaine prochaine mardi 10h", "2026-12-01T10:00+01:00"),
    ("mardi suivant 10h", "2026-12-01T10:00+01:00"),
    ("vendredi suivant 10h", "2026-12-04T10:00+01:00"),
    ("dans 3 jours", "!dates.error.no_time"),
    ("dans 2 heures à 10h", "!dates.error.unknown"),
]
DURATIONS_EN = [
    ("in 3 days at 10am", "2026-11-30T10:00+01:00"),
    ("in 2 weeks at 10am", "2026-12-11T10:00+01:00"),
    ("in a month at 10am", "2026-12-27T10:00+01:00"),
    ("in 24 hours", "2026-11-28T10:00+01:00"),
    ("in an hour", "2026-11-27T11:00+01:00"),
    ("in 30 minutes", "2026-11-27T10:30+01:00"),
    ("monday week 10am", "2026-12-07T10:00+01:00"),
    ("tuesday next week 10am", "2026-12-01T10:00+01:00"),
    ("next week tuesday 10am", "2026-12-01T10:00+01:00"),
    ("in 3 days", "!dates.error.no_time"),
]


@pytest.mark.parametrize(("text", "expected"), DURATIONS_FR, ids=[r[0] for r in DURATIONS_FR])
def test_durations_and_relative_weeks_fr(text, expected):
    _check(text, expected, "fr")


@pytest.mark.parametrize(("text", "expected"), DURATIONS_EN, ids=[r[0] for r in DURATIONS_EN])
def test_durations_and_relative_weeks_en(text, expected):
    _check(text, expected, "en")


SPELLINGS_FR = [
    ("premier décembre 10h", "2026-12-01T10:00+01:00"),
    ("le premier décembre à 10h", "2026-12-01T10:00+01:00"),
    ("1er décembre 10h", "2026-12-01T10:00+01:00"),
    ("deux décembre 10h", "2026-12-02T10:00+01:00"),
    ("lun. 30 nov. 10h", "2026-11-30T10:00+01:00"),
    ("lun 30 nov 10h", "2026-11-30T10:00+01:00"),
    ("12 fév 10h", "2027-02-12T10:00+01:00"),
    ("12 fev 10h", "2027-02-12T10:00+01:00"),
    ("12 févr. 10h", "2027-02-12T10:00+01:00"),
    ("3 sept. 10h", "2027-09-03T10:00+02:00"),
    ("3 sept 10h", "2027-09-03T10:00+02:00"),
    ("11 janv. 2027 10h", "2027-01-11T10:00+01:00"),
    ("14 juil. 10h", "2027-07-14T10:00+02:00"),
    ("15 août 10h", "2027-08-15T10:00+02:00"),
    ("15 aout 10h", "2027-08-15T10:00+02:00"),
    ("1 déc. 18h", "2026-12-01T18:00+01:00"),
    ("quinze heures", "2026-11-27T15:00+01:00"),
    ("demain quinze heures", "2026-11-28T15:00+01:00"),
    ("demain neuf heures et quart", "2026-11-28T09:15+01:00"),
    ("demain dix heures et demie", "2026-11-28T10:30+01:00"),
    ("demain dix heures moins le quart", "2026-11-28T09:45+01:00"),
    ("demain quinze heures trente", "2026-11-28T15:30+01:00"),
    ("demain dix-sept heures", "2026-11-28T17:00+01:00"),
    ("demain vingt et une heures", "2026-11-28T21:00+01:00"),
    ("demain 9h et quart", "2026-11-28T09:15+01:00"),
    ("demain midi", "2026-11-28T12:00+01:00"),
    ("demain midi et quart", "2026-11-28T12:15+01:00"),
    ("demain 19 h 21", "2026-11-28T19:21+01:00"),
    ("demain 19h21", "2026-11-28T19:21+01:00"),
    ("demain 10h30", "2026-11-28T10:30+01:00"),
    ("demain 10:30", "2026-11-28T10:30+01:00"),
    ("demain 10 h", "2026-11-28T10:00+01:00"),
    ("2027-01-11T10:00:00", "2027-01-11T10:00+01:00"),
    ("2027-01-11 10:00:00", "2027-01-11T10:00+01:00"),
    ("2027-07-12T14:30:00", "2027-07-12T14:30+02:00"),
    ("aujourd'hui 14h", "2026-11-27T14:00+01:00"),
    ("aujourd\u2019hui 14h", "2026-11-27T14:00+01:00"),
    ("aujourd\u02bchui 14h", "2026-11-27T14:00+01:00"),
    ("aujourd\u2032hui 14h", "2026-11-27T14:00+01:00"),
    ("aujourd\u00b4hui 14h", "2026-11-27T14:00+01:00"),
    ("aujourd`hui 14h", "2026-11-27T14:00+01:00"),
    ("aujourd\u2018hui 14h", "2026-11-27T14:00+01:00"),
    ("Demain à 10h.", "2026-11-28T10:00+01:00"),
    ("demain 10h !", "2026-11-28T10:00+01:00"),
    ("demain 10h ?", "2026-11-28T10:00+01:00"),
    ("demain, 10h…", "2026-11-28T10:00+01:00"),
    ("demain environ 10h", "2026-11-28T10:00+01:00"),
    ("demain vers 10h environ", "2026-11-28T10:00+01:00"),
    ("DEMAIN 10H", "2026-11-28T10:00+01:00"),
    ("demain\u00a010h", "2026-11-28T10:00+01:00"),
    ("demain 10\u202fh\u202f30", "2026-11-28T10:30+01:00"),
    ("Lundi 11 Janvier 2027 à 10 h 30", "2027-01-11T10:30+01:00"),
    ("demain 10h75", "!dates.error.bad_time"),
    ("12 frv 10h", "!dates.error.unknown"),
]
SPELLINGS_EN = [
    ("1st december 10am", "2026-12-01T10:00+01:00"),
    ("December 1st 10am", "2026-12-01T10:00+01:00"),
    ("mon. 30 nov. 10am", "2026-11-30T10:00+01:00"),
    ("feb 12 10am", "2027-02-12T10:00+01:00"),
    ("sept. 3 10am", "2027-09-03T10:00+02:00"),
    ("half past ten tomorrow", "2026-11-28T10:30+01:00"),
    ("quarter to ten tomorrow", "2026-11-28T09:45+01:00"),
    ("tomorrow at ten am", "2026-11-28T10:00+01:00"),
    ("tomorrow at 10 o'clock", "2026-11-28T10:00+01:00"),
    ("tomorrow 10 a.m.", "2026-11-28T10:00+01:00"),
    ("2027-01-11T10:00:00", "2027-01-11T10:00+01:00"),
    ("Tomorrow at 10am.", "2026-11-28T10:00+01:00"),
    ("tomorrow 10am!", "2026-11-28T10:00+01:00"),
    ("tomorrow around 10am", "2026-11-28T10:00+01:00"),
    ("tomorrow 15:00 p.m.", "!dates.error.bad_time"),
]


@pytest.mark.parametrize(("text", "expected"), SPELLINGS_FR, ids=[r[0] for r in SPELLINGS_FR])
def test_spellings_fr(text, expected):
    _check(text, expected, "fr")


@pytest.mark.parametrize(("text", "expected"), SPELLINGS_EN, ids=[r[0] for r in SPELLINGS_EN])
def test_spellings_en(text, expected):
    _check(text, expected, "en")


BARE_TIMES = [
    ("18h", "2026-11-27T18:00+01:00", "fr"),
    ("à 18h30", "2026-11-27T18:30+01:00", "fr"),
    ("vers 11h", "2026-11-27T11:00+01:00", "fr"),
    ("10h01", "2026-11-27T10:01+01:00", "fr"),
    ("23:59", "2026-11-27T23:59+01:00", "fr"),
    ("6pm", "2026-11-27T18:00+01:00", "en"),
    ("at 6:30pm", "2026-11-27T18:30+01:00", "en"),
    ("around 6pm", "2026-11-27T18:00+01:00", "en"),
    ("10h", "!dates.error.time_passed_today", "fr"),  # it is 10:00: no longer ahead
    ("9h", "!dates.error.time_passed_today", "fr"),
    ("9am", "!dates.error.time_passed_today", "en"),
]


@pytest.mark.parametrize(("text", "expected", "lang"), BARE_TIMES, ids=[r[0] for r in BARE_TIMES])
def test_a_bare_time_is_today_when_still_ahead(text, expected, lang):
    _check(text, expected, lang)


def test_a_bare_time_already_past_proposes_tomorrow():
    with pytest.raises(DateError, match="« demain 9h »"):
        parse_datetime("9h", now=NOW, tz=PARIS)


NEVER_WRONG = [
    ("31/10/74 10h", "2074-10-31T10:00+01:00", "fr"),  # nearest year: 2074, not 1974
    ("31/10/27 10h", "2027-10-31T10:00+01:00", "fr"),
    ("11.01.27 10h", "2027-01-11T10:00+01:00", "fr"),
    ("31/10/74 10:00", "2074-10-31T10:00+01:00", "en"),
    ("31/10/25 10h", "!dates.error.past", "fr"),  # 2025: past, refused as past
    ("26/11/26 10h", "!dates.error.past", "fr"),
    ("29 février 10h", "!dates.error.no_leap_day", "fr"),  # next February (2027) has no 29th
    ("29/02 10h", "!dates.error.no_leap_day", "fr"),
    ("29 février 2027 10h", "!dates.error.no_leap_day", "fr"),
    ("29 février 2028 10h", "2028-02-29T10:00+01:00", "fr"),
    ("29 february 10am", "!dates.error.no_leap_day", "en"),
    ("30/2 10h", "!dates.error.no_such_date", "fr"),
    ("31 avril 10h", "!dates.error.no_such_date", "fr"),
    ("31 juin 2027 10h", "!dates.error.no_such_date", "fr"),
    ("dans 24 heures", "2026-11-28T10:00+01:00", "fr"),
    ("demain vingt heures", "2026-11-28T20:00+01:00", "fr"),
]


@pytest.mark.parametrize(
    ("text", "expected", "lang"), NEVER_WRONG, ids=[f"{r[2]}:{r[0]}" for r in NEVER_WRONG]
)
def test_never_silently_wrong(text, expected, lang):
    _check(text, expected, lang)


@pytest.mark.parametrize(
    ("text", "lang", "shown", "hidden"),
    [
        ("30/2 10h", "fr", "Le 30 février n'existe pas", "2000"),
        ("30 février 10h", "fr", "Le 30 février n'existe pas", "2000"),
        ("31 avril 2027 10h", "fr", "Le 31 avril 2027 n'existe pas", "2000"),
        ("30/02 10am", "en", "30 February does not exist", "2000"),
        (
            "29 février 10h",
            "fr",
            "le dimanche 28 février 2027 ou le lundi 1er mars 2027",
            "2028",
        ),
        ("dans 24 heures 10h", "fr", "j'ai bien compris l'heure", "24 heures n'existe pas"),
        ("demain quinze heures", "fr", "", "Précisez l'heure"),
    ],
)
def test_messages_never_show_a_year_nobody_typed(text, lang, shown, hidden):
    try:
        parse_datetime(text, now=NOW, tz=PARIS, lang=lang)
        message = ""
    except DateError as error:
        message = str(error)
    assert shown in message
    assert hidden not in message


DST = [
    ("28 mars 2027 2h30", "!dates.error.dst_gap", EVE_OF_SPRING),
    ("demain 2h30", "!dates.error.dst_gap", EVE_OF_SPRING),
    ("28 mars 2027 1h30", "2027-03-28T01:30+01:00", EVE_OF_SPRING),
    ("28 mars 2027 3h30", "2027-03-28T03:30+02:00", EVE_OF_SPRING),
    ("dans 24 heures", "2027-03-28T11:00+02:00", EVE_OF_SPRING),  # 24 h elapsed, 23 on the clock
    ("demain 10h", "2027-03-28T10:00+02:00", EVE_OF_SPRING),
    ("31 octobre 2027 2h30", "!dates.error.dst_fold", NOW),
    ("31 octobre 2027 2h30 du matin", "!dates.error.dst_fold", NOW),
    ("2027-10-31 02:30+02:00", "2027-10-31T02:30+02:00", NOW),
    ("2027-10-31 02:30+01:00", "2027-10-31T02:30+01:00", NOW),
    ("31 octobre 2027 3h", "2027-10-31T03:00+01:00", NOW),
    ("31 octobre 2027 1h59", "2027-10-31T01:59+02:00", NOW),
]


@pytest.mark.parametrize(("text", "expected", "now"), DST, ids=[r[0] for r in DST])
def test_r5_dst_edges(text, expected, now):
    _check(text, expected, "fr", now)


DUE_DATES = [
    ("fin décembre", date(2026, 12, 31), "fr"),
    ("fin du mois", date(2026, 11, 30), "fr"),
    ("fin février 2027", date(2027, 2, 28), "fr"),
    ("fin d'année", date(2026, 12, 31), "fr"),
    ("d'ici vendredi", date(2026, 11, 27), "fr"),
    ("d\u2019ici lundi", date(2026, 11, 30), "fr"),
    ("d'ici 3 jours", date(2026, 11, 28), "fr"),
    ("avant le 15", date(2026, 12, 14), "fr"),  # before the 15th: done by the 14th
    ("avant vendredi", date(2026, 11, 26), "fr"),
    ("au plus tard le 3 décembre", date(2026, 12, 3), "fr"),
    ("jusqu'au 10 décembre", date(2026, 12, 10), "fr"),
    ("dans 15 jours", date(2026, 12, 9), "fr"),
    ("dans un mois", date(2026, 12, 25), "fr"),
    ("mi-janvier", date(2027, 1, 15), "fr"),
    ("lundi en huit", date(2026, 12, 7), "fr"),
    ("le 15.", date(2026, 12, 15), "fr"),
    ("31/10/74", date(2074, 10, 31), "fr"),
    ("premier décembre", date(2026, 12, 1), "fr"),
    ("end of december", date(2026, 12, 31), "en"),
    ("by friday", date(2026, 11, 27), "en"),
    ("before the 15th", date(2026, 12, 14), "en"),
    ("end of the month", date(2026, 11, 30), "en"),
    ("in 2 weeks", date(2026, 12, 9), "en"),
]


@pytest.mark.parametrize(("text", "expected", "lang"), DUE_DATES, ids=[r[0] for r in DUE_DATES])
def test_due_dates_as_people_write_them(text, expected, lang):
    assert parse_date(text, now=WEDNESDAY, tz=PARIS, lang=lang) == expected


DUE_REFUSALS = [
    ("29 février", "dates.error.no_leap_day"),
    ("début janvier", "dates.error.unknown"),
    ("avant hier", "dates.error.past_day"),
    ("d'ici mercredi", "dates.error.weekday_today"),  # today is a Wednesday
    ("fin décembre 10h", "dates.error.date_only"),
]


@pytest.mark.parametrize(("text", "key"), DUE_REFUSALS, ids=[r[0] for r in DUE_REFUSALS])
def test_due_date_refusals_name_their_reason(text, key):
    with pytest.raises(DateError) as caught:
        parse_date(text, now=WEDNESDAY, tz=PARIS)
    assert caught.value.key == key
    assert "par exemple" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "lang", "understood", "example"),
    [
        ("vendredi prochain", "fr", "vendredi 4 décembre 2026", "« vendredi prochain 10h »"),
        ("dans 3 jours", "fr", "lundi 30 novembre 2026", "« dans 3 jours 10h »"),
        ("demain matin", "fr", "samedi 28 novembre 2026", "« demain matin 10h »"),
        ("blabla 10h", "fr", "10 h 00", "« lundi prochain 14h30 »"),
        ("in 3 days", "en", "Monday 30 November 2026", "“in 3 days 10am”"),
        ("blabla 10am", "en", "10:00", "“next monday 2:30pm”"),
    ],
)
def test_a_refusal_says_what_it_understood_and_an_example_that_works(
    text, lang, understood, example
):
    with pytest.raises(DateError) as caught:
        parse_datetime(text, now=NOW, tz=PARIS, lang=lang)
    assert understood in str(caught.value)
    assert example in str(caught.value)
    suggestion = example.strip("«»“” ")
    assert parse_datetime(suggestion, now=NOW, tz=PARIS, lang=lang) > NOW
