"""Reduce feed HTML to plain text (the bot never renders feed HTML, it shows text).

Regular expressions rather than ``html.parser``: about 5x cheaper on feed summaries, with the
same result on them (tags dropped, quoted attributes may hold ``>``, the text of script/style/
head/title/noscript/template dropped, block tags become a space, entities decoded last so that
``&lt;b&gt;`` stays visible text). The text is escaped for Slack later, like any feed text.
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
        markup = html.unescape(markup)
    return collapse_spaces(markup)[:limit]
