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
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")
_FENCE = re.compile(r"`{3,}")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so nothing in ``text`` becomes a mention or a link."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces into single spaces; neutralise code fences."""
    return _FENCE.sub("''", _SPACES.sub(" ", text or "").strip())


def cut(text: str, limit: int) -> str:
    """Shorten ``text`` to at most ``limit`` characters, ending on a word with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    shortened = text[: limit - 1]
    space = shortened.rfind(" ")
    if space > limit * 0.6:
        shortened = shortened[:space]
    return shortened.rstrip() + ELLIPSIS


def safe_text(text: str, limit: int = BLOCK_TEXT_LIMIT) -> str:
    """Return feed text on one line, cut, then escaped, and never longer than ``limit``."""
    plain = one_line(text)
    size = limit
    while True:
        escaped = escape(cut(plain, size))
        if len(escaped) <= limit:
            return escaped
        size = min(size - 1, size * limit // len(escaped))


def is_http_url(url: str | None) -> bool:
    """Tell whether ``url`` is an absolute http(s) URL with nothing that could break a link."""
    if not url or any(char in url for char in "<>| \t\r\n"):
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def link(url: str | None, label: str, limit: int = 500) -> str:
    """Return ``<url|label>`` for an absolute http(s) URL, else just the escaped label."""
    text = safe_text(label, limit) or escape(url or "")[:limit]
    if not is_http_url(url):
        return text
    return f"<{escape(url or '')}|{text}>"


def is_user_id(text: str | None) -> bool:
    """Tell whether ``text`` is a Slack user id (U…/W…): only those may become a mention."""
    return bool(text and _USER_ID.match(text))
