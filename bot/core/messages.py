"""Shared messages: help, generic errors, run modes and the shell."""

FR = {
    "error.apology": "Désolé, quelque chose s'est mal passé de mon côté. L'équipe a été prévenue dans les journaux ; réessayez dans un instant.",
    "error.busy": "La base de données est occupée pour le moment. Réessayez dans quelques secondes : rien n'a été modifié.",
    "error.unavailable": "Veilleur est temporairement indisponible, réessayez dans quelques minutes.",
    "error.overloaded": "Veilleur a trop de travail en cours. Réessayez dans une minute : rien n'a été fait.",
    "error.outage_alert": "Alerte Veilleur : la base de données ne peut plus être écrite ({reason}). Disque plein ou fichier en lecture seule ? Les utilisateurs voient « temporairement indisponible » jusqu'à ce qu'une écriture réussisse.",
    "error.unknown_subcommand": "Commande inconnue : `{command} {word}`. Voici ce que je sais faire :",
    "error.admin_only": "Seuls les administrateurs de Veilleur peuvent faire cela (variable VEILLEUR_ADMINS).",
    "help.title": "*Aide de `{command}`* — les mots français et anglais marchent tous les deux.",
    "help.veille": "Veille partagée : flux d'actualité, prise en charge et notes.",
    "help.session": "Séances de travail : agenda et rappels.",
    "help.decision": "Décisions de réunion : responsable, échéance, suivi.",
    "veille.help.aide": "`/veille aide` — afficher cette aide",
    "session.help.aide": "`/session aide` — afficher cette aide",
    "decision.help.aide": "`/decision aide` — afficher cette aide",
    "run.no_tokens": "Aucun jeton Slack n'est configuré : Veilleur démarre en mode local (shell). Pour le brancher sur Slack, définissez SLACK_BOT_TOKEN et SLACK_APP_TOKEN (Socket Mode) ou SLACK_BOT_TOKEN et SLACK_SIGNING_SECRET (mode HTTP) — voir README.md.",
    "shell.welcome": "Veilleur — mode local. Tapez une commande comme dans Slack (`/veille aide`, `/session liste`), `+:eyes: 12` pour réagir à l'article 12, `-:eyes: 12` pour retirer la réaction, `>12 texte` pour répondre dans son fil, `:avancer 2j` pour avancer l'horloge, `:quitter` pour sortir.",
    "shell.bye": "À bientôt !",
    "shell.unknown": "Je n'ai pas compris. Tapez `/veille aide` ou `:aide`.",
    "shell.no_item": "Aucun message d'article n° {item} dans ce canal.",
    "shell.clock": "Horloge avancée : il est maintenant {when}.",
}

EN = {
    "error.apology": "Sorry, something went wrong on my side. It has been logged; please try again in a moment.",
    "error.busy": "The database is busy right now. Try again in a few seconds: nothing was changed.",
    "error.unavailable": "Veilleur is temporarily unavailable, please try again in a few minutes.",
    "error.overloaded": "Veilleur has too much work in progress. Try again in a minute: nothing was done.",
    "error.outage_alert": "Veilleur alert: the database can no longer be written ({reason}). Full disk or read-only file? Users see “temporarily unavailable” until a write succeeds.",
    "error.unknown_subcommand": "Unknown command: `{command} {word}`. Here is what I can do:",
    "error.admin_only": "Only Veilleur admins can do that (VEILLEUR_ADMINS setting).",
    "help.title": "*Help for `{command}`* — French and English words both work.",
    "help.veille": "Shared news watch: feeds, claiming and notes.",
    "help.session": "Work sessions: agenda and reminders.",
    "help.decision": "Meeting decisions: owner, due date, follow-up.",
    "veille.help.aide": "`/veille help` — show this help",
    "session.help.aide": "`/session help` — show this help",
    "decision.help.aide": "`/decision help` — show this help",
    "run.no_tokens": "No Slack tokens are set: Veilleur starts in local (shell) mode. To connect it to Slack, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode) — see README.md.",
    "shell.welcome": "Veilleur — local mode. Type a command as in Slack (`/veille help`), `+:eyes: 12` to react to item 12, `-:eyes: 12` to remove it, `>12 text` to reply in its thread, `:avancer 2d` to move the clock, `:quit` to leave.",
    "shell.bye": "Bye!",
    "shell.unknown": "I did not understand. Type `/veille help` or `:help`.",
    "shell.no_item": "No message for item {item} in this channel.",
    "shell.clock": "Clock moved: it is now {when}.",
}

MESSAGES = {"fr": {**FR}, "en": {**EN}}
