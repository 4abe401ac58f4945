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

SESSIONS_FR = {
    "meetings.announce": ":calendar: *Nouvelle session* n° {id} : *{title}* — {when}{place}",
    "meetings.place": ", à {place}",
    "meetings.reminder": ":bell: *Rappel* : *{title}* (session n° {id}) — {when}{place}{late}",
    "meetings.late": " _(en retard)_",
    "meetings.agenda_title": "*Ordre du jour*",
    "meetings.agenda_empty": "_Pas encore d'ordre du jour : `/session ordre {id} <point>`._",
    "meetings.decisions_title": "*Décisions ouvertes à échéance avant la session*",
    "meetings.decision_line": "#{id} {text}{owner}{due}{done}",
    "meetings.decision_owner": " — <@{owner}>",
    "meetings.decision_due": " — échéance {due}",
    "meetings.decision_done": " — ✅ fait",
    "meetings.cancelled": " — *annulée*",
    "meetings.session_line": "n° {id} · {when} · {title}{place}{cancelled}",
    "meetings.dm_due_soon": ":hourglass: La décision #{id} dont vous êtes responsable arrive à échéance le {due} : {text}",
    "meetings.dm_due_today": ":alarm_clock: La décision #{id} dont vous êtes responsable arrive à échéance aujourd'hui : {text}",
}
SESSIONS_EN = {
    "meetings.announce": ":calendar: *New session* #{id}: *{title}* — {when}{place}",
    "meetings.place": ", in {place}",
    "meetings.reminder": ":bell: *Reminder*: *{title}* (session #{id}) — {when}{place}{late}",
    "meetings.late": " _(late)_",
    "meetings.agenda_title": "*Agenda*",
    "meetings.agenda_empty": "_No agenda yet: `/session agenda {id} <point>`._",
    "meetings.decisions_title": "*Open decisions due before the session*",
    "meetings.decision_line": "#{id} {text}{owner}{due}{done}",
    "meetings.decision_owner": " — <@{owner}>",
    "meetings.decision_due": " — due {due}",
    "meetings.decision_done": " — ✅ done",
    "meetings.cancelled": " — *cancelled*",
    "meetings.session_line": "#{id} · {when} · {title}{place}{cancelled}",
    "meetings.dm_due_soon": ":hourglass: Decision #{id}, which you own, is due on {due}: {text}",
    "meetings.dm_due_today": ":alarm_clock: Decision #{id}, which you own, is due today: {text}",
}

register_messages({"fr": SESSIONS_FR, "en": SESSIONS_EN})

OFFSETS_FR = {
    "meetings.error.offsets": "Je ne comprends pas les rappels « {text} ». Écrivez par exemple « rappels 7j 1j 1h » (j = jours, h = heures, min = minutes, sem = semaines).",
}
OFFSETS_EN = {
    "meetings.error.offsets": "I do not understand the reminders “{text}”. Write for example “reminders 7d 1d 1h” (d = days, h = hours, m = minutes, w = weeks).",
}
register_messages({"fr": OFFSETS_FR, "en": OFFSETS_EN})

DOMAIN_FR = {
    "meetings.error.no_title": "Donnez un titre à la session, par exemple « /session ajouter Temps de travail 11 janvier 2027 10h à Lyon ».",
    "meetings.error.usage_add": "Je n'ai pas trouvé de date dans « {text} ». Écrivez par exemple « /session ajouter Temps de travail 11 janvier 2027 10h à Lyon ».",
    "meetings.error.not_found": "Il n'y a pas de session n° {id}. `/session liste` montre les sessions.",
    "meetings.error.bad_id": "« {text} » n'est pas un numéro de session. Exemple : « /session voir 3 ».",
    "meetings.error.cancelled": "La session n° {id} est annulée : elle ne peut plus être modifiée.",
    "meetings.error.empty_point": "Donnez le texte du point, par exemple « /session ordre 3 Mutualisation de la veille ».",
    "meetings.error.no_session_here": "Aucune session en cours ou passée dans ce canal. Précisez-la avec « session:<n°> », par exemple « /decision Mutualiser la veille session:3 ».",
    "meetings.error.decision_not_found": "Il n'y a pas de décision n° {id}. `/decision liste` montre les décisions.",
    "meetings.error.empty_decision": "Donnez le texte de la décision, par exemple « /decision Mutualiser la veille @alice échéance 15 janvier 2027 ».",
}
DOMAIN_EN = {
    "meetings.error.no_title": "Give the session a title, for example “/session add Work session 11 January 2027 10am at Lyon”.",
    "meetings.error.usage_add": "I found no date in “{text}”. Write for example “/session add Work session 11 January 2027 10am at Lyon”.",
    "meetings.error.not_found": "There is no session #{id}. `/session list` shows the sessions.",
    "meetings.error.bad_id": "“{text}” is not a session number. Example: “/session show 3”.",
    "meetings.error.cancelled": "Session #{id} is cancelled: it can no longer be changed.",
    "meetings.error.empty_point": "Give the point's text, for example “/session agenda 3 Pooling the news watch”.",
    "meetings.error.no_session_here": "No current or past session in this channel. Name one with “session:<n>”, for example “/decision Pool the news watch session:3”.",
    "meetings.error.decision_not_found": "There is no decision #{id}. `/decision list` shows the decisions.",
    "meetings.error.empty_decision": "Give the decision's text, for example “/decision Pool the news watch @alice due 15 January 2027”.",
}
register_messages({"fr": DOMAIN_FR, "en": DOMAIN_EN})

EXPORTS_FR = {
    "minutes.date": "Date",
    "minutes.place": "Lieu",
    "minutes.session": "Session",
    "minutes.status": "Statut",
    "minutes.cancelled": "annulée",
    "minutes.agenda": "Ordre du jour",
    "minutes.no_agenda": "_Aucun point._",
    "minutes.decisions": "Décisions",
    "minutes.no_decisions": "_Aucune décision enregistrée._",
    "minutes.owner": "responsable : {owner}",
    "minutes.due": "échéance : {due}",
    "minutes.open": "ouverte",
    "minutes.done": "faite le {when}",
    "calendar.name": "Sessions CERAPCOOP et RESACOOP",
}
EXPORTS_EN = {
    "minutes.date": "Date",
    "minutes.place": "Place",
    "minutes.session": "Session",
    "minutes.status": "Status",
    "minutes.cancelled": "cancelled",
    "minutes.agenda": "Agenda",
    "minutes.no_agenda": "_No agenda points._",
    "minutes.decisions": "Decisions",
    "minutes.no_decisions": "_No decisions recorded._",
    "minutes.owner": "owner: {owner}",
    "minutes.due": "due: {due}",
    "minutes.open": "open",
    "minutes.done": "done on {when}",
    "calendar.name": "CERAPCOOP and RESACOOP sessions",
}
register_messages({"fr": EXPORTS_FR, "en": EXPORTS_EN})
