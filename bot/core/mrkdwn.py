"""Make outside text safe for Slack mrkdwn: no mentions, no disguised links, bounded length.

Slack turns ``<!channel>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>`` and ``<url|label>`` into
mentions and links only through ``<`` … ``>``; escaping ``&``, ``<`` and ``>`` (the three
characters Slack asks apps to escape) leaves them as visible text (F14). Messages are sent
without ``link_names`` or ``parse=full`` and with ``verbatim: true``, so bare ``@channel`` or
URLs in feed text are not linked either.
https://api.slack.com/reference/surfaces/formatting#escaping
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

BLOCK_TEXT_LIMIT = 3000
URL_LINK_LIMIT = 1000  # an escaped URL longer than this is shown shortened, not linked
SHORT_URL_PATH = 60  # how much of a too-long URL's path the shortened form keeps
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")
_FENCE = re.compile(r"`{3,}")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
# NUL and the other C0 controls but tab and newline, DEL, and the bidi embeddings, overrides
# and isolates that can make posted text read backwards (U+202A to U+202E, U+2066 to U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def clean(text: str | None) -> str:
    """Remove NUL, control characters and bidi overrides/isolates from text the bot posts."""
    return _UNSAFE.sub("", text or "")


def slack_len(text: str) -> int:
    """Return the length Slack may count: UTF-16 code units (an emoji can count two)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str | None) -> str:
    """Clean ``text`` and escape ``&``, ``<``, ``>`` so nothing in it becomes a mention or link."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces into single spaces; neutralise code fences."""
    return _FENCE.sub("''", _SPACES.sub(" ", text or "").strip())


def _prefix(text: str, units: int) -> str:
    """Return the longest start of ``text`` that is at most ``units`` UTF-16 code units."""
    if slack_len(text) <= units:
        return text
    size = min(len(text), units)
    while size and slack_len(text[:size]) > units:
        size -= 1
    return text[:size]


def cut(text: str, limit: int) -> str:
    """Shorten ``text`` to at most ``limit`` (Slack-counted), ending on a word with an ellipsis.

    An HTML entity (``&amp;``, ``&lt;``, ``&gt;``) at the cut is dropped whole, never halved,
    so escaped text may be cut safely.
    """
    if slack_len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    shortened = _prefix(text, limit - 1)
    shortened = _PARTIAL_ENTITY.sub("", shortened)
    space = shortened.rfind(" ")
    if space > len(shortened) * 0.6:
        shortened = shortened[:space]
    return shortened.rstrip() + ELLIPSIS


def safe_text(text: str | None, limit: int = BLOCK_TEXT_LIMIT) -> str:
    """Return outside text cleaned, on one line, escaped, then cut to at most ``limit``."""
    return cut(escape(one_line(clean(text))), limit)


def safe_lines(text: str | None, limit: int = BLOCK_TEXT_LIMIT) -> str:
    """Return outside text cleaned and escaped with its line breaks kept, cut to ``limit``."""
    lines = [one_line(line) for line in clean(text).splitlines()]
    return cut(_FENCE.sub("''", escape("\n".join(line for line in lines if line))), limit)


def is_http_url(url: str | None) -> bool:
    """Tell whether ``url`` is an absolute http(s) URL with nothing that could break a link."""
    if not url or any(char in url for char in "<>| \t\r\n") or clean(url) != url:
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def short_url(url: str | None) -> str:
    """Return "example.org/start/of/path…": a URL shown as escaped text, never as a link."""
    text = clean(url)
    parts = urlsplit(text) if is_http_url(text) else None
    if parts is not None:
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        text = parts.netloc + cut(rest, SHORT_URL_PATH)
    return cut(escape(one_line(text)), SHORT_URL_PATH + 100)


def link(url: str | None, label: str, limit: int = 500) -> str:
    """Return ``<url|label>`` for an absolute http(s) URL, else the escaped label.

    A URL whose escaped form is over :data:`URL_LINK_LIMIT` is not linked (Slack refuses
    the block, or the link): the label is followed by the shortened address as plain text.
    The result is at most ``limit`` plus the escaped URL's length.
    """
    if not is_http_url(url):
        return safe_text(label, limit) or cut(short_url(url), limit)
    target = escape(url)
    if len(target) > URL_LINK_LIMIT:
        address = short_url(url)
        text = safe_text(label, max(1, limit - len(address) - 3))
        return f"{text} ({address})" if text else address
    return f"<{target}|{safe_text(label, limit) or cut(target, limit)}>"


def fit_lines(
    head: str, lines: list[str], limit: int = BLOCK_TEXT_LIMIT, more: str = "", total: int = 0
) -> str:
    """Join ``head`` and as many whole ``lines`` as fit in ``limit``; ``more`` counts the rest.

    ``more`` may hold ``{count}``: how many of ``total`` lines (default: ``len(lines)``) are
    not shown. A line is never cut in half (a cut could split a link).
    """
    reserve = slack_len(more) + 10 if more else 0
    text, shown = cut(head, limit - reserve), 0
    for line in lines:
        if slack_len(text) + 1 + slack_len(line) > limit - reserve:
            break
        text, shown = f"{text}\n{line}" if text else line, shown + 1
    hidden = max(total, len(lines)) - shown
    if hidden and more:
        text += "\n" + more.replace("{count}", str(hidden))
    return text


def is_user_id(text: str | None) -> bool:
    """Tell whether ``text`` is a Slack user id (U…/W…): only those may become a mention."""
    return bool(text and _USER_ID.match(text))


def mention(user_id: str | None) -> str:
    """Return ``<@U…>`` for a real Slack user id; anything else is shown escaped, never pinged."""
    return f"<@{user_id}>" if is_user_id(user_id) else safe_text(user_id or "?", 100)


def plain(text: str) -> str:
    """Undo mrkdwn's three escapes, for the places Slack shows as plain text (form errors)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
