"""Local times without a time-zone database: the UTC offsets of a zone, period by period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

FIRST_YEAR, LAST_YEAR = 1970, 2100
BEFORE_ALL, AFTER_ALL = "0000-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"


def _offset_minutes(zone: ZoneInfo, moment: datetime) -> int:
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def _change_between(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """Return the first instant after ``low`` with ``high``'s offset (to the second)."""
    target = _offset_minutes(zone, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _offset_minutes(zone, middle) == target:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def offset_periods(
    zone: ZoneInfo, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR
) -> list[tuple[str, str, str]]:
    """Return (start, end, SQLite modifier) for each period of one UTC offset, in stored ISO form.

    The first period starts before any stored time and the last one never ends, so every time
    falls in exactly one period. Zones change at most a few times a year: a daily step finds
    every change, then halving finds its second.
    """
    step = timedelta(days=1)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    periods: list[tuple[str, str, str]] = []
    start, current = BEFORE_ALL, _offset_minutes(zone, moment)
    while moment < end:
        following = moment + step
        if _offset_minutes(zone, following) != current:
            change = _change_between(zone, moment, following).isoformat()
            periods.append((start, change, f"{current:+d} minutes"))
            start, current = change, _offset_minutes(zone, following)
        moment = following
    periods.append((start, AFTER_ALL, f"{current:+d} minutes"))
    return periods


def to_local_iso(value: str | None, zone: ZoneInfo) -> str | None:
    """Return a stored UTC time as ISO-8601 in ``zone`` (with its offset); None stays None."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).isoformat()
