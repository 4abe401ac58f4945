"""The period of a newsletter draft: `du 4 janvier au 11 janvier 2027`, or the last 7 days.

Dates are read in the team's time zone: « 4 janvier 2027 », « 1er janvier », « 04/01/2027 »,
« 2027-01-04 » (English: "from January 4 to January 11", "4 January 2027"). A date without a
year takes the latest such day that is not after today. The period runs from the start of the
first day to the end of the last.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from bot.core.i18n import t
from bot.core.reply import UserError
from bot.core.router import fold

DEFAULT_DAYS = 7
_RANGE = re.compile(r"^(?:du|from)\s+(?P<since>.+?)\s+(?:au|to|until)\s+(?P<until>.+)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?$")
_WORDS = re.compile(r"^(?:\w+\s+)??(\d{1,2})(?:er|re|st|nd|rd|th)?\s+([^\d\s]+)\.?(?:\s+(\d{4}))?$")
_WORDS_EN = re.compile(r"^([^\d\s]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    """Return {folded month name or abbreviation: number}, French and English."""
    found: dict[str, int] = {}
    for lang in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=lang).items():
                found[fold(name).rstrip(".")] = number
    return found


def _day(year: int | None, month: int, day: int, today: date) -> date:
    """Return the date; without a year, the latest one not after ``today``."""
    if year is not None:
        return date(year + 2000 if year < 100 else year, month, day)
    found = date(today.year, month, day)
    return found if found <= today else date(today.year - 1, month, day)


def parse_day(text: str, today: date, lang: str) -> date:
    """Read one date as people type it; a UserError says how to write it."""
    words = fold(text.strip().rstrip("."))
    try:
        if match := _ISO.match(words):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(words):
            year = int(match[3]) if match[3] else None
            return _day(year, int(match[2]), int(match[1]), today)
        if (match := _WORDS.match(words)) and match[2] in _months():
            year = int(match[3]) if match[3] else None
            return _day(year, _months()[match[2]], int(match[1]), today)
        if (match := _WORDS_EN.match(words)) and match[1] in _months():
            year = int(match[3]) if match[3] else None
            return _day(year, _months()[match[1]], int(match[2]), today)
    except ValueError:
        pass  # 31 février: said the same way as a date not understood
    raise UserError(t("newsletter.period.bad_date", lang, text=text.strip()))


def parse_period(args: str, now: datetime, zone: ZoneInfo, lang: str) -> tuple[datetime, datetime]:
    """Return (since, until) in UTC for `du <date> au <date>`; no words: the last 7 days."""
    if not args.strip():
        return now - timedelta(days=DEFAULT_DAYS), now
    match = _RANGE.match(fold(" ".join(args.split())))
    if not match:
        raise UserError(t("newsletter.period.usage", lang))
    today = now.astimezone(zone).date()
    first = parse_day(match["since"], today, lang)
    last = parse_day(match["until"], today, lang)
    if last < first:
        raise UserError(t("newsletter.period.reversed", lang))
    since = datetime.combine(first, time(0, 0), tzinfo=zone).astimezone(UTC)
    next_day = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=zone)
    # The last instant of the last day, so the period is shown ending on that day.
    return since, (next_day - timedelta(microseconds=1)).astimezone(UTC)
