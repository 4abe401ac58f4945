"""Dates spelled out for people, in the team's time zone (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _local(moment: datetime | date, tz: str | ZoneInfo) -> datetime | date:
    if isinstance(moment, datetime):
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    return moment


def format_date(
    moment: datetime | date, lang: str = "fr", tz: str | ZoneInfo = "Europe/Paris"
) -> str:
    """Return e.g. "mardi 12 janvier 2027", "vendredi 1er janvier 2027" or "Tuesday 12 January 2027"."""
    local = _local(moment, tz)
    day = local.date() if isinstance(local, datetime) else local
    # French writes the first of the month as an ordinal: « le 1er décembre », never « 1 décembre ».
    pattern = "EEEE d'er' MMMM y" if lang != "en" and day.day == 1 else "EEEE d MMMM y"
    return _babel_date(day, pattern, locale=_LOCALES.get(lang, "fr_FR"))


def format_time(moment: datetime, lang: str = "fr", tz: str | ZoneInfo = "Europe/Paris") -> str:
    """Return e.g. "10 h 00" (fr) or "10:00" (en)."""
    local = _local(moment, tz)
    assert isinstance(local, datetime)
    if lang == "fr":
        return f"{local.hour} h {local.minute:02d}"
    return _babel_time(local.time(), "HH:mm", locale=_LOCALES["en"])


def format_datetime(moment: datetime, lang: str = "fr", tz: str | ZoneInfo = "Europe/Paris") -> str:
    """Return e.g. "lundi 11 janvier 2027 à 10 h 00" or "Monday 11 January 2027 at 10:00"."""
    joiner = " à " if lang == "fr" else " at "
    return format_date(moment, lang, tz) + joiner + format_time(moment, lang, tz)
