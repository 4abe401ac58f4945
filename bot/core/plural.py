"""Plural forms through CLDR's rules (Babel): « 1 note », « 2 notes », never « note(s) ».

A counted message has two catalogue keys, ``<key>.one`` and ``<key>.other``. French and English
only need those two: CLDR's French « many » (1 000 000 and up, « 1 000 000 de notes ») reads
well enough with the ``other`` form here, so every category but ``one`` uses ``other``.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from bot.core.i18n import t


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in ("fr", "en") else "fr")


def plural_category(count: int, lang: str) -> str:
    """Return ``one`` or ``other``: the form ``count`` takes in ``lang`` (French: 0 and 1 are one)."""
    return "one" if _locale(lang).plural_form(abs(count)) == "one" else "other"


def tn(key: str, lang: str, count: int, **params: object) -> str:
    """Return message ``key`` in the form ``count`` takes, with ``count`` among its params."""
    return t(f"{key}.{plural_category(count, lang)}", lang, count=count, **params)
