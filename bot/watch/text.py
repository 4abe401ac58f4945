"""Reduce feed HTML to plain text (the bot never renders feed HTML, it shows text)."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from bot.watch.normalise import collapse_spaces

_SKIPPED = frozenset({"script", "style", "head", "title", "noscript", "template"})
_BLOCKS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th"}
    | {"blockquote", "pre", "section", "article", "hr", "figcaption", "dd", "dt", "table"}
)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str, limit: int = 4000) -> str:
    """Return the text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    if not markup:
        return ""
    if "<" not in markup:
        return collapse_spaces(html.unescape(markup))[:limit]
    collector = _TextCollector()
    try:
        collector.feed(markup[: limit * 4])  # enough markup for `limit` characters of text
        collector.close()
    except (AssertionError, ValueError):
        return collapse_spaces(html.unescape(markup))[:limit]
    return collapse_spaces("".join(collector.parts))[:limit]
