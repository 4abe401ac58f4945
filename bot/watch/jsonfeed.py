"""Read a JSON Feed (https://jsonfeed.org/version/1 and /1.1) into feedparser-shaped dicts.

``parse.py`` turns these dicts into entries with the same rules as for RSS/Atom (keys, links,
text, limits), so only what JSON Feed names differently lives here: ``url``/``external_url``,
``summary``/``content_text`` (plain) before ``content_html``, ``date_published`` then
``date_modified`` (RFC 3339). A JSON document without a jsonfeed.org ``version`` (an API
response) is not a feed; neither is JSON that is too deep or holds a number too long to read
(``json.loads`` raises ``RecursionError`` or ``ValueError``: never out of here).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from bot.watch.errors import FetchError
from bot.watch.text import strip_controls

_VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
_JSON_TYPES = ("application/feed+json", "application/json")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_PLAIN = {"type": "text/plain"}
_HTML = {"type": "text/html"}
_DATE_LENGTH = 64  # longer than any RFC 3339 stamp: refuse before parsing


def looks_like_json(body: bytes, content_type: str = "") -> bool:
    """Tell whether the body should be read as JSON: it opens with '{', or is served as JSON."""
    head = body[:1024]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.lstrip(b" \t\r\n\x00")  # NULs: a UTF-16/32 '{' after its BOM
    if head.startswith(b"{"):
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media in _JSON_TYPES and not head.startswith(b"<")


def read_json_feed(body: bytes) -> dict[str, Any]:
    """Return ``{"feed": {...}, "entries": [...]}`` like feedparser's; raise ``not_a_feed``."""
    try:
        document = json.loads(bytes(body))  # bytes: UTF-8/16/32 detected, BOM allowed
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise FetchError("not_a_feed") from exc
    if not is_json_feed(document):
        raise FetchError("not_a_feed")
    items = document.get("items")
    entries = (
        [to_raw_entry(item) for item in items if isinstance(item, dict)]
        if isinstance(items, list)
        else []
    )
    title = _string(document, "title")
    return {"feed": {"title": title, "title_detail": _PLAIN}, "entries": entries}


def is_json_feed(document: object) -> bool:
    """Tell whether a decoded JSON value is a JSON Feed (an object with a jsonfeed.org version)."""
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    return isinstance(version, str) and version.strip().lower().startswith(_VERSIONS)


def to_raw_entry(item: dict[str, Any]) -> dict[str, Any]:
    """Map one JSON Feed item to the keys ``parse.to_entry`` reads from a feedparser entry."""
    raw: dict[str, Any] = {"title": _string(item, "title"), "title_detail": _PLAIN}
    ident = item.get("id")
    if isinstance(ident, int | float) and not isinstance(ident, bool):
        ident = str(ident)  # JSON Feed 1.0 publishers often wrote numbers
    if isinstance(ident, str):
        raw["id"] = strip_controls(ident)  # a lone surrogate cannot be stored as UTF-8
    links = [_string(item, "url"), _string(item, "external_url")]
    raw["link"] = links[0]
    raw["links"] = [{"rel": "alternate", "href": href} for href in links if href]
    for key, detail in (("summary", _PLAIN), ("content_text", _PLAIN), ("content_html", _HTML)):
        if _string(item, key).strip():
            raw["summary"], raw["summary_detail"] = _string(item, key), detail
            break
    for key in ("date_published", "date_modified"):
        stamp = _string(item, key)
        parsed = parse_date(stamp)
        if parsed:
            raw["published"], raw["published_parsed"] = stamp, parsed
            break
        if stamp and "published" not in raw:
            raw["published"] = stamp  # a bad date still tells two link-less items apart
    return raw


def parse_date(stamp: str) -> time.struct_time | None:
    """Return an RFC 3339 date as a UTC ``struct_time`` (no zone: UTC), or None if unreadable."""
    stamp = stamp.strip().upper()
    if not stamp or len(stamp) > _DATE_LENGTH:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).timetuple()
    except (ValueError, OverflowError):
        return None


def _string(mapping: dict[str, Any], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""
