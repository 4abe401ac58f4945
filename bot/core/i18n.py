"""Message catalogues: French by default, English as an option.

Each feature keeps its own catalogue (a ``MESSAGES`` dict in its ``messages.py``), so teams do not
edit one shared file. The composition root installs them all once at start, from the table of
contents (``bot.features.install_catalogues``): importing a module never adds messages.
Templates use ``str.format`` placeholders.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

logger = logging.getLogger(__name__)

Catalogue = dict[str, dict[str, str]]
"""``{"fr": {key: template}, "en": {...}}``"""

_INSTALLED: Catalogue = {"fr": {}, "en": {}}


def install(catalogues: Iterable[Catalogue]) -> None:
    """Make these catalogues the ones :func:`t` reads; a key defined twice is a mistake."""
    merged: Catalogue = {"fr": {}, "en": {}}
    for catalogue in catalogues:
        for lang, entries in catalogue.items():
            target = merged.setdefault(lang, {})
            twice = target.keys() & entries.keys()
            if twice:
                raise ValueError(f"messages defined twice in {lang}: {sorted(twice)}")
            target.update(entries)
    _INSTALLED.clear()
    _INSTALLED.update(merged)


def t(key: str, lang: str = "fr", **params: object) -> str:
    """Return the message ``key`` in ``lang`` (falling back to French), formatted with params."""
    template = _INSTALLED.get(lang, {}).get(key) or _INSTALLED["fr"].get(key)
    if template is None:
        logger.warning("missing message %s", key)
        return key
    return template.format(**params) if params else template


def has(key: str, lang: str = "fr") -> bool:
    """Tell whether ``key`` is in the catalogue (for optional lines such as help examples)."""
    return key in _INSTALLED.get(lang, {}) or key in _INSTALLED["fr"]


def catalogue_keys(lang: str) -> set[str]:
    """Return every key installed in ``lang`` (used by the catalogue consistency test)."""
    return set(_INSTALLED.get(lang, {}))
