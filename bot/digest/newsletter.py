"""The newsletter export: items kept "pour la lettre", as Markdown or as HTML.

Each item comes with its summary, where it was seen, and its notes signed with their authors'
names (``people`` table: no Slack ID reaches the reader; an unknown author shows as the ID).
Feed titles, source names and notes are outside text. In HTML everything is ``html.escape``d and
only absolute http(s) URLs become ``<a href>``; in Markdown, the characters that would make
markup (``*_[]()`` …) are backslash-escaped and ``<``/``>``/``&`` become entities, so a title
such as ``<script>`` or ``[bank](http://evil)`` stays text in any Markdown renderer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.mrkdwn import clean, cut, is_http_url, one_line
from bot.core.names import display_name, mentions_to_names
from bot.digest.build import NewsletterEntry
from storage.items import Source
from storage.notes import Note

FORMATS = ("markdown", "html")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~])")
_LINE_START = re.compile(r"^([-+#])")  # would start a list or a heading
_ORDERED_START = re.compile(r"^(\d+)\.")  # would start a numbered list
SUMMARY_LIMIT = 1000


def md_text(text: str) -> str:
    """Return outside text on one line, safe inside Markdown."""
    escaped = html.escape(one_line(text), quote=False)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)
    return _ORDERED_START.sub(r"\1\\.", _LINE_START.sub(r"\\\1", escaped))


def md_link(url: str | None, label: str) -> str:
    """Return ``[label](url)`` for an absolute http(s) URL, else the escaped label."""
    text = md_text(label) or md_text(url or "?")
    if not is_http_url(url):
        return text
    return f"[{text}]({(url or '').replace('(', '%28').replace(')', '%29')})"


def html_link(url: str | None, label: str) -> str:
    """Return ``<a href>`` for an absolute http(s) URL, else the escaped label."""
    text = html.escape(one_line(label) or url or "?")
    if not is_http_url(url):
        return text
    return f'<a href="{html.escape(url or "")}">{text}</a>'


def _source_label(source: Source) -> str:
    """Return "Feed title (origin)" for one source."""
    return f"{source.feed_title} ({source.origin})" if source.origin else source.feed_title


def summary_text(text: str | None) -> str:
    """Return an item's summary as plain text on one line, cut to a newsletter paragraph."""
    return cut(one_line(clean(text)), SUMMARY_LIMIT)


def note_text(note: Note, names: Mapping[str, str]) -> str:
    """Return "text — Author" (plain): a note and who wrote it, mentions in it as @names."""
    text = mentions_to_names(one_line(note.text), names)
    return f"{text} — {display_name(names, note.author)}"


def title_line(since: datetime, until: datetime, lang: str, zone: ZoneInfo) -> str:
    """Return "Pour la lettre — du … au …" (plain text)."""
    period = t(
        "digest.period",
        lang,
        since=format_date(since, lang, zone),
        until=format_date(until, lang, zone),
    )
    return f"{t('newsletter.title', lang)} — {period[0].lower()}{period[1:]}"


def to_markdown(
    entries: list[NewsletterEntry], since: datetime, until: datetime, lang: str, zone: ZoneInfo,
    names: Mapping[str, str],
) -> str:  # fmt: skip
    """Return the newsletter picks as a Markdown document."""
    out = [f"# {md_text(title_line(since, until, lang, zone))}", ""]
    if not entries:
        out += [md_text(t("newsletter.empty", lang)), ""]
    for entry in entries:
        item = entry.item
        out += [f"## {md_link(item.link, item.title or '?')}", ""]
        if summary_text(item.summary):
            out += [md_text(summary_text(item.summary)), ""]
        if entry.sources:
            seen = ", ".join(md_link(s.link, _source_label(s)) for s in entry.sources)
            out += [f"{_label('newsletter.seen_in', lang)} {seen}", ""]
        if entry.notes:
            out += [_label("newsletter.notes", lang), ""]
            out += [f"- {md_text(note_text(note, names))}" for note in entry.notes] + [""]
    return "\n".join(out)


def to_html(
    entries: list[NewsletterEntry], since: datetime, until: datetime, lang: str, zone: ZoneInfo,
    names: Mapping[str, str],
) -> str:  # fmt: skip
    """Return the newsletter picks as a small standalone HTML document."""
    title = html.escape(title_line(since, until, lang, zone))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        f'<head><meta charset="utf-8"><title>{title}</title></head>',
        "<body>",
        f"<h1>{title}</h1>",
    ]
    if not entries:
        out.append(f"<p>{html.escape(t('newsletter.empty', lang))}</p>")
    for entry in entries:
        out += ["<article>", f"<h2>{html_link(entry.item.link, entry.item.title or '?')}</h2>"]
        if summary_text(entry.item.summary):
            out.append(f"<p>{html.escape(summary_text(entry.item.summary))}</p>")
        if entry.sources:
            seen = ", ".join(html_link(s.link, _source_label(s)) for s in entry.sources)
            out.append(f"<p>{html.escape(_label('newsletter.seen_in', lang))} {seen}</p>")
        if entry.notes:
            out.append(f"<p>{html.escape(_label('newsletter.notes', lang))}</p>")
            out.append("<ul>")
            out += [f"<li>{html.escape(note_text(note, names))}</li>" for note in entry.notes]
            out.append("</ul>")
        out.append("</article>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _label(key: str, lang: str) -> str:
    """Return a label followed by a colon, French-spaced in French ("Vu dans :")."""
    return t(key, lang) + (" :" if lang == "fr" else ":")


def render_newsletter(
    entries: list[NewsletterEntry],
    since: datetime,
    until: datetime,
    fmt: str = "markdown",
    lang: str = "fr",
    tz: str | ZoneInfo = "Europe/Paris",
    names: Mapping[str, str] | None = None,
) -> str:
    """Return the export in ``fmt`` (``markdown`` or ``html``), note authors by ``names``."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    render = to_html if fmt == "html" else to_markdown
    return render(entries, since, until, lang, zone, names or {})
