"""Parse dates the way people type them in chat (« lundi prochain 14h30 »), in a given time zone.

A small hand-written grammar rather than dateparser: we need to *refuse* what dateparser guesses
silently (a bare weekday that is today, a local time skipped or repeated by a DST change, a weekday
that contradicts the date), to say why in French with an example, and to stay fast and predictable.
Every result is an aware UTC datetime; ``now`` is passed in so tests can move the clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates import format_date, format_datetime
from bot.core.i18n import t
from bot.core.reply import UserError
from bot.meetings.date_words import FILLERS, MONTHS, RELATIVE_DAYS, WEEKDAYS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_ISO_FULL = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ t](\d{2}):(\d{2})(?::\d{2})?\s*(z|[+-]\d{2}:?\d{2})$"
)
_TIME_PATTERNS = (
    re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b"),
    re.compile(r"\b(\d{1,2})\s*h\s*(\d{2})?\b"),
    re.compile(r"\b(\d{1,2}) heures?(?: (\d{2}))?\b"),
    re.compile(r"\b(\d{1,2}):(\d{2})\b"),
    re.compile(r"\b(midi|minuit|noon|midnight)\b"),
)
_NAMED_TIMES = {"midi": 12, "noon": 12, "minuit": 0, "midnight": 0}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_TEXT_DATE = re.compile(
    rf"^(?:({_WEEKDAY}) )?(\d{{1,2}})(?:er|st|nd|rd|th)? ({_MONTH})\.?(?: (\d{{4}}))?$"
)
_TEXT_DATE_EN = re.compile(
    rf"^(?:({_WEEKDAY}) )?({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?: (\d{{4}}))?$"
)
_DAY_ONLY = re.compile(r"^(\d{1,2})(?:er|st|nd|rd|th)?$")
_WEEKDAY_ONLY = re.compile(rf"^(?:(next) )?({_WEEKDAY})(?: (prochain|next))?$")


@dataclass(frozen=True)
class _Parsed:
    """A local calendar date plus whether its year was typed."""

    day: date
    explicit: bool


def _normalise(text: str) -> str:
    """Lower-case, drop accents and commas, and collapse spaces."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(\d)t(\d)", r"\1 \2", text)
    return " ".join(text.replace(",", " ").split())


class DateError(UserError):
    """A date that cannot be used; ``key`` names the message, so callers can tell which."""

    def __init__(self, key: str, lang: str, **params: object):
        super().__init__(t(key, lang, **params))
        self.key = key


def _error(key: str, lang: str, **params: object) -> DateError:
    return DateError(key, lang, **params)


def _extract_time(text: str, lang: str) -> tuple[time | None, str]:
    """Find the one time of day in ``text``; return it and the text without it."""
    for pattern in _TIME_PATTERNS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        if len(matches) > 1:
            raise _error("dates.error.two_times", lang)
        match = matches[0]
        rest = (text[: match.start()] + " " + text[match.end() :]).strip()
        return _time_from_match(match, lang), " ".join(rest.split())
    return None, text


def _time_from_match(match: re.Match[str], lang: str) -> time:
    """Turn a regex match of a time expression into a ``time``, validating ranges."""
    groups = match.groups()
    if groups[0] in _NAMED_TIMES:
        return time(_NAMED_TIMES[groups[0]], 0)
    hour, minute = int(groups[0]), int(groups[1] or 0)
    if len(groups) == 3 and groups[2]:
        if not 1 <= hour <= 12:
            raise _error("dates.error.bad_time", lang, text=match.group(0))
        hour = hour % 12 + (12 if groups[2] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise _error("dates.error.bad_time", lang, text=match.group(0))
    return time(hour, minute)


def _make_date(year: int, month: int, day: int, lang: str) -> date:
    """Build a date or explain that it does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        raise _error("dates.error.no_such_date", lang, day=day, month=month, year=year) from None


def _next_yearly(today: date, month: int, day: int, lang: str) -> date:
    """Return the first ``day``/``month`` on or after ``today``."""
    for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise _error("dates.error.no_such_date", lang, day=day, month=month, year=today.year)


def _next_monthly(today: date, day: int, lang: str) -> date:
    """Return the first date on or after ``today`` whose day of the month is ``day``."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise _error("dates.error.unknown", lang, text=str(day))


def _weekday_date(today: date, weekday: int, next_word: bool, lang: str) -> date:
    """Resolve « lundi » / « lundi prochain » to a date, refusing a bare weekday that is today."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        if not next_word:
            raise _error("dates.error.weekday_today", lang)
        ahead = 7
    return today + timedelta(days=ahead)


def _check_weekday(day: date, weekday: str | None, lang: str) -> None:
    """Refuse « mardi 11 janvier 2027 » when the 11th is a Monday."""
    if weekday and WEEKDAYS[weekday] != day.weekday():
        raise _error("dates.error.weekday_mismatch", lang, actual=format_date(day, lang))


def _numeric_date(match: re.Match[str], today: date, lang: str) -> _Parsed:
    """Resolve 11/01/2027 (day first; month-first only for English when unambiguous)."""
    first, second, year_text = int(match[1]), int(match[2]), match[3]
    day, month = first, second
    if lang == "en":
        if first <= 12 and second <= 12 and first != second:
            raise _error("dates.error.ambiguous_numeric", lang, text=match.group(0))
        if second > 12:
            day, month = second, first
    if year_text is None:
        _make_date(2000, month, day, lang)  # leap year: validates day and month
        return _Parsed(_next_yearly(today, month, day, lang), False)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return _Parsed(_make_date(year, month, day, lang), True)


def _text_date(
    day: int, month: int, year: str | None, weekday: str | None, today: date, lang: str
) -> _Parsed:
    """Resolve « lundi 11 janvier 2027 », with the year inferred when left out."""
    if year is None:
        _make_date(2000, month, day, lang)
        parsed = _Parsed(_next_yearly(today, month, day, lang), False)
    else:
        parsed = _Parsed(_make_date(int(year), month, day, lang), True)
    _check_weekday(parsed.day, weekday, lang)
    return parsed


def _parse_day(text: str, today: date, lang: str) -> _Parsed:
    """Resolve the date part of the input (no time of day left in it)."""
    words = [w for w in text.split() if w not in FILLERS]
    text = " ".join(words)
    if not text:
        raise _error("dates.error.no_day", lang)
    if text in RELATIVE_DAYS:
        return _Parsed(today + timedelta(days=RELATIVE_DAYS[text]), False)
    if match := _ISO_DATE.match(text):
        return _Parsed(_make_date(int(match[1]), int(match[2]), int(match[3]), lang), True)
    if match := _NUMERIC_DATE.match(text):
        return _numeric_date(match, today, lang)
    if match := _TEXT_DATE.match(text):
        return _text_date(int(match[2]), MONTHS[match[3]], match[4], match[1], today, lang)
    if match := _TEXT_DATE_EN.match(text):
        return _text_date(int(match[3]), MONTHS[match[2]], match[4], match[1], today, lang)
    if match := _DAY_ONLY.match(text):
        day = int(match[1])
        if not 1 <= day <= 31:
            raise _error("dates.error.unknown", lang, text=text)
        return _Parsed(_next_monthly(today, day, lang), False)
    if match := _WEEKDAY_ONLY.match(text):
        next_word = bool(match[1] or match[3])
        return _Parsed(_weekday_date(today, WEEKDAYS[match[2]], next_word, lang), False)
    raise _error("dates.error.unknown", lang, text=text)


def _localise(naive: datetime, zone: ZoneInfo, lang: str) -> datetime:
    """Attach ``zone`` to a wall-clock time, refusing times skipped or repeated by DST."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    clock = f"{naive.hour} h {naive.minute:02d}"
    if round_trip != naive:
        raise _error("dates.error.dst_gap", lang, time=clock, day=_spelled(naive.date(), lang))
    if first.utcoffset() != second.utcoffset():
        example = naive.strftime("%Y-%m-%d %H:%M")
        raise _error(
            "dates.error.dst_fold",
            lang,
            time=clock,
            day=_spelled(naive.date(), lang),
            example=example,
        )
    return first


def _spelled(day: date, lang: str) -> str:
    """Spell a date out for an error message."""
    return format_date(day, lang)


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    """Accept a zone name or a ZoneInfo."""
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _iso_with_offset(text: str, lang: str) -> datetime | None:
    """Parse « 2027-10-31 02:30+02:00 », the way out of an autumn-fold ambiguity."""
    match = _ISO_FULL.match(text)
    if not match:
        return None
    offset = match[6].upper().replace("Z", "+00:00")
    if ":" not in offset:
        offset = offset[:3] + ":" + offset[3:]
    stamp = f"{match[1]}-{match[2]}-{match[3]}T{match[4]}:{match[5]}{offset}"
    try:
        return datetime.fromisoformat(stamp).astimezone(UTC)
    except ValueError:
        raise _error("dates.error.unknown", lang, text=text) from None


def parse_datetime(
    text: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris", lang: str = "fr"
) -> datetime:
    """Parse a typed date and time into an aware UTC datetime strictly after ``now``."""
    zone = _zone(tz)
    normalised = _normalise(text)
    result = _iso_with_offset(normalised, lang)
    if result is None:
        clock, rest = _extract_time(normalised, lang)
        if clock is None:
            raise _error("dates.error.no_time", lang)
        today = now.astimezone(zone).date()
        day = _parse_day(rest, today, lang).day
        local = _localise(datetime.combine(day, clock), zone, lang)
        result = local.astimezone(UTC)
    if result <= now:
        raise _error("dates.error.past", lang, when=format_datetime(result, lang, zone))
    return result


def parse_date(
    text: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris", lang: str = "fr"
) -> date:
    """Parse a typed calendar date (a due date) on or after today in ``tz``."""
    zone = _zone(tz)
    today = now.astimezone(zone).date()
    normalised = _normalise(text)
    clock, rest = _extract_time(normalised, lang)
    if clock is not None:
        raise _error("dates.error.date_only", lang)
    day = _parse_day(rest, today, lang).day
    if day < today:
        raise _error("dates.error.past_day", lang, when=_spelled(day, lang))
    return day
