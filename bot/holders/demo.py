"""Demo holders for ``veilleur shell --demo``: one per network, each with a few support actions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.holders.fields import territory_key
from storage import holders as store
from storage.people import remember_name

CHANNEL = "CVEILLE"  # the shell's channel (bot.local.shell.CHANNEL_ID)
YOU, COLLEAGUE = "UVOUS", "UMARIE"  # the shell's user, and a RESACOOP colleague
HOLDERS = [
    ("Puy Solidaire", "association", "Clermont-Ferrand", "CERAPCOOP", YOU, [
        (41, "rendez-vous", "Premier rendez-vous : projet d'échange de jeunes avec Kaolack (Sénégal)"),
        (27, "conseil", "Relecture du budget prévisionnel et du plan de financement"),
        (6, "orientation", "Orientée vers l'appel à projets de la Région pour l'ECSI"),
    ]),
    ("École élémentaire Jean Macé", "établissement scolaire", "Lyon", "RESACOOP", COLLEAGUE, [
        (33, "formation", "Atelier ECSI avec l'équipe enseignante pour la Semaine de la solidarité internationale"),
        (12, "conseil", "Aide au montage du dossier Festival des Solidarités"),
    ]),
]  # fmt: skip


def load_holders_demo(db: Database, now: datetime) -> None:
    """Add the two demo holders and their follow-up once (idempotent)."""
    if store.list_holders(db, channels=[CHANNEL]):
        return
    remember_name(db, YOU, "Vous", now)
    remember_name(db, COLLEAGUE, "Marie (RESACOOP)", now)
    paris = ZoneInfo("Europe/Paris")
    for name, structure, territory, network, referent, actions in HOLDERS:
        holder_id = store.add_holder(
            db, name=name, structure=structure, territory=territory,
            territory_key=territory_key(territory), network=network, referent=referent,
            channel_id=CHANNEL, now=now - timedelta(days=45),
        )  # fmt: skip
        for days_ago, kind, text in actions:
            day = (now - timedelta(days=days_ago)).astimezone(paris).date().isoformat()
            store.add_action(db, holder_id, author=referent, kind=kind, text=text, day=day, now=now)
