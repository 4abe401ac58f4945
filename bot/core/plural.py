"""Plurals by the language's own rules (CLDR, through Babel), never « article(s) ».

French counts 0 and 1 as singular (« 0 article », « 1 article »), English only 1. A catalogue
holds a counted message as two keys, ``<key>.one`` and ``<key>.other``; :func:`tn` picks the
right one for ``count`` and formats it with ``{count}`` and the other params.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from bot.core.i18n import t

FORMS = ("one", "other")


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in ("fr", "en") else "fr")


def plural_form(count: int, lang: str = "fr") -> str:
    """Return "one" or "other": the catalogue form ``count`` takes in ``lang``."""
    # CLDR also has "many" for French millions (« 1 000 000 de… »): the "other" text reads well.
    return "one" if _locale(lang).plural_form(abs(count)) == "one" else "other"


def plural(count: int, lang: str = "fr", *, one: str, other: str) -> str:
    """Return ``one`` or ``other`` for ``count``, formatted with ``{count}``."""
    template = one if plural_form(count, lang) == "one" else other
    return template.format(count=count)


def tn(key: str, lang: str, count: int, **params: object) -> str:
    """Return the counted message ``key`` (``key.one`` or ``key.other``) for ``count``."""
    return t(f"{key}.{plural_form(count, lang)}", lang, count=count, **params)
