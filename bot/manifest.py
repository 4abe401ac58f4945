"""The Slack app manifest: create the app from it, copy two tokens, run."""

from __future__ import annotations

from typing import Any

COMMANDS = {
    "/veille": (
        "Veille partagée : flux, prise en charge, notes, recherche",
        "aide | flux | ajouter <url> | liste | voir <n> | prendre <n> | échéances | chercher <mots>",
    ),
    "/session": (
        "Sessions de travail : agenda et rappels",
        "aide | ajouter <titre> <date> [à <lieu>] | liste | voir <id> | calendrier",
    ),
    "/decision": (
        "Décisions de réunion : responsable et échéance",
        "<texte> [@responsable] [échéance <date>] | liste | fait <id>",
    ),
    "/porteur": (
        "Porteurs de projet : fiche, suivi de l'accompagnement, articles gardés",
        "aide | ajouter <nom> | liste | voir <n> | suivi <n> <texte> | chercher <mots>",
    ),
}
# Message shortcuts (the « ⋯ » menu of any message): callback ids are handled in handlers/.
SHORTCUTS = [
    {
        "name": "Ajouter à la veille",
        "type": "message",
        "callback_id": "add_to_watch",
        "description": "Ajoute le premier lien du message à la veille du canal",
    },
]
BOT_SCOPES = [
    "commands",
    "chat:write",
    "channels:join",
    "channels:history",
    "groups:history",
    "reactions:read",
    "im:write",
    "users:read",
    # who sees what (README): whether a channel is private, who is in it, and the events that say so
    "channels:read",
    "groups:read",
    "im:read",
    "mpim:read",
]
BOT_EVENTS = [
    "reaction_added",
    "reaction_removed",
    "message.channels",
    "message.groups",
    "app_home_opened",
    "member_joined_channel",
    "member_left_channel",
    "channel_left",
    "group_left",
    "channel_archive",
    "channel_unarchive",
    "group_archive",
    "group_unarchive",
    "channel_rename",
    "group_rename",
    "channel_shared",
    "channel_unshared",
    "group_open",
    "group_close",
    "channel_deleted",
    "app_uninstalled",
    "tokens_revoked",
]


def event_type(subscription: str) -> str:
    """Return the event type Bolt receives for a manifest subscription (``message.channels`` → ``message``)."""
    return subscription.split(".", 1)[0]


def build_manifest(request_url: str | None = None) -> dict[str, Any]:
    """Return the manifest; with ``request_url`` it is for HTTP mode, else for Socket Mode."""
    commands = []
    for command, (description, hint) in COMMANDS.items():
        entry = {
            "command": command,
            "description": description,
            "usage_hint": hint,
            "should_escape": True,
        }
        if request_url:
            entry["url"] = request_url
        commands.append(entry)
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": BOT_EVENTS}
    if request_url:
        interactivity["request_url"] = request_url
        events["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Veilleur",
            "description": "Veille partagée, décisions et rappels de sessions pour CERAPCOOP et RESACOOP",
            "background_color": "#1d4e89",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": False,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "Veilleur", "always_online": True},
            "slash_commands": commands,
            "shortcuts": SHORTCUTS,
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }
