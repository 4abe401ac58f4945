"""French and English messages for sessions, decisions, reminders and date parsing."""

from __future__ import annotations

from bot.i18n import register_messages

FR = {
    "dates.example": "« 11 janvier 2027 10h »",
    "dates.error.unknown": "Je ne comprends pas la date « {text} ». Écrivez par exemple « 11 janvier 2027 10h », « lundi prochain 14h30 » ou « 11/01/2027 10:00 ».",
    "dates.error.no_time": "Précisez l'heure, par exemple « 11 janvier 2027 10h » ou « demain 9h ».",
    "dates.error.no_day": "Précisez le jour, par exemple « demain 9h » ou « 11 janvier 2027 10h ».",
    "dates.error.two_times": "J'ai trouvé deux heures dans cette date : n'en gardez qu'une, par exemple « 11 janvier 2027 10h ».",
    "dates.error.bad_time": "L'heure « {text} » n'existe pas. Écrivez par exemple « 10h », « 14h30 » ou « 09:15 ».",
    "dates.error.no_such_date": "Le {day}/{month}/{year} n'existe pas. Vérifiez le jour et le mois, par exemple « 11 janvier 2027 10h ».",
    "dates.error.weekday_today": "« Lundi » ou « mardi » seul est ambigu quand c'est aujourd'hui : écrivez par exemple « aujourd'hui 14h » ou « lundi prochain 14h ».",
    "dates.error.weekday_mismatch": "Le jour de la semaine ne correspond pas : c'est le {actual}. Corrigez l'un des deux, par exemple « lundi 11 janvier 2027 10h ».",
    "dates.error.ambiguous_numeric": "La date « {text} » est ambiguë (jour/mois ou mois/jour ?). Écrivez le mois en toutes lettres, par exemple « 11 janvier 2027 10h ».",
    "dates.error.dst_gap": "{time} n'existe pas le {day} : à cause du passage à l'heure d'été, les horloges sautent de 2 h à 3 h. Choisissez par exemple 1 h 30 ou 3 h 30.",
    "dates.error.dst_fold": "{time} existe deux fois le {day} (retour à l'heure d'hiver). Précisez le décalage, par exemple « {example}+02:00 » (heure d'été) ou « {example}+01:00 » (heure d'hiver), ou choisissez une autre heure.",
    "dates.error.past": "Cette date est passée ({when}). Donnez une date à venir, par exemple « lundi prochain 14h30 ».",
    "dates.error.past_day": "Cette date est passée ({when}). Donnez une date à venir, par exemple « 15 janvier 2027 ».",
    "dates.error.date_only": "Pour une échéance, donnez seulement le jour, par exemple « 15 janvier 2027 » ou « vendredi prochain ».",
}

EN = {
    "dates.example": "“11 January 2027 10am”",
    "dates.error.unknown": "I do not understand the date “{text}”. Write for example “11 January 2027 10am”, “next monday 2:30pm” or “2027-01-11 10:00”.",
    "dates.error.no_time": "Please give the time, for example “11 January 2027 10am” or “tomorrow 9am”.",
    "dates.error.no_day": "Please give the day, for example “tomorrow 9am” or “11 January 2027 10am”.",
    "dates.error.two_times": "I found two times in this date: keep only one, for example “11 January 2027 10am”.",
    "dates.error.bad_time": "The time “{text}” does not exist. Write for example “10am”, “2:30pm” or “09:15”.",
    "dates.error.no_such_date": "{year}-{month}-{day} does not exist. Check the day and month, for example “11 January 2027 10am”.",
    "dates.error.weekday_today": "A bare weekday is ambiguous when it is today: write “today 2pm” or “next monday 2pm”.",
    "dates.error.weekday_mismatch": "The weekday does not match: that day is {actual}. Fix one of them, for example “Monday 11 January 2027 10am”.",
    "dates.error.ambiguous_numeric": "The date “{text}” is ambiguous (day/month or month/day?). Spell the month out, for example “11 January 2027 10am”.",
    "dates.error.dst_gap": "{time} does not exist on {day}: clocks jump from 2:00 to 3:00 for summer time. Choose for example 1:30 or 3:30.",
    "dates.error.dst_fold": "{time} happens twice on {day} (back to winter time). Give the offset, for example “{example}+02:00” (summer time) or “{example}+01:00” (winter time), or choose another time.",
    "dates.error.past": "This date is in the past ({when}). Give a future date, for example “next monday 2:30pm”.",
    "dates.error.past_day": "This date is in the past ({when}). Give a future date, for example “15 January 2027”.",
    "dates.error.date_only": "For a due date give only the day, for example “15 January 2027” or “next friday”.",
}

register_messages({"fr": FR, "en": EN})
