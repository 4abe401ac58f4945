"""French and English messages for sessions, decisions, reminders and date parsing."""

from __future__ import annotations

from bot.core.i18n import register_messages

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

COMMANDS_FR = {
    "meetings.created": "Session n° {id} créée : *{title}* — {when}{place}. Rappels : {offsets}.",
    "meetings.offsets_none": "aucun",
    "meetings.offset.d": "{n} j avant",
    "meetings.offset.h": "{n} h avant",
    "meetings.offset.m": "{n} min avant",
    "meetings.offset.w": "{n} sem. avant",
    "meetings.not_announced": "Je n'ai pas pu l'annoncer dans le canal ({code}) : invitez-moi avec `/invite @Veilleur`.",
    "meetings.moved": ":arrows_counterclockwise: Session n° {id} *{title}* déplacée : {when}{place}.",
    "meetings.cancelled_notice": ":x: Session n° {id} *{title}* du {when} annulée.",
    "meetings.point_added": "Point {position} ajouté à l'ordre du jour de la session n° {id} : {text}",
    "meetings.list_empty": "Aucune session pour l'instant. Créez-en une : `/session ajouter Temps de travail 11 janvier 2027 10h à Lyon`.",
    "meetings.list_upcoming": "*Sessions à venir*",
    "meetings.list_past": "*Dernières sessions*",
    "meetings.detail_decisions": "*Décisions*",
    "meetings.usage_move": "Donnez le numéro et la nouvelle date, par exemple « /session deplacer 3 12 janvier 2027 14h ».",
    "meetings.usage_agenda": "Donnez le numéro et le point, par exemple « /session ordre 3 Mutualisation de la veille ».",
    "meetings.usage_add": "Donnez un titre et une date, par exemple « /session ajouter Temps de travail 11 janvier 2027 10h à Lyon ».",
    "meetings.modal_opened": "Formulaire ouvert.",
    "decisions.recorded": "Décision n° {id} notée dans la session n° {session} *{title}* ({when}) : {line}",
    "decisions.already": "Cette décision était déjà notée (n° {id}).",
    "decisions.done": "Décision n° {id} marquée comme faite : {line}",
    "decisions.list_empty": "Aucune décision ne correspond.",
    "decisions.list_title": "*Décisions {which}*",
    "decisions.which_open": "ouvertes",
    "decisions.which_mine": "dont vous êtes responsable",
    "decisions.which_session": "de la session n° {id}",
    "decisions.search_empty": "Aucune décision ne contient « {words} ».",
    "decisions.search_title": "*Décisions contenant « {words} »*",
    "decisions.usage_search": "Donnez des mots à chercher, par exemple « /decision chercher veille ».",
    "modal.session.title": "Nouvelle session",
    "modal.session.name": "Titre",
    "modal.session.when": "Date et heure",
    "modal.session.when_hint": "Comme vous l'écririez : « 11 janvier 2027 10h », « lundi prochain 14h30 »",
    "modal.session.place": "Lieu",
    "modal.session.offsets": "Rappels",
    "modal.submit": "Enregistrer",
    "modal.cancel": "Annuler",
    "modal.decision.title": "Nouvelle décision",
    "modal.decision.text": "Décision",
    "modal.decision.owner": "Responsable",
    "modal.decision.due": "Échéance",
    "modal.decision.session": "N° de session (vide : la session en cours ou la dernière du canal)",
}
COMMANDS_EN = {
    "meetings.created": "Session #{id} created: *{title}* — {when}{place}. Reminders: {offsets}.",
    "meetings.offsets_none": "none",
    "meetings.offset.d": "{n} d before",
    "meetings.offset.h": "{n} h before",
    "meetings.offset.m": "{n} min before",
    "meetings.offset.w": "{n} wk before",
    "meetings.not_announced": "I could not announce it in the channel ({code}): invite me with `/invite @Veilleur`.",
    "meetings.moved": ":arrows_counterclockwise: Session #{id} *{title}* moved: {when}{place}.",
    "meetings.cancelled_notice": ":x: Session #{id} *{title}* on {when} is cancelled.",
    "meetings.point_added": "Point {position} added to the agenda of session #{id}: {text}",
    "meetings.list_empty": "No sessions yet. Create one: `/session add Work session 11 January 2027 10am at Lyon`.",
    "meetings.list_upcoming": "*Upcoming sessions*",
    "meetings.list_past": "*Latest sessions*",
    "meetings.detail_decisions": "*Decisions*",
    "meetings.usage_move": "Give the number and the new date, for example “/session move 3 12 January 2027 2pm”.",
    "meetings.usage_agenda": "Give the number and the point, for example “/session agenda 3 Pooling the news watch”.",
    "meetings.usage_add": "Give a title and a date, for example “/session add Work session 11 January 2027 10am at Lyon”.",
    "meetings.modal_opened": "Form opened.",
    "decisions.recorded": "Decision #{id} recorded in session #{session} *{title}* ({when}): {line}",
    "decisions.already": "This decision was already recorded (#{id}).",
    "decisions.done": "Decision #{id} marked done: {line}",
    "decisions.list_empty": "No matching decisions.",
    "decisions.list_title": "*Decisions {which}*",
    "decisions.which_open": "still open",
    "decisions.which_mine": "you own",
    "decisions.which_session": "of session #{id}",
    "decisions.search_empty": "No decision contains “{words}”.",
    "decisions.search_title": "*Decisions containing “{words}”*",
    "decisions.usage_search": "Give words to search for, for example “/decision search watch”.",
    "modal.session.title": "New session",
    "modal.session.name": "Title",
    "modal.session.when": "Date and time",
    "modal.session.when_hint": "As you would type it: “11 January 2027 10am”, “next monday 2:30pm”",
    "modal.session.place": "Place",
    "modal.session.offsets": "Reminders",
    "modal.submit": "Save",
    "modal.cancel": "Cancel",
    "modal.decision.title": "New decision",
    "modal.decision.text": "Decision",
    "modal.decision.owner": "Owner",
    "modal.decision.due": "Due date",
    "modal.decision.session": "Session # (empty: the channel's current or latest session)",
}
register_messages({"fr": COMMANDS_FR, "en": COMMANDS_EN})

SHELL_FR = {
    "meetings.shell.no_reminder": "Aucun rappel de session à venir.",
    "meetings.reminder_failed": "Je n'ai pas pu poster le rappel de la session n° {id} dans <#{channel}> ({code}). Invitez-moi dans le canal avec `/invite @Veilleur` : les rappels suivants partiront normalement.",
}
SHELL_EN = {
    "meetings.shell.no_reminder": "No session reminder ahead.",
    "meetings.reminder_failed": "I could not post the reminder of session #{id} in <#{channel}> ({code}). Invite me to the channel with `/invite @Veilleur`: the next reminders will go out as usual.",
}
register_messages({"fr": SHELL_FR, "en": SHELL_EN})
