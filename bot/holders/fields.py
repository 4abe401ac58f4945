"""Read what people type about a holder: ``nom structure:… territoire:… réseau:…``, types, numbers.

Values may hold spaces (« structure:Association Les Amis du Monde »): a value runs until the next
``mot:`` that names a field. Field words are French with English aliases, accents folded.
"""

from __future__ import annotations

import re

from bot.core.i18n import t
from bot.core.mrkdwn import escape
from bot.core.reply import UserError
from bot.core.router import fold

NETWORKS = ("CERAPCOOP", "RESACOOP")
KINDS = ("rendez-vous", "conseil", "orientation", "formation", "autre")
KIND_WORDS = {
    "rendez-vous": "rendez-vous", "rendezvous": "rendez-vous", "rdv": "rendez-vous",
    "meeting": "rendez-vous", "conseil": "conseil", "advice": "conseil",
    "orientation": "orientation", "referral": "orientation", "formation": "formation",
    "training": "formation", "autre": "autre", "other": "autre",
}  # fmt: skip
FIELD_WORDS = {
    "nom": "name", "name": "name", "structure": "structure", "territoire": "territory",
    "territory": "territory", "reseau": "network", "network": "network",
    "referent": "referent", "referente": "referent", "type": "kind", "date": "day",
}  # fmt: skip
NAME_LIMIT, FIELD_LIMIT, TEXT_LIMIT = 200, 200, 2000
MAX_ID = 2**63 - 1
_FIELD = re.compile(r"(?:^|\s)([^\s:]+):", re.UNICODE)
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


def split_fields(text: str, allowed: set[str]) -> tuple[str, dict[str, str]]:
    """Split ``text`` into its free part and its ``mot:valeur`` fields (only ``allowed`` ones)."""
    cuts = [m for m in _FIELD.finditer(text) if FIELD_WORDS.get(fold(m.group(1))) in allowed]
    if not cuts:
        return text.strip(), {}
    fields: dict[str, str] = {}
    for index, match in enumerate(cuts):
        end = cuts[index + 1].start() if index + 1 < len(cuts) else len(text)
        fields[FIELD_WORDS[fold(match.group(1))]] = text[match.end() : end].strip()
    return text[: cuts[0].start()].strip(), fields


def parse_number(text: str, lang: str) -> int:
    """Return a holder number typed as "3", "n°3" or "#3"."""
    cleaned = text.strip().lstrip("#").removeprefix("n°").strip()
    if not cleaned:
        raise UserError(t("holders.error.no_id", lang))
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise UserError(t("holders.error.bad_id", lang, text=escape(text.strip()[:40])))
    return min(int(cleaned), MAX_ID)  # beyond SQLite's integers it names nothing: "not found"


def parse_network(text: str, lang: str) -> str:
    """Return CERAPCOOP or RESACOOP, whatever the case; refuse anything else."""
    cleaned = fold(text.strip())
    for network in NETWORKS:
        if cleaned == network.casefold():
            return network
    raise UserError(t("holders.error.network", lang, text=escape(text.strip()[:40])))


def parse_kind(text: str, lang: str) -> str:
    """Return one of :data:`KINDS` from its French or English word."""
    kind = KIND_WORDS.get(fold(text.strip()))
    if kind is None:
        raise UserError(t("holders.error.kind", lang, text=escape(text.strip()[:40])))
    return kind


def parse_referent(text: str, lang: str) -> str:
    """Return the user ID of a mention (« @camille », escaped by Slack as ``<@U…|camille>``)."""
    match = _MENTION.match(text.strip())
    if not match:
        raise UserError(t("holders.error.referent", lang))
    return match.group(1)


def checked_name(text: str, lang: str) -> str:
    """Return a holder's name, refusing an empty or overlong one."""
    name = " ".join(text.split())
    if not name:
        raise UserError(t("holders.error.empty_name", lang))
    if len(name) > NAME_LIMIT:
        raise UserError(t("holders.error.too_long", lang, limit=NAME_LIMIT))
    return name


def checked_value(text: str, lang: str) -> str:
    """Return a structure or territory, on one line and not overlong."""
    value = " ".join(text.split())
    if len(value) > FIELD_LIMIT:
        raise UserError(t("holders.error.too_long", lang, limit=FIELD_LIMIT))
    return value


def territory_key(territory: str) -> str:
    """Return the territory as lists compare it (case, accents and dashes folded)."""
    return " ".join(fold(territory).replace("-", " ").split())
