"""Message catalogues (French default, English) — placeholder until the foundation lands on main.

Same interface as the foundation's: ``t(key, lang, **params)`` and ``register_messages``.
"""

from __future__ import annotations

_CATALOGUES: dict[str, dict[str, str]] = {"fr": {}, "en": {}}


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add a domain's templates to the catalogues."""
    for lang, templates in messages.items():
        _CATALOGUES.setdefault(lang, {}).update(templates)


def t(key: str, lang: str = "fr", **params: object) -> str:
    """Return the message ``key`` in ``lang`` (French if missing), formatted with ``params``."""
    template = _CATALOGUES.get(lang, {}).get(key) or _CATALOGUES["fr"].get(key, key)
    return template.format(**params)
