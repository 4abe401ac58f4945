"""Links added by hand (`/veille ajouter <url> [note]`, the « Ajouter à la veille » shortcut).

The page is fetched with the watch's guarded fetcher and its limits (the address guard on every
hop, timeouts, size caps); its title and description come from Open Graph, else ``<title>`` and
the meta description, read by BeautifulSoup's ``html.parser`` (no regexes on HTML). It becomes an
item like any other: pending in the channel, posted by the watch's posting round, searchable,
claimable, with « ajouté par @X » and the person's note as its first note. The same canonical URL
already in the channel is not stored twice: the person is added to that item's sources.

Who sees what: the item belongs to the channel the command was typed in (or the shortcut's message
was in), so the person must be a member and the bot must be in it when it is private (or a DM):
a message shortcut works in any conversation, also one the bot cannot post to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bs4 import BeautifulSoup

from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.mrkdwn import safe_text
from bot.core.visibility import visibility_of
from bot.items.sync import refresh_item_message
from bot.watch.errors import FetchError
from bot.watch.fetch import FetchLimits, fetch
from bot.watch.normalise import collapse_spaces, title_key
from bot.watch.posting import PostingSettings, post_pending
from bot.watch.urls import UrlRejected, canonical_url, check_url
from storage import calls as call_store
from storage import claims
from storage.db import connect, write
from storage.notes import add_note

HTML_TYPES = ("text/html", "application/xhtml+xml")
HEAD_BYTES = 512 * 1024  # titles and meta tags sit in the head: never parse megabytes for them
TITLE_LIMIT = 300
SUMMARY_LIMIT = 1000
NOTE_LIMIT = 3000
# Slack shows links as <https://…|label> or <https://…>; people also paste bare URLs.
_SLACK_LINK = re.compile(r"<(https?://[^>|\s]+)(?:\|[^>]*)?>")
_BARE_LINK = re.compile(r"https?://[^\s<>|]+")


class LinkRefused(Exception):
    """A link that cannot be added; the message is the French/English sentence to show."""


@dataclass(frozen=True)
class PageInfo:
    """What a fetched page says about itself."""

    url: str
    title: str
    summary: str
    html: bool
    kind: str = ""  # the content type, when not HTML


@dataclass(frozen=True)
class Added:
    """What adding a link did: the item, and whether it was new or already in the watch."""

    item_id: int
    channel_id: str
    new: bool
    source_added: bool = True
    page: PageInfo | None = None


def first_link(text: str) -> str | None:
    """Return the first http(s) link of a Slack message's text, or None."""
    candidates = [(m.start(), m.group(1)) for m in _SLACK_LINK.finditer(text or "")]
    stripped = _SLACK_LINK.sub(" ", text or "")
    if not candidates:
        candidates = [(m.start(), m.group(0)) for m in _BARE_LINK.finditer(stripped)]
    if not candidates:
        return None
    return min(candidates)[1].rstrip(".,;:!?)»\"'")


def read_page(body: bytes, content_type: str, url: str) -> PageInfo:
    """Read title and description from a page (Open Graph, else ``<title>`` / meta description)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        return PageInfo(url, url, "", False, kind)
    soup = BeautifulSoup(body[:HEAD_BYTES], "html.parser")

    def meta(*names: str) -> str:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name}
            )
            content = tag.get("content") if tag else None
            if isinstance(content, str) and content.strip():
                return collapse_spaces(content)
        return ""

    title = meta("og:title", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = collapse_spaces(soup.title.string)
    if not title and soup.h1:
        title = collapse_spaces(soup.h1.get_text(" "))
    summary = meta("og:description", "description", "twitter:description")
    return PageInfo(url, title[:TITLE_LIMIT] or url, summary[:SUMMARY_LIMIT], True)


def fetch_page(url: str, limits: FetchLimits, lang: str = "fr") -> PageInfo:
    """Fetch ``url`` with the watch's guard and limits; raise LinkRefused (already worded)."""
    try:
        result = fetch(url, limits=limits)
    except FetchError as error:
        raise LinkRefused(t("calls.add.refused", lang, reason=error.describe(lang))) from error
    return read_page(result.body, result.content_type, result.url)


def checked_url(url: str, limits: FetchLimits, lang: str) -> str:
    """Return the URL if the guard lets it be fetched, else raise LinkRefused (nothing fetched)."""
    if not re.match(r"(?i)^https?://", url or ""):
        raise LinkRefused(t("calls.add.bad_url", lang, url=safe_text(url, 200)))
    try:
        return check_url(
            url, allow_private=limits.allow_private, allowed_addresses=limits.allowed_addresses
        )
    except UrlRejected as error:
        raise LinkRefused(_refusal(error.code, lang)) from error


def _refusal(code: str, lang: str) -> str:
    """Return the refusal of a URL the guard turned down, in words."""
    return t("calls.add.refused", lang, reason=FetchError(code).describe(lang))


def add_link(
    db_path: str, messenger: Messenger, url: str, note: str, *, channel_id: str, user: str,
    now: datetime, limits: FetchLimits, lang: str = "fr", tz: str = "Europe/Paris",
) -> Added:  # fmt: skip
    """Add a link to the channel's watch (or to the item already there); post a new item."""
    url = checked_url(url.strip().strip("<>"), limits, lang)
    problem = visibility_of(messenger).member_problem(user, channel_id)
    if problem:  # before any fetch: nothing is stored for a channel the bot cannot post to
        raise LinkRefused(t(problem, lang, channel=channel_id))
    canonical = canonical_url(url)
    note = note.strip()[:NOTE_LIMIT]
    with connect(db_path) as db:
        existing = call_store.item_with_url(db, channel_id, canonical)
        if existing is not None:
            return _add_to_existing(db, messenger, existing.id, url, note, user, now, lang, tz)
    page = fetch_page(url, limits, lang)
    with connect(db_path) as db, write(db):
        # Checked again under the write lock: two people adding the same link make one item.
        existing = call_store.item_with_url(db, channel_id, canonical)
        if existing is not None:
            added_to = existing.id
        else:
            added_to = call_store.create_added_item(
                db, channel_id, title=page.title, link=url, canonical_url=canonical,
                title_key=title_key(page.title), summary=page.summary, user=user, now=now,
            )  # fmt: skip
            call_store.record_addition(db, added_to, user, url, note, now)
            if note:
                add_note(db, added_to, user, note, now)
    if existing is not None:
        with connect(db_path) as db:
            return _add_to_existing(db, messenger, existing.id, url, note, user, now, lang, tz)
    post_pending(db_path, messenger, now, PostingSettings(lang=lang, tz=tz))
    return Added(added_to, channel_id, True, True, page)


def _add_to_existing(
    db, messenger: Messenger, item_id: int, url: str, note: str, user: str, now: datetime,
    lang: str, tz: str,
) -> Added:  # fmt: skip
    """Record the person as a source of the item already in the watch (and keep their note)."""
    with write(db):
        new_source = call_store.record_addition(db, item_id, user, url, note, now)
        if note:
            add_note(db, item_id, user, note, now)
    refresh_item_message(db, messenger, item_id, lang, tz)
    item = claims.get_item(db, item_id)
    return Added(item_id, item.channel_id if item else "", False, new_source)


def added_text(added: Added, lang: str, with_note: bool) -> str:
    """Return what to tell the person who added the link."""
    if not added.new:
        key = "calls.add.duplicate" if added.source_added else "calls.add.duplicate_again"
        text = t(key, lang, id=added.item_id)
        return text + (" " + t("calls.add.note_kept", lang) if with_note else "")
    if added.page is not None and not added.page.html:
        kind = safe_text(added.page.kind, 80)
        return t("calls.add.not_html", lang, id=added.item_id, channel=added.channel_id, kind=kind)
    return t("calls.add.done", lang, id=added.item_id, channel=added.channel_id)
