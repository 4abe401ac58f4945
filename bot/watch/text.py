"""Reduce feed HTML to plain text (the bot never renders feed HTML, it shows text).

Regular expressions rather than ``html.parser``: about 5x cheaper on feed summaries, with the
same result on them (tags dropped, quoted attributes may hold ``>``, the text of script/style/
head/title/noscript/template dropped, block tags become a space, entities decoded last so that
``&lt;b&gt;`` stays visible text). The text is escaped for Slack later, like any feed text.

Every title and summary, HTML or plain, ends in :func:`_finish`: control characters, bidi
overrides and isolates, and lone surrogates are removed there, once, for every format.
"""

from __future__ import annotations

import html
import re

from bot.watch.normalise import collapse_spaces

# Attributes (quoted values may hold '>'). Possessive quantifiers: no backtracking, so a
# pathological fragment ("<p<p<p…", unclosed quotes) costs linear time per '<'.
_ATTRS = r"(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+"
_BLOCKS = (
    "p|br|div|li|ul|ol|h1|h2|h3|h4|h5|h6|tr|td|th"
    "|blockquote|pre|section|article|hr|figcaption|dd|dt|table"
)
# One left-to-right scan, like html.parser: a comment, a skipped element with its text,
# a declaration or processing instruction, or any other tag (block tags become a space).
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|head|title|noscript|template)\b" + _ATTRS + r">.*?(?:</\1\s*>|\Z)"
    r"|<[!?][^>]*>"
    r"|</?(?:(" + _BLOCKS + r")(?=[\s/>])|[a-zA-Z][^\s/>]*+)" + _ATTRS + ">",
    re.IGNORECASE | re.DOTALL,
)


# C0 controls but tab, newline, vertical tab, form feed and CR (whitespace: they become
# spaces), DEL, bidi embeddings/overrides and isolates (they reorder what Slack shows after
# them), and lone surrogates (only JSON carries them; they cannot be stored as UTF-8). C1
# controls stay: they are mis-decoded cp1252 text, and removing them would change the
# hash key of a guid-less, link-less item whose title holds one.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]+")


def strip_controls(text: str) -> str:
    """Remove control characters, bidi overrides/isolates and lone surrogates from ``text``."""
    return _CONTROLS.sub("", text) if text else ""


def _finish(text: str, limit: int) -> str:
    return collapse_spaces(strip_controls(text))[:limit]


def plain_text(text: str, limit: int = 4000) -> str:
    """Return plain text as typed (no tag stripping, no entity decoding), cleaned and cut."""
    return _finish(text[: limit * 4], limit) if text else ""


def _replace(match: re.Match) -> str:
    return " " if match.group(2) else ""


def html_to_text(markup: str, limit: int = 4000) -> str:
    """Return the text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    if not markup:
        return ""
    if "<" in markup:
        markup = markup[: limit * 4]  # enough markup for `limit` characters of text
        markup = _MARKUP.sub(_replace, markup)
    if "&" in markup:
        markup = html.unescape(markup)  # may yield "&#x202E;" as a character: cleaned after
    return _finish(markup, limit)
