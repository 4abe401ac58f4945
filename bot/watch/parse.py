"""Parse feed bytes with feedparser and turn each entry into a small, safe :class:`Entry`.

Always from bytes (``io.BytesIO``): given a ``str`` or ``bytes`` that looks like a path or
URL, feedparser opens it (F1). feedparser 6.0.14 drops DOCTYPE entity declarations before
parsing, but only when the DOCTYPE spans lines: a one-line billion-laughs document reaches expat,
which expands it up to its amplification limit. So ``doctype.neutralise`` decodes the document and
removes every DTD, wherever it stands and in any encoding; nothing is expanded or fetched (F7;
pinned by tests). ``sanitize_html=False``: the bot shows only text it strips and escapes itself.

JSON Feeds are read by :mod:`bot.watch.jsonfeed` into feedparser-shaped dicts, so every format
goes through the same entry rules: text typed as HTML is reduced to text, plain text is kept as
typed (``&copy=2`` stays), and both lose control and bidi characters (``bot.watch.text``).
Links: an original link (``feedburner:origLink``) beats a proxy's, and a non-http main link
(``at://``) gives way to an http(s) alternate.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from bot.watch.doctype import neutralise, utf8_content_type
from bot.watch.errors import FetchError
from bot.watch.jsonfeed import looks_like_json, read_json_feed
from bot.watch.normalise import collapse_spaces
from bot.watch.normalise import title_key as fold_title
from bot.watch.text import html_to_text, plain_text
from bot.watch.urls import canonical_url

TITLE_LIMIT = 500
SUMMARY_LIMIT = 1000
_CLOSINGS = (b"</rss>", b"</feed>", b"</rdf:rdf>", b"</rdf>")
_HTML_TYPES = ("text/html", "application/xhtml+xml")  # feedparser's own "htmlish" types
# Links that lead to a media file or an API, never to the story (like origEnclosureLink).
# "related" and "via" lead elsewhere, often to one page for many entries: as a link they
# would merge distinct stories by canonical URL.
_NOT_STORY_RELS = ("enclosure", "self", "edit", "edit-media", "replies", "license", "hub")
_NOT_STORY_RELS += ("related", "via")


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
    # The de-duplication key of the title (``normalise.title_key``), computed in the parser
    # worker so that the poller's storing thread only runs SQL; None: computed when stored.
    title_key: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed document: its title, its entries in document order, and whether it was odd."""

    title: str
    entries: tuple[Entry, ...]
    bozo: bool = False
    bozo_reason: str = ""


@functools.cache
def feedparser_module() -> ModuleType:
    """Import feedparser on first use, with its base-URI check memoised.

    Imported here, not at the top: parsing happens in the parser processes (which preload it),
    and the bot's own process only needs this module's types (2 MB less resident: most of
    what feedparser imports, the bot imports anyway).

    Given the document's URL (``content-location``, so relative links and guids resolve as
    before), feedparser re-joins the same base URI with itself on each element: about a third
    of a parse with ``sanitize_html=False``. Same arguments, same result: nothing else changes.
    """
    import feedparser
    import feedparser.mixin
    import feedparser.urls

    if not hasattr(feedparser.mixin.make_safe_absolute_uri, "cache_info"):
        cached = functools.lru_cache(maxsize=256)(feedparser.urls.make_safe_absolute_uri)
        feedparser.mixin.make_safe_absolute_uri = cached
    return feedparser


def looks_like_html(text: str) -> bool:
    """Tell whether plain-typed text holds HTML, as feedparser guesses it for RSS."""
    return bool(feedparser_module().mixin._FeedParserMixin.looks_like_html(text))


def is_html_page(body: bytes) -> bool:
    """Tell whether the document opens as an HTML page (``<!DOCTYPE html`` or ``<html``).

    No feed begins so, and the check needs no parser: the poller answers a login page or a
    site's home page without starting a parser process for it.
    """
    start = body[:256].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def parse_feed(body: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raise ``FetchError("not_a_feed")`` for HTML, JSON APIs, images."""
    if is_html_page(body):
        raise FetchError("not_a_feed")
    if looks_like_json(body, content_type):
        return _json_feed(body)
    feedparser = feedparser_module()
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
    reason = str(parsed.get("bozo_exception", "")) if parsed.bozo else ""
    title = _text(parsed.feed.get("title", ""), parsed.feed.get("title_detail"), TITLE_LIMIT)
    return ParsedFeed(title, _entries(raw_entries, url), bool(parsed.bozo), reason[:300])


def _json_feed(body: bytes) -> ParsedFeed:
    """Parse a JSON Feed; its links are used as given (no base to resolve relative ones)."""
    parsed = read_json_feed(body)
    feed = parsed["feed"]
    title = _text(feed["title"], feed["title_detail"], TITLE_LIMIT)
    return ParsedFeed(title, _entries(parsed["entries"], ""))


def _entries(raw_entries: list[dict], base_url: str) -> tuple[Entry, ...]:
    entries: dict[str, Entry] = {}
    for raw in raw_entries:
        entry = to_entry(raw, base_url)
        entries.setdefault(entry.key, entry)  # the same guid twice: keep the first (F11)
    return tuple(entries.values())


def strip_doctype(body: bytes) -> bytes:
    """Return the document as UTF-8 without any DOCTYPE or ENTITY declaration (see doctype.py)."""
    return neutralise(body)


def to_entry(raw: dict, base_url: str = "") -> Entry:
    """Build an :class:`Entry` from one feedparser entry."""
    title = _text(raw.get("title", ""), raw.get("title_detail"), TITLE_LIMIT)
    link = story_link(raw, base_url)
    summary = _summary(raw)
    published = _published(raw)
    # The key keeps using the document's own <link>, as before origLinks and alternates were
    # read: a changed key would post every guid-less item of such a feed again.
    main_link = absolute_http_link(raw.get("link", ""), base_url)
    return Entry(
        key=entry_key(raw, main_link, title),
        title=title,
        link=link,
        canonical_url=canonical_url(link) if link else None,
        summary=summary,
        published=published,
        title_key=fold_title(title),
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


def story_link(raw: dict, base_url: str = "") -> str | None:
    """Return the entry's link to the story: original link, else main link, else an alternate."""
    for candidate, base in _link_candidates(raw, base_url):
        link = absolute_http_link(candidate, base)
        if link:
            return link
    return None


def _link_candidates(raw: dict, base_url: str) -> list[tuple[str, str]]:
    # feedparser names an unknown namespace's element after the document's prefix
    # (pheedo:origLink -> pheedo_origlink): match the local name, whatever the prefix.
    originals = [(value, "") for key, value in raw.items() if key.endswith("_origlink")]
    links = [link for link in raw.get("links") or () if isinstance(link, dict)]
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
    others = [link for link in links if link.get("rel") not in ("alternate", *_NOT_STORY_RELS)]
    hrefs = [(link.get("href", ""), base_url) for link in alternates + others]
    return [*originals, (raw.get("link", ""), base_url), *hrefs]


def absolute_http_link(link: str, base_url: str = "") -> str | None:
    """Return the link if it is an absolute http(s) URL (relative ones joined to the feed URL)."""
    link = link.strip() if isinstance(link, str) else ""
    if not link:
        return None
    if base_url and not urlsplit(link).scheme:
        link = urljoin(base_url, link)
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Controls, bidi marks and lone surrogates are not printable: no such link is shown.
    if any(char in link for char in "<>| ") or not link.isprintable():
        return None
    return link


def _text(value: str, detail: dict | None, limit: int, default: str = "text/plain") -> str:
    """Return a title or summary as text: HTML reduced to its text, plain text kept as typed."""
    if not isinstance(value, str):
        return ""
    if (detail or {}).get("type", default) in _HTML_TYPES:
        return html_to_text(value, limit)
    return plain_text(value, limit)


def _summary(raw: dict) -> str:
    value, detail = raw.get("summary") or "", raw.get("summary_detail")
    if not value and raw.get("content"):
        value, detail = raw["content"][0].get("value", ""), raw["content"][0]
    if not isinstance(value, str):
        return ""
    # Summaries typed plain (Atom's default, JSON's summary) routinely hold HTML: guess as
    # feedparser does for RSS (a closing tag or a known entity with its ';'), so "a &copy=2"
    # stays as typed but "x&nbsp;y" or "<p>…</p>" is read as the HTML it is.
    kind = (detail or {}).get("type", "text/html")
    if kind not in _HTML_TYPES and looks_like_html(value[: SUMMARY_LIMIT * 4]):
        kind = "text/html"
    return _text(value, {"type": kind}, SUMMARY_LIMIT)


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
