"""Message catalogues: French by default, English as an option.

Each domain keeps its own catalogue module that calls :func:`register_messages` at import, so
teams do not edit one shared file. Templates use ``str.format`` placeholders.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

_CATALOGUES: dict[str, dict[str, str]] = {"fr": {}, "en": {}}


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add ``{"fr": {key: template}, "en": {...}}`` to the catalogues."""
    for lang, entries in messages.items():
        _CATALOGUES.setdefault(lang, {}).update(entries)


def t(key: str, lang: str = "fr", **params: object) -> str:
    """Return the message ``key`` in ``lang`` (falling back to French), formatted with params."""
    template = _CATALOGUES.get(lang, {}).get(key) or _CATALOGUES["fr"].get(key)
    if template is None:
        logger.warning("missing message %s", key)
        return key
    return template.format(**params) if params else template


def has_message(key: str, lang: str = "fr") -> bool:
    """Tell whether ``key`` exists in ``lang`` (used by the catalogue consistency test)."""
    return key in _CATALOGUES.get(lang, {})


def catalogue_keys(lang: str) -> set[str]:
    """Return every key known in ``lang``."""
    return set(_CATALOGUES.get(lang, {}))


from bot.core import messages as _core  # noqa: E402,F401  (registers the shared messages)
