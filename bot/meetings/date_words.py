"""The words of typed dates, accents already folded: months, weekdays, relative days, fillers."""

from __future__ import annotations

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10,
    "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
RELATIVE_DAYS = {
    "aujourd'hui": 0, "aujourd hui": 0, "today": 0, "demain": 1, "tomorrow": 1,
    "hier": -1, "yesterday": -1, "apres-demain": 2, "apres demain": 2, "day after tomorrow": 2, "the day after tomorrow": 2,
}  # fmt: skip
FILLERS = {"le", "a", "at", "on", "the", "vers", "pour", "de", "du", "ce", "cet", "this"}
