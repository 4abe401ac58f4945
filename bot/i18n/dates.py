"""Spell dates out in full with Babel (CLDR names), in the configured time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime

_DATE_PATTERNS = {"fr": "EEEE d MMMM y", "en": "EEEE d MMMM y"}
_DATETIME_PATTERNS = {"fr": "EEEE d MMMM y 'à' H 'h' mm", "en": "EEEE d MMMM y 'at' HH:mm"}


def _local(dt: datetime | date, tz: str | ZoneInfo) -> datetime | date:
    """Convert an aware datetime to ``tz``; leave plain dates alone."""
    if isinstance(dt, datetime):
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        return dt.astimezone(zone)
    return dt


def format_date(dt: datetime | date, lang: str = "fr", tz: str | ZoneInfo = "Europe/Paris") -> str:
    """Return e.g. "mardi 12 janvier 2027" / "Tuesday 12 January 2027"."""
    pattern = _DATE_PATTERNS.get(lang, _DATE_PATTERNS["fr"])
    return babel_format_date(_local(dt, tz), pattern, locale=lang)


def format_datetime(dt: datetime, lang: str = "fr", tz: str | ZoneInfo = "Europe/Paris") -> str:
    """Return e.g. "lundi 11 janvier 2027 à 10 h 00" / "Monday 11 January 2027 at 10:00"."""
    pattern = _DATETIME_PATTERNS.get(lang, _DATETIME_PATTERNS["fr"])
    return babel_format_datetime(_local(dt, tz), pattern, locale=lang)
