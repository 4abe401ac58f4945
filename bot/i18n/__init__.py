"""Message catalogues: French by default, English via ``VEILLEUR_LANG=en``."""

from __future__ import annotations

_CATALOGUES: dict[str, dict[str, str]] = {"fr": {}, "en": {}}


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add a domain's templates, ``{"fr": {key: template}, "en": {...}}``."""
    for lang, entries in messages.items():
        _CATALOGUES.setdefault(lang, {}).update(entries)


def t(key: str, lang: str = "fr", **params: object) -> str:
    """Translate ``key`` into ``lang`` (falling back to French) and fill in ``params``."""
    template = _CATALOGUES.get(lang, {}).get(key) or _CATALOGUES["fr"].get(key) or key
    return template.format(**params)
