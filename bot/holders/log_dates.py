"""The day of a support action, read with the project's date grammar (``bot.meetings.dates``).

That grammar looks forward: it refuses a past day, and a date typed without a year (« 12 mars »,
« lundi ») becomes the next one. A follow-up log looks back, so on top of it (without changing
it): « hier » and « aujourd'hui » count from today; a full date (with its year) may be past;
a date without a year is refused rather than guessed — it would name a day still to come; and
a day after today is refused, since the log says what was done.

A full date is recognised by asking the grammar twice, from two far-apart days: only a date
that names its year comes out the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates import format_date
from bot.core.router import fold
from bot.meetings.date_words import FILLERS, RELATIVE_DAYS
from bot.meetings.dates import DateError, parse_date

_ANCHORS = (datetime(1990, 1, 3, 12, tzinfo=UTC), datetime(1995, 6, 15, 12, tzinfo=UTC))
# What the grammar says of words that are no date at all: such words stay in the log's text.
NOT_A_DATE = frozenset(
    {"dates.error.unknown", "dates.error.no_day", "dates.error.date_only", "dates.error.two_times"}
)
TRAILING_WORDS = 4  # « mardi 12 janvier 2027 » is the longest date people put at the end


def read_log_day(text: str, *, now: datetime, tz: str, lang: str) -> date:
    """Return the local day ``text`` names, today or before; raise DateError otherwise."""
    today = now.astimezone(ZoneInfo(tz)).date()
    words = [word for word in fold(text).replace(",", " ").split() if word not in FILLERS]
    phrase = " ".join(words)
    if phrase in RELATIVE_DAYS:
        day = today + timedelta(days=RELATIVE_DAYS[phrase])
    else:
        day = _full_date(text, tz, lang)
    if day > today:
        raise DateError("holders.error.future_day", lang, when=format_date(day, lang))
    return day


def _full_date(text: str, tz: str, lang: str) -> date:
    """Return the date ``text`` names with its year; refuse one the grammar had to complete."""
    try:
        first, second = (parse_date(text, now=anchor, tz=tz, lang=lang) for anchor in _ANCHORS)
    except DateError as error:
        if error.key == "dates.error.weekday_today":  # « lundi »: a weekday names no year
            raise DateError("holders.error.no_year", lang) from None
        raise
    if first != second:
        raise DateError("holders.error.no_year", lang)
    return first


def split_trailing_day(text: str, *, now: datetime, tz: str, lang: str) -> tuple[str, date | None]:
    """Take a day off the end of ``text`` (« … le 12 mars 2027 », « … hier »), if it ends with one.

    Words that the grammar reads as no date stay in the text (a lone number too); a date that
    exists in no calendar (« 31/02/2027 »), lacks its year (« lundi ») or lies ahead is an error,
    not text: better say so than log the wrong day. With ``date:`` the text is kept whole.
    """
    words = text.split()
    for count in range(min(TRAILING_WORDS, len(words)), 0, -1):
        tail = " ".join(words[-count:])
        try:
            day = read_log_day(tail, now=now, tz=tz, lang=lang)
        except DateError as error:
            if error.key in NOT_A_DATE or _bare_number(error, tail):
                continue
            raise
        rest = words[:-count]
        while rest and fold(rest[-1]) in FILLERS:  # « … le » before the date
            rest.pop()
        return " ".join(rest), day
    return text, None


def _bare_number(error: DateError, tail: str) -> bool:
    """Tell whether the grammar read a lone number (« pour 12 ») as a day of the month."""
    words = [word for word in fold(tail).split() if word not in FILLERS]
    return error.key == "holders.error.no_year" and len(words) == 1 and words[0].isdigit()
