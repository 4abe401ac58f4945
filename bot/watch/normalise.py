"""Fold text for comparisons: accents and case ignored, punctuation and spacing evened out."""

from __future__ import annotations

import re
import shlex
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")
# Combining marks (accents of every script's decomposed letters); a regex is ~10x faster than
# testing unicodedata.combining() character by character.
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f"
    "\u0900-\u0903\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def collapse_spaces(text: str) -> str:
    """Turn every run of whitespace (newlines included) into one space and trim."""
    return _SPACES.sub(" ", text or "").strip()


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without accents, with whitespace collapsed ("Élan" -> "elan")."""
    text = text or ""
    if text.isascii():
        return collapse_spaces(text.casefold())
    decomposed = unicodedata.normalize("NFKD", text)
    return collapse_spaces(_COMBINING.sub("", decomposed).casefold())


def title_key(title: str) -> str:
    """Return the key under which two titles count as the same story (punctuation ignored)."""
    return collapse_spaces(_NOT_WORD.sub(" ", fold(title)).replace("_", " "))


def parse_keywords(text: str) -> tuple[str, ...]:
    """Split a keyword list on spaces and commas; "double quotes" keep a phrase together."""
    cleaned = (text or "").replace(",", " ").replace("«", '"').replace("»", '"')
    try:
        words = shlex.split(cleaned)
    except ValueError:
        words = cleaned.replace('"', " ").split()
    seen: dict[str, None] = {}
    for word in words:
        word = collapse_spaces(word)
        if word:
            seen.setdefault(word, None)
    return tuple(seen)


def matches_keywords(keywords: tuple[str, ...] | list[str], *texts: str) -> bool:
    """Tell whether any keyword starts a word of the texts, ignoring case and accents.

    No keywords means everything matches. "migra" matches "Migrations" and "MIGRANTS";
    "eau" does not match "nouveau".
    """
    if not keywords:
        return True
    haystack = " ".join(fold(text) for text in texts)
    return any(
        re.search(r"(?<!\w)" + re.escape(fold(keyword)), haystack)
        for keyword in keywords
        if fold(keyword)
    )
