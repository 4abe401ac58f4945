"""Parse feed bytes with feedparser and turn each entry into a small, safe :class:`Entry`.

Always from bytes (``io.BytesIO``): given a ``str`` or ``bytes`` that looks like a path or
URL, feedparser opens it (F1). feedparser 6.0.14 drops DOCTYPE entity declarations before
parsing, but only when the DOCTYPE spans lines: a one-line billion-laughs document reaches expat,
which expands it up to its amplification limit. So ``doctype.neutralise`` decodes the document and
removes every DTD, wherever it stands and in any encoding; nothing is expanded or fetched (F7;
pinned by tests). ``sanitize_html=False``: the bot shows only text it strips and escapes itself.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import feedparser
import feedparser.mixin
import feedparser.urls

from bot.watch.doctype import neutralise, utf8_content_type
from bot.watch.errors import FetchError
from bot.watch.normalise import collapse_spaces
from bot.watch.text import html_to_text
from bot.watch.urls import canonical_url

TITLE_LIMIT = 500
SUMMARY_LIMIT = 1000
_CLOSINGS = (b"</rss>", b"</feed>", b"</rdf:rdf>", b"</rdf>")


class Entry(NamedTuple):
    """One feed entry, reduced to what the bot stores and shows.

    A named tuple (immutable, no per-instance dict): a round holds ~15,000 of them and each
    crosses from a parser process as a plain tuple.
    """

    key: str
    title: str
    link: str | None
    canonical_url: str | None
    summary: str
    published: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed document: its title, its entries in document order, and whether it was odd."""

    title: str
    entries: tuple[Entry, ...]
    bozo: bool = False
    bozo_reason: str = ""


def cache_base_uris() -> None:
    """Memoise feedparser's base-URI check, a pure function it calls on every start tag.

    Given the document's URL (``content-location``, so relative links and guids resolve as
    before), feedparser re-joins the same base URI with itself on each element: about a third
    of a parse with ``sanitize_html=False``. Same arguments, same result: nothing else changes.
    """
    if not hasattr(feedparser.mixin.make_safe_absolute_uri, "cache_info"):
        cached = functools.lru_cache(maxsize=256)(feedparser.urls.make_safe_absolute_uri)
        feedparser.mixin.make_safe_absolute_uri = cached


def parse_feed(body: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raise ``FetchError("not_a_feed")`` for HTML, JSON, images, empty."""
    cache_base_uris()
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = utf8_content_type(content_type)  # neutralise gives UTF-8
    data = neutralise(body, content_type)
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.entries:
        raise FetchError("not_a_feed")
    raw_entries = list(parsed.entries)
    if parsed.bozo and raw_entries and _truncated(data):
        raw_entries.pop()  # the last entry of a cut-off document may be incomplete (F9)
    entries: dict[str, Entry] = {}
    for raw in raw_entries:
        entry = to_entry(raw, url)
        entries.setdefault(entry.key, entry)  # the same guid twice: keep the first (F11)
    reason = str(parsed.get("bozo_exception", "")) if parsed.bozo else ""
    title = _text(parsed.feed.get("title", ""), parsed.feed.get("title_detail"))[:TITLE_LIMIT]
    return ParsedFeed(title, tuple(entries.values()), bool(parsed.bozo), reason[:300])


def strip_doctype(body: bytes) -> bytes:
    """Return the document as UTF-8 without any DOCTYPE or ENTITY declaration (see doctype.py)."""
    return neutralise(body)


def to_entry(raw: dict, base_url: str = "") -> Entry:
    """Build an :class:`Entry` from one feedparser entry."""
    title = _text(raw.get("title", ""), raw.get("title_detail"))[:TITLE_LIMIT]
    link = absolute_http_link(raw.get("link", ""), base_url)
    summary = _summary(raw)
    published = _published(raw)
    return Entry(
        key=entry_key(raw, link, title),
        title=title,
        link=link,
        canonical_url=canonical_url(link) if link else None,
        summary=summary,
        published=published,
    )


def entry_key(raw: dict, link: str | None, title: str) -> str:
    """Return the entry's stable key: its guid, else its link, else a hash of title and date."""
    guid = collapse_spaces(str(raw.get("id") or ""))
    if guid:
        return "id:" + guid[:500]
    if link:
        return "link:" + link[:500]
    date = dict.get(raw, "published") or dict.get(raw, "updated") or ""
    digest = hashlib.sha256(f"{title}\x00{date}".encode()).hexdigest()[:32]
    return "hash:" + digest


def absolute_http_link(link: str, base_url: str = "") -> str | None:
    """Return the link if it is an absolute http(s) URL (relative ones joined to the feed URL)."""
    link = (link or "").strip()
    if not link:
        return None
    if base_url and not urlsplit(link).scheme:
        link = urljoin(base_url, link)
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(char in link for char in "<>| \n\r\t"):
        return None
    return link


def _text(value: str, detail: dict | None) -> str:
    kind = (detail or {}).get("type", "")
    if kind in ("text/html", "application/xhtml+xml"):
        return html_to_text(value, TITLE_LIMIT * 2)
    return collapse_spaces(value)


def _summary(raw: dict) -> str:
    value = raw.get("summary") or ""
    if not value and raw.get("content"):
        value = raw["content"][0].get("value", "")
    return html_to_text(value, SUMMARY_LIMIT)


def _published(raw: dict) -> datetime | None:
    # dict.get: feedparser's own get() warns when it maps updated_parsed to published_parsed.
    stamp = dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
    if not stamp:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(stamp), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _truncated(body: bytes) -> bool:
    return not body.rstrip().lower().endswith(_CLOSINGS)
