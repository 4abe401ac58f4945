"""French and English messages for the weekly digest and the newsletter export."""

from __future__ import annotations

from bot.core.i18n import register_messages

FR = {
    "digest.title": "Résumé de la veille",
    "digest.period": "Du {since} au {until}",
    "digest.counts": "Nouveaux : *{new}* · Traités : *{done}* · Écartés : *{dismissed}* · Encore libres : *{free}*",
    "digest.fallback": "Résumé de la veille du {since} au {until} : {new} nouveaux, {done} traités, {dismissed} écartés, {free} encore libres.",
    "digest.done.title": "*✅ Traités cette semaine*",
    "digest.command.free": "/veille liste libres",
    "digest.command.flagged": "/veille liste lettre",
    "digest.command.all": "/veille liste toutes",
    "digest.free.title": "*Encore libres* (arrivés cette semaine, personne ne les a pris)",
    "digest.claims.title": "*Qui a quoi* (articles pris, pas encore traités)",
    "digest.claims.line": "{owner} : {count}",
    "digest.claims.none": "Aucun article pris en ce moment.",
    "digest.flagged.title": "*📰 Pour la lettre*",
    "digest.flagged.none": "Aucun article retenu pour la lettre cette semaine.",
    "digest.sessions.title": "*Sessions des 7 prochains jours*",
    "digest.sessions.none": "Aucune session prévue.",
    "digest.decisions.title": "*Décisions à échéance d'ici 7 jours*",
    "digest.decisions.none": "Aucune décision ouverte à échéance.",
    "digest.decisions.due": "échéance {date}",
    "digest.decisions.overdue": "⚠️ en retard",
    "digest.more": "… et {count} de plus : `{command}`",
    "digest.footer": "`/veille résumé` pour le revoir · `veilleur digest` exporte la sélection pour la lettre",
    "digest.usage": "Usage : `/veille résumé` (visible par vous seul·e) ou `/veille résumé public` (dans le canal).",
    "newsletter.title": "Pour la lettre",
    "newsletter.seen_in": "Vu dans",
    "newsletter.notes": "Notes",
    "newsletter.empty": "Aucun article retenu pour la lettre sur cette période.",
}

EN = {
    "digest.title": "Watch digest",
    "digest.period": "From {since} to {until}",
    "digest.counts": "New: *{new}* · Done: *{done}* · Dismissed: *{dismissed}* · Still free: *{free}*",
    "digest.fallback": "Watch digest from {since} to {until}: {new} new, {done} done, {dismissed} dismissed, {free} still free.",
    "digest.done.title": "*✅ Done this week*",
    "digest.command.free": "/veille list free",
    "digest.command.flagged": "/veille list newsletter",
    "digest.command.all": "/veille list all",
    "digest.free.title": "*Still free* (arrived this week, nobody took them)",
    "digest.claims.title": "*Who has what* (claimed, not done yet)",
    "digest.claims.line": "{owner}: {count}",
    "digest.claims.none": "No item is claimed right now.",
    "digest.flagged.title": "*📰 For the newsletter*",
    "digest.flagged.none": "No item kept for the newsletter this week.",
    "digest.sessions.title": "*Sessions in the next 7 days*",
    "digest.sessions.none": "No session planned.",
    "digest.decisions.title": "*Decisions due within 7 days*",
    "digest.decisions.none": "No open decision falls due.",
    "digest.decisions.due": "due {date}",
    "digest.decisions.overdue": "⚠️ overdue",
    "digest.more": "… and {count} more: `{command}`",
    "digest.footer": "`/veille digest` to see it again · `veilleur digest` exports the newsletter picks",
    "digest.usage": "Usage: `/veille digest` (only you see it) or `/veille digest public` (in the channel).",
    "newsletter.title": "For the newsletter",
    "newsletter.seen_in": "Seen in",
    "newsletter.notes": "Notes",
    "newsletter.empty": "No item kept for the newsletter in this period.",
}

register_messages({"fr": FR, "en": EN})
