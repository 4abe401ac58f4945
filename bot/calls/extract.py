"""Read a call's closing date from an item's title and summary, or say nothing.

A date counts only when a deadline phrase stands right before it (« date limite de dépôt : »,
« clôture le », « candidatures jusqu'au », « avant le », « au plus tard le »…). Weak phrases
(« jusqu'au », « avant le », « clôture »…) also need a word of a call (candidature, dossier,
dépôt, appel…) in their sentence or in the title, so an exhibition open « jusqu'au 5 mai » is
no deadline. The date itself is read by the project's grammar (:mod:`bot.meetings.dates`).
Never a guess: two different deadlines, two dates joined by « et » / « ou » / « / », a date the
grammar refuses (a weekday that contradicts it, a day that does not exist, a past day), a bare
day number or a month alone — any of these gives ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.meetings.dates import DateError, parse_date

_MONTHS = (
    "janvier|janv|fevrier|fevr|fev|mars|avril|avr|mai|juin|juillet|juil|aout|septembre|sept"
    "|octobre|oct|novembre|nov|decembre|dec"
)
_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
# The grammar knows the long names and a few abbreviations; these are given in full.
_SPELLED = {"fev": "fevrier", "premier": "1er"}
DATE = (
    rf"(?:(?:{_WEEKDAYS})\s+)?(?:\d{{1,2}}|premier)(?:er)?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?\b"
    r"|\b\d{1,2}[/.]\d{1,2}(?:[/.](?:\d{4}|\d{2}))?\b(?![/.]?\d)"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
_DATE = re.compile(DATE)
_STRONG = (
    r"date\s+limite|dates?\s+de\s+cloture|limite\s+(?:de|des|d')\s*\w+|deadline"
    r"|au\s+plus\s+tard|fin\s+des\s+(?:candidatures|inscriptions|depots|soumissions)"
    r"|cloture\s+(?:des|de\s+l'appel|de\s+l'|du\s+depot|de\s+depot|de\s+la\s+candidature)[\w' -]{0,30}?"
)
_WEAK = (
    r"cloture|clotur\w+|jusqu'\s?(?:au|a|le)|jusqu'\s?a\s+le|avant\s+le|avant|echeance"
    r"|d'ici\s+(?:au|le)|(?:reportee?s?|prolongee?s?|repoussee?s?|decalee?s?)\s+(?:jusqu'\s?)?au"
    r"|(?:a\s+)?(?:deposer|envoyer|renvoyer|transmettre|soumettre|rendre)\s+(?:avant\s+)?le"
)
_GLUE = (
    r"(?:\s+(?:de|du|des|d'|pour)\s*[a-z' -]{0,40}?)?"  # « de dépôt des dossiers »
    r"\s*[:,\u2013-]?\s*(?:(?:est|sont|a\s+ete|ont\s+ete)\s+)?"
    r"(?:(?:fixee?s?|prevue?s?|programmee?s?|arretee?s?|reportee?s?|prolongee?s?)\s+)?"
    r"(?:(?:au|le|a|pour\s+le|jusqu'\s?au)\s+)?(?:le\s+)?$"
)
_STRONG_BEFORE = re.compile(rf"(?:^|\W)(?:{_STRONG}){_GLUE}")
_WEAK_BEFORE = re.compile(rf"(?:^|\W)(?:{_WEAK}){_GLUE}")
_CALL_WORDS = re.compile(
    r"candidat|dossier|depot|deposer|inscri|postul|soumi|proposition|appel|projet|subvention"
    r"|financement|bourse|prix|concours|formulaire|manifestation d'interet|ami\b|aap\b"
)
# A second date joined to the first one: « 15 janvier ou 15 février », « 3 mars / 30 avril ».
_JOINED = re.compile(
    rf"^\s*(?:\([^)]{{0,60}}\)\s*)?(?:et|ou|puis|/|-|\u2013|,)\s*(?:le\s+|au\s+)?(?:{DATE})"
)
_SENTENCE_END = re.compile(r"(?<!\d)[.;!?](?!\d)|\n")


@dataclass(frozen=True)
class Detection:
    """The deadline found (``day``), or why none was taken (``reason``)."""

    day: date | None
    reason: str  # "found", "none", "ambiguous", "refused"
    phrase: str = ""


def fold(text: str) -> str:
    """Lower-case, drop accents, unify apostrophes and spaces (same length rules as typing)."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\xa0", " ")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sentences(text: str) -> list[str]:
    """Split folded text into sentences (a dot between digits, as in 12.02.2027, is no end)."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def _grammar_text(phrase: str) -> str:
    """Return the date phrase in words the grammar reads."""
    words = [_SPELLED.get(word.rstrip("."), word) for word in phrase.split()]
    return " ".join(words).replace("1er er", "1er")


def detect_deadline(
    title: str, summary: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris"
) -> Detection:
    """Return the one closing date the text states, read as of ``now`` (years left out follow it)."""
    folded_title = fold(title)
    call_in_title = bool(_CALL_WORDS.search(folded_title))
    found: list[tuple[date, str]] = []
    for sentence in _sentences(folded_title + "\n" + fold(summary)):
        call_here = call_in_title or bool(_CALL_WORDS.search(sentence))
        for match in _DATE.finditer(sentence):
            before = sentence[max(0, match.start() - 90) : match.start()]
            strong = _STRONG_BEFORE.search(before)
            if not strong and not (call_here and _WEAK_BEFORE.search(before)):
                continue
            if _JOINED.match(sentence[match.end() :]):
                return Detection(None, "ambiguous", match.group(0))
            try:
                day = parse_date(_grammar_text(match.group(0)), now=now, tz=tz, lang="fr")
            except DateError:
                return Detection(None, "refused", match.group(0))
            found.append((day, match.group(0)))
    days = {day for day, _ in found}
    if not days:
        return Detection(None, "none")
    if len(days) > 1:
        return Detection(None, "ambiguous", " / ".join(phrase for _, phrase in found))
    return Detection(found[0][0], "found", found[0][1])


def deadline_in(
    title: str, summary: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris"
) -> date | None:
    """Return the closing date the text states, or None when there is none or it is unclear."""
    return detect_deadline(title, summary, now=now, tz=tz).day


def parse_due_date(
    text: str, *, now: datetime, tz: str | ZoneInfo = "Europe/Paris", lang: str = "fr"
) -> date:
    """Read a deadline typed by a person (« 15/01/2027 », « vendredi 15 janvier »); raise DateError."""
    return parse_date(_grammar_text(fold(text.strip())), now=now, tz=tz, lang=lang)
