"""Parse dates the way people type them in chat (« lundi prochain 14h30 »), in a given time zone.

A small hand-written grammar rather than dateparser: we need to *refuse* what dateparser guesses
silently (a bare weekday that is today, a local time skipped or repeated by a DST change, a weekday
that contradicts the date), to say why in French with an example, and to stay fast and predictable.
Every result is an aware UTC datetime; ``now`` is passed in so tests can move the clock.

The input is first brought to one spelling (:func:`_normalise`: lower case, no accents, one kind
of apostrophe, numbers written in words turned into digits, « et quart » into « h15 »), then the
time of day is taken out, and what is left must be exactly one day.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates import format_date, format_datetime
from bot.core.i18n import t
from bot.core.reply import UserError
from bot.meetings.date_words import (
    DAY_PARTS,
    DUE_FILLERS,
    FILLERS,
    MONTH_NAMES,
    MONTHS,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    WEEKDAYS,
)

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_ISO_FULL = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ t](\d{2}):(\d{2})(?::\d{2})?\s*(z|[+-]\d{2}:?\d{2})$"
)
_TIME_PATTERNS = (
    re.compile(r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>am|pm)\b"),
    re.compile(r"\b(?P<h>\d{1,2})\s*h\s*(?P<m>\d{2})?\b"),
    re.compile(r"\b(?P<h>\d{1,2}) heures?(?: (?P<m>\d{2})\b)?"),
    re.compile(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\b"),
    re.compile(r"\b(?P<h>\d{1,2}) o'clock\b"),
    re.compile(r"\b(?P<named>midi|minuit|noon|midnight)\b"),
)
_NAMED_TIMES = {"midi": 12, "noon": 12, "minuit": 0, "midnight": 0}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DATE = re.compile(
    rf"^(?:({_WEEKDAY}) )?(\d{{1,2}})[/.-](\d{{1,2}})(?:[/.-](\d{{2}}|\d{{4}}))?$"
)
_TEXT_DATE = re.compile(
    rf"^(?:({_WEEKDAY}) )?(\d{{1,2}})(?:er|st|nd|rd|th)? ({_MONTH})(?: (\d{{4}}))?$"
)
_TEXT_DATE_EN = re.compile(
    rf"^(?:({_WEEKDAY}) )?({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?(?: (\d{{4}}))?$"
)
_DAY_ONLY = re.compile(rf"^(?:({_WEEKDAY}) )?(\d{{1,2}})(?:er|st|nd|rd|th)?$")
_WEEKDAY_ONLY = re.compile(rf"^(?:(next) )?({_WEEKDAY})(?: (prochain|suivant|next))?$")
_WEEKDAY_NEXT_WEEK = re.compile(
    rf"^(?:({_WEEKDAY}) (?:la )?semaine (?:prochaine|suivante)|(?:la )?semaine prochaine ({_WEEKDAY})"
    rf"|({_WEEKDAY}) next week|next week ({_WEEKDAY}))$"
)
_IN_EIGHT = re.compile(
    rf"^({_WEEKDAY}|aujourd'hui|demain) en (huit|8|quinze|15)$|^({_WEEKDAY}) week$"
)
_IN_DAYS = re.compile(
    r"^(?:dans|in|d'ici|within) (\d{1,3}) (jours?|days?|semaines?|weeks?|mois|months?|ans?|years?)$"
)
_IN_CLOCK = re.compile(
    r"^(?:dans|in) (\d{1,3}) ?(minutes?|mins?|mn|heures?|h|hours?|hrs?)(?: ?(\d{2}))?"
    r"(?: (?:minutes?|min|mn))?$"
)
_END_OF = re.compile(rf"^(?:fin|end of|end) ({_MONTH}|mois|month|annee|year)(?: (\d{{4}}))?$")
_MID = re.compile(rf"^(?:mi-|mi |mid-|mid )({_MONTH})(?: (\d{{4}}))?$")
_BEFORE = re.compile(r"^(?:avant|before) (.+)$")
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u2032\u00b4`]")
# « d'ici 3 jours » keeps its « d'ici »: it is a duration, read by _IN_DAYS
_DUE_PREFIX = re.compile(
    r"^(?:"
    + "|".join(re.escape(p) for p in DUE_FILLERS)
    + r") (?!\d+ (?:jours?|semaines?|mois|days?|weeks?|months?)\b)"
)


@dataclass(frozen=True)
class _Parsed:
    """A local calendar date plus whether its year was typed."""

    day: date
    explicit: bool


def _normalise(text: str) -> str:
    """Bring typed text to one spelling: lower case, no accents, digits, plain apostrophes."""
    # apostrophes first: NFKD would split the acute accent (U+00B4) into a space and a combining mark
    text = _APOSTROPHES.sub("'", text.lower())
    text = unicodedata.normalize("NFKD", text)  # also turns no-break spaces into spaces
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\b([ap])\.m\.?", r"\1m", text)
    text = re.sub(r"(\d)t(\d)", r"\1 \2", text)
    text = re.sub(r"(?<=[a-z])\.", " ", text)  # « lun. », « sept. », « 10h. »
    text = re.sub(r"[!?;…«»\"()]", " ", text).replace(",", " ")
    text = " ".join(text.split()).rstrip(".:")
    text = re.sub(r"\bl' ?", "l'", text)
    return _words_to_digits(" ".join(text.split()))


def _words_to_digits(text: str) -> str:
    """Turn « quinze heures trente », « premier décembre », « neuf heures et quart » into digits."""
    unit = r"(?:heures?|h|minutes?|mins?|jours?|semaines?|mois|ans?|hours?|days?|weeks?|months?"
    unit += r"|years?|o'clock|am|pm|du matin|du soir|de l'apres)\b"
    number = rf"\b({_NUMBER})\b"
    text = re.sub(r"\b(dans|in) an? (?=(?:minute|hour|day|week|month|year)s?\b)", r"\1 1 ", text)
    text = re.sub(rf"{number} (?={unit})", lambda m: f"{NUMBER_WORDS[m[1]]} ", text)
    text = re.sub(rf"{number} (?=(?:{_MONTH})\b)", lambda m: f"{NUMBER_WORDS[m[1]]} ", text)
    text = re.sub(
        rf"(\d{{1,2}} heures?) {number}", lambda m: f"{m[1]} {NUMBER_WORDS[m[2]]:02d}", text
    )
    text = re.sub(rf"\b(?:le )?premier (?=(?:{_MONTH})\b)", "1 ", text)
    text = re.sub(r"\ble premier\b", "le 1", text)
    text = re.sub(r"(?<!apres-)(?<!apres )\bmidi\b", "12h", text)
    text = re.sub(r"\bminuit\b", "0h", text)
    text = re.sub(r"\b(\d{1,2}) ?(?:h|heures?) et quart\b", r"\1h15", text)
    text = re.sub(r"\b(\d{1,2}) ?(?:h|heures?) et demie?\b", r"\1h30", text)
    text = re.sub(
        r"\b(\d{1,2}) ?(?:h|heures?) moins (?:le )?quart\b",
        lambda m: f"{(int(m[1]) - 1) % 24}h45",
        text,
    )
    text = re.sub(
        r"\b(\d{1,2}) ?(?:h|heures?) moins (\d{1,2})\b",
        lambda m: f"{(int(m[1]) - 1) % 24}h{60 - int(m[2]):02d}" if 0 < int(m[2]) < 60 else m[0],
        text,
    )
    text = re.sub(
        rf"\b(quarter|half) (past|to) (\d{{1,2}}|{_NUMBER})\b",
        lambda m: _english_quarter(m[1], m[2], m[3]),
        text,
    )
    return text


def _english_quarter(amount: str, direction: str, hour_text: str) -> str:
    """Turn « half past ten » into « 10:30 » and « quarter to 9 » into « 8:45 »."""
    hour = int(hour_text) if hour_text.isdigit() else NUMBER_WORDS[hour_text]
    minutes = 30 if amount == "half" else 15
    if direction == "to":
        hour, minutes = (hour - 1) % 24, 60 - minutes
    return f"{hour}:{minutes:02d}"


class DateError(UserError):
    """A date that cannot be used; ``key`` names the message, so callers can tell which."""

    def __init__(self, key: str, lang: str, *, text_key: str | None = None, **params: object):
        super().__init__(t(text_key or key, lang, **params))
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
    groups = match.groupdict()
    if groups.get("named"):
        return time(_NAMED_TIMES[groups["named"]], 0)
    hour, minute = int(groups["h"]), int(groups.get("m") or 0)
    second = int(groups.get("s") or 0)
    if groups.get("ap"):
        if not 1 <= hour <= 12:
            raise _error("dates.error.bad_time", lang, text=match.group(0))
        hour = hour % 12 + (12 if groups["ap"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _error("dates.error.bad_time", lang, text=match.group(0))
    return time(hour, minute, second)


def _take_day_part(text: str) -> tuple[str | None, bool, str]:
    """Take « du soir », « ce matin », « tonight » out of ``text``: (part, means today, rest)."""
    for phrase in sorted(DAY_PARTS, key=len, reverse=True):
        match = re.search(rf"(?:^| ){re.escape(phrase)}(?= |$)", text)
        if match:
            part, today = DAY_PARTS[phrase]
            rest = (text[: match.start()] + " " + text[match.end() :]).strip()
            return part, today, " ".join(rest.split())
    return None, False, text


def _hour_of_day_part(text: str, lang: str) -> tuple[time | None, str]:
    """Read the lone number of « 9 in the morning », « demain soir 8 » as the hour."""
    match = re.search(r"(?:^| )(\d{1,2})(?= |$)", text)
    if not match or not 1 <= int(match[1]) <= 12:
        return None, text
    rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
    return time(int(match[1]), 0), rest


def _apply_day_part(clock: time, part: str | None, lang: str) -> time:
    """Read « 8h du soir » as 20:00 and refuse « 15h du matin »."""
    if part in ("afternoon", "evening") and 1 <= clock.hour <= 11:
        return clock.replace(hour=clock.hour + 12)
    if part == "morning" and clock.hour >= 12:
        raise _error("dates.error.day_part", lang, time=_clock(clock, lang))
    if part == "evening" and clock.hour == 12:
        raise _error("dates.error.day_part", lang, time=_clock(clock, lang))
    return clock


def _clock(clock: time, lang: str) -> str:
    """Spell a time of day for a message (« 14 h 30 » / « 14:30 »)."""
    return f"{clock.hour} h {clock.minute:02d}" if lang == "fr" else f"{clock:%H:%M}"


def _spelled_day_month(day: int, month: int, year: int | None, lang: str) -> str:
    """Spell a day that may not exist (« 30 février », « 31 avril 2027 »)."""
    name = MONTH_NAMES.get(lang, MONTH_NAMES["fr"])[month - 1] if 1 <= month <= 12 else str(month)
    return f"{day} {name} {year}" if year is not None else f"{day} {name}"


def _make_date(year: int, month: int, day: int, lang: str, *, typed_year: bool = True) -> date:
    """Build a date or explain that it does not exist (never with a year nobody typed)."""
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if month == 2 and day == 29:
        raise _no_leap_day(year, lang)
    shown = year if typed_year else None
    raise _error(
        "dates.error.no_such_date", lang, date=_spelled_day_month(day, month, shown, lang)
    ) from None


def _no_leap_day(year: int, lang: str) -> DateError:
    """Refuse 29 February in a common year, proposing the real days around it."""
    before, after = date(year, 2, 28), date(year, 3, 1)
    example = "1er mars" if lang == "fr" else "1 March"
    return _error(
        "dates.error.no_leap_day",
        lang,
        year=year,
        before=format_date(before, lang),
        after=format_date(after, lang),
        example=f"{example} {year} 10h" if lang == "fr" else f"{example} {year} 10am",
    )


def _next_yearly(today: date, month: int, day: int, lang: str) -> date:
    """Return the first ``day``/``month`` on or after ``today``; 29 February only in its year."""
    _make_date(2000, month, day, lang, typed_year=False)  # a leap year: checks day and month
    this_year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    return _make_date(this_year, month, day, lang)


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
    raise _error("dates.error.unknown", lang, text=str(day), understood="")


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


def _two_digit_year(short: int, today: date) -> int:
    """Read « 27 » as the nearest year ending in 27 (2027; « 74 » is 2074 rather than 1974)."""
    century = today.year - today.year % 100
    return min((century - 100 + short, century + short, century + 100 + short),
               key=lambda year: (abs(year - today.year), -year))  # fmt: skip


def _numeric_date(match: re.Match[str], today: date, lang: str) -> _Parsed:
    """Resolve 11/01/2027 (day first; month-first only for English when unambiguous)."""
    weekday, first, second, year_text = match[1], int(match[2]), int(match[3]), match[4]
    day, month = first, second
    if lang == "en":
        if first <= 12 and second <= 12 and first != second:
            raise _error("dates.error.ambiguous_numeric", lang, text=match.group(0))
        if second > 12:
            day, month = second, first
    if year_text is None:
        parsed = _Parsed(_next_yearly(today, month, day, lang), False)
    else:
        year = int(year_text) if len(year_text) == 4 else _two_digit_year(int(year_text), today)
        parsed = _Parsed(_make_date(year, month, day, lang), True)
    _check_weekday(parsed.day, weekday, lang)
    return parsed


def _text_date(
    day: int, month: int, year: str | None, weekday: str | None, today: date, lang: str
) -> _Parsed:
    """Resolve « lundi 11 janvier 2027 », with the year inferred when left out."""
    if year is None:
        parsed = _Parsed(_next_yearly(today, month, day, lang), False)
    else:
        parsed = _Parsed(_make_date(int(year), month, day, lang), True)
    _check_weekday(parsed.day, weekday, lang)
    return parsed


def _add_months(day: date, months: int) -> date:
    """Move by whole months, keeping the day or the month's last one (31 janvier + 1 mois)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _in_days(count: int, unit: str, today: date) -> date:
    """Resolve « dans 3 jours », « dans 2 semaines », « dans un mois », « in 2 years »."""
    if unit.startswith(("jour", "day")):
        # « dans huit jours » is a week and « dans quinze jours » two weeks, in French usage
        days = {8: 7, 15: 14}.get(count, count) if unit.startswith("jour") else count
        return today + timedelta(days=days)
    if unit.startswith(("semaine", "week")):
        return today + timedelta(weeks=count)
    if unit.startswith(("mois", "month")):
        return _add_months(today, count)
    return _add_months(today, 12 * count)


def _end_of(word: str, year_text: str | None, today: date, lang: str) -> date:
    """Resolve « fin décembre », « fin du mois », « end of the year » to that period's last day."""
    if word in ("mois", "month"):
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    if word in ("annee", "year"):
        return date(int(year_text) if year_text else today.year, 12, 31)
    month = MONTHS[word]
    year = int(year_text) if year_text else today.year + (month < today.month)
    return date(year, month, calendar.monthrange(year, month)[1])


def _relative_week(text: str, today: date) -> date | None:
    """Resolve « lundi en huit », « mardi de la semaine prochaine », « monday week »."""
    if match := _IN_EIGHT.match(text):
        weeks = 2 if match[2] in ("quinze", "15") else 1
        word = match[1] or match[3]
        if word in WEEKDAYS:
            # the named weekday of the week after the coming one (today's weekday: a week today)
            ahead = (WEEKDAYS[word] - today.weekday()) % 7
            return today + timedelta(days=ahead + 7 * weeks)
        return today + timedelta(days=RELATIVE_DAYS[word] + 7 * weeks)
    if match := _WEEKDAY_NEXT_WEEK.match(text):
        word = next(group for group in match.groups() if group)
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        return monday + timedelta(days=WEEKDAYS[word])
    return None


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
    if lang != "en" and (match := _DAY_ONLY.match(text)):
        return _day_of_month(match, text, today, lang)
    if match := _TEXT_DATE_EN.match(text):
        return _text_date(int(match[3]), MONTHS[match[2]], match[4], match[1], today, lang)
    if match := _DAY_ONLY.match(text):
        return _day_of_month(match, text, today, lang)
    if match := _WEEKDAY_ONLY.match(text):
        next_word = bool(match[1] or match[3])
        return _Parsed(_weekday_date(today, WEEKDAYS[match[2]], next_word, lang), False)
    if (relative := _relative_week(text, today)) is not None:
        return _Parsed(relative, False)
    if match := _IN_DAYS.match(text):
        return _Parsed(_in_days(int(match[1]), match[2], today), False)
    if match := _END_OF.match(re.sub(r"^fin (?:du |de |d')", "fin ", text)):
        return _Parsed(_end_of(match[1], match[2], today, lang), bool(match[2]))
    if match := _MID.match(text):
        return _text_date(15, MONTHS[match[1]], match[2], None, today, lang)
    raise _error("dates.error.unknown", lang, text=text, understood="")


def _day_of_month(match: re.Match[str], text: str, today: date, lang: str) -> _Parsed:
    """Resolve « le 11 » or « mardi 24 »: the next such day, checked against the weekday."""
    day = int(match[2])
    if not 1 <= day <= 31:
        raise _error("dates.error.unknown", lang, text=text, understood="")
    parsed = _Parsed(_next_monthly(today, day, lang), False)
    _check_weekday(parsed.day, match[1], lang)
    return parsed


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
        raise _error("dates.error.unknown", lang, text=text, understood="") from None


def _in_clock_time(text: str, now: datetime, lang: str) -> datetime | None:
    """Resolve « dans 2 heures », « dans 24 heures », « in 30 minutes » in elapsed time."""
    words = " ".join(w for w in text.split() if w not in FILLERS)
    match = _IN_CLOCK.match(words)
    if not match:
        return None
    count, unit, extra = int(match[1]), match[2], int(match[3] or 0)
    if unit.startswith(("m", "mn")):
        delta = timedelta(minutes=count)
    else:
        delta = timedelta(hours=count, minutes=extra)
    return (now + delta).replace(second=0, microsecond=0)


def _understood_time(clock: time, lang: str) -> str:
    """Say which time of day was understood, for a refusal."""
    return t("dates.understood_time", lang, time=_clock(clock, lang))


def _example_with_time(text: str, lang: str) -> str:
    """Suggest the typed day with a time added (« vendredi prochain » → « vendredi prochain 10h »)."""
    return f"{text.strip().rstrip('.!')} {'10h' if lang == 'fr' else '10am'}"


def _wall_clock(
    normalised: str, original: str, now: datetime, zone: ZoneInfo, lang: str
) -> datetime:
    """Resolve a day and a time of day typed in the team's zone, to a local aware datetime."""
    part, part_today, without_part = _take_day_part(normalised)
    clock, rest = _extract_time(without_part, lang)
    if clock is None and part is not None:
        clock, rest = _hour_of_day_part(rest, lang)
    today = now.astimezone(zone).date()
    remaining = [w for w in rest.split() if w not in FILLERS]
    if clock is None:
        try:
            day = _parse_day(rest, today, lang).day if remaining else None
        except DateError:
            day = None
        if day is None and not part_today:
            raise _error("dates.error.no_time", lang)
        day = day or today
        raise _error(
            "dates.error.no_time",
            lang,
            text_key="dates.error.no_time_day",
            day=_spelled(day, lang),
            example=_example_with_time(original, lang),
        )
    clock = _apply_day_part(clock, part, lang)
    if not remaining:
        return _bare_time(clock, now, zone, lang, explicit_today=part_today)
    try:
        day = _parse_day(rest, today, lang).day
    except DateError as error:
        if error.key == "dates.error.unknown":
            words = " ".join(remaining)
            raise _error(
                "dates.error.unknown", lang, text=words, understood=_understood_time(clock, lang)
            ) from None
        raise
    return _localise(datetime.combine(day, clock), zone, lang)


def _bare_time(
    clock: time, now: datetime, zone: ZoneInfo, lang: str, *, explicit_today: bool
) -> datetime:
    """Read « 18h » alone as today when it is still ahead; otherwise ask for the day."""
    today = now.astimezone(zone).date()
    local = _localise(datetime.combine(today, clock), zone, lang)
    if local > now or explicit_today:
        return local
    raise _error(
        "dates.error.time_passed_today",
        lang,
        time=_clock(clock, lang),
        example=f"demain {clock.hour}h{clock.minute:02d}".replace("h00", "h")
        if lang == "fr"
        else f"tomorrow {clock:%H:%M}",
    )


def parse_datetime(
    text: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris", lang: str = "fr"
) -> datetime:
    """Parse a typed date and time into an aware UTC datetime strictly after ``now``."""
    zone = _zone(tz)
    normalised = _normalise(text)
    result = _iso_with_offset(normalised, lang)
    if result is None:
        result = _in_clock_time(normalised, now, lang)
    if result is None:
        result = _wall_clock(normalised, text, now, zone, lang).astimezone(UTC)
    if result <= now:
        raise _error("dates.error.past", lang, when=format_datetime(result, lang, zone))
    return result


def parse_date(
    text: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris", lang: str = "fr"
) -> date:
    """Parse a typed calendar date (a due date) on or after today in ``tz``."""
    zone = _zone(tz)
    today = now.astimezone(zone).date()
    normalised = _DUE_PREFIX.sub("", _normalise(text))
    before = _BEFORE.match(normalised)
    if before:
        normalised = before[1]
    clock, rest = _extract_time(normalised, lang)
    if clock is not None:
        raise _error("dates.error.date_only", lang)
    day = _parse_day(rest, today, lang).day
    if before:
        day -= timedelta(days=1)  # « avant le 15 »: done by the 14th
    if day < today:
        raise _error("dates.error.past_day", lang, when=_spelled(day, lang))
    return day
