"""The words of typed dates, accents already folded: months, weekdays, numbers, day parts, fillers."""

from __future__ import annotations

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "juill": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
MONTH_NAMES = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
RELATIVE_DAYS = {
    "aujourd'hui": 0, "aujourd hui": 0, "today": 0, "demain": 1, "tomorrow": 1,
    "hier": -1, "yesterday": -1, "apres-demain": 2, "apres demain": 2, "day after tomorrow": 2, "the day after tomorrow": 2,
}  # fmt: skip
FILLERS = {
    "le", "a", "at", "on", "the", "vers", "pour", "de", "du", "ce", "cet", "cette", "this",
    "environ", "around", "about", "approximately", "approx", "env", "vers les", "aux", "alentours",
}  # fmt: skip
# Phrases that only a due date may carry: « d'ici vendredi », « au plus tard le 15 ».
DUE_FILLERS = (
    "d'ici",
    "d ici",
    "au plus tard",
    "jusqu'au",
    "jusqu'a",
    "by",
    "until",
    "no later than",
)

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16,
}  # fmt: skip
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
_EN = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty-five": 45, "forty five": 45,
}  # fmt: skip


def _french_numbers() -> dict[str, int]:
    """Spell 0 to 59 the French ways (« dix-sept », « vingt et un », « vingt-et-un », « trente deux »)."""
    words = dict(_UNITS)
    for unit, value in (("sept", 7), ("huit", 8), ("neuf", 9)):
        words[f"dix-{unit}"] = words[f"dix {unit}"] = 10 + value
    for ten, base in _TENS.items():
        words[ten] = base
        for unit, value in _UNITS.items():
            if not 1 <= value <= 9:
                continue
            joiners = ("et-", " et ") if value == 1 else ("-", " ")
            for joiner in joiners:
                words[f"{ten}{'-' if joiner == 'et-' else ''}{joiner}{unit}"] = base + value
    return words


NUMBER_WORDS = {**_french_numbers(), **_EN}
DAY_PARTS = {
    # phrase: (part, implies today)
    "de l'apres-midi": ("afternoon", False), "de l'apres midi": ("afternoon", False),
    "dans l'apres-midi": ("afternoon", False), "cet apres-midi": ("afternoon", True),
    "cet apres midi": ("afternoon", True), "apres-midi": ("afternoon", False),
    "apres midi": ("afternoon", False), "aprem": ("afternoon", False),
    "du matin": ("morning", False), "au matin": ("morning", False), "au soir": ("evening", False), "ce matin": ("morning", True), "matin": ("morning", False),
    "en matinee": ("morning", False), "du soir": ("evening", False), "ce soir": ("evening", True),
    "en soiree": ("evening", False), "dans la soiree": ("evening", False), "soir": ("evening", False),
    "in the morning": ("morning", False), "this morning": ("morning", True),
    "morning": ("morning", False), "in the afternoon": ("afternoon", False),
    "this afternoon": ("afternoon", True), "afternoon": ("afternoon", False),
    "in the evening": ("evening", False), "this evening": ("evening", True),
    "evening": ("evening", False), "tonight": ("evening", True), "at night": ("evening", False),
}  # fmt: skip
