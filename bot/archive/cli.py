"""``veilleur export``, ``veilleur archive`` and ``veilleur restore``.

French lines, no tracebacks: a wrong path or value exits with status 2, a refusal or a failure
with status 1.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn

import click

from bot.core.cli import CliContext, pass_cli
from bot.core.config import Config

USAGE, FAILURE = 2, 1


def _fail(message: str, status: int = FAILURE) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(status)


def _existing_database(ctx: CliContext) -> Config:
    """Return the settings once VEILLEUR_DB is known to be a file (never create one)."""
    config = ctx.load_config()
    if not Path(config.db_path).is_file():
        _fail(
            f"Aucune base trouvée : {config.db_path} n'existe pas. Lancez la commande dans le"
            " dossier du bot, ou réglez VEILLEUR_DB.",
            USAGE,
        )
    return config


def _since(text: str | None, config: Config) -> datetime | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        _fail(
            f"Date non comprise : {text!r}. Écrivez-la AAAA-MM-JJ, par exemple 2027-01-11.", USAGE
        )
    return datetime(day.year, day.month, day.day, tzinfo=config.zone)


def _folder(text: str | None) -> Path:
    folder = Path(text or ".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"Impossible d'écrire dans {folder} : {error.strerror or error}.", USAGE)
    return folder


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option("--since", default=None, metavar="AAAA-MM-JJ", help="Only what is newer (local day).")
@click.option(
    "-o", "--output", default=None, metavar="DOSSIER",
    help="Folder to write into (JSON: default stdout; CSV: default the current folder).",
)  # fmt: skip
@pass_cli
def export(ctx: CliContext, fmt: str, since: str | None, output: str | None) -> None:
    """Export items, notes, sessions, decisions and history (JSON or CSV)."""
    import json

    from bot.archive.export import build_export, write_csv, write_json
    from storage.db import connect

    config = _existing_database(ctx)
    start = _since(since, config)
    config = ctx.migrated_config()
    with connect(config.db_path) as db:
        document = build_export(db, config.zone, datetime.now(UTC), start)
    if fmt == "json" and output is None:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    folder = _folder(output)
    try:
        paths = [write_json(document, folder)] if fmt == "json" else write_csv(document, folder)
    except OSError as error:
        _fail(f"Impossible d'écrire dans {folder} : {error.strerror or error}.", USAGE)
    counts = ", ".join(f"{len(document[k])} {label}" for k, label in _LABELS.items())
    click.echo(f"Export écrit ({counts}) : {', '.join(str(p) for p in paths)}", err=True)


_LABELS = {
    "items": "articles",
    "notes": "notes",
    "sessions": "sessions",
    "decisions": "décisions",
    "history": "événements",
}


@click.command("archive")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@pass_cli
def archive(ctx: CliContext, host: str, port: int) -> None:
    """Browse the team's archive in French with Datasette (read-only copy)."""
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        _fail(
            "Datasette n'est pas installé : pip install 'veilleur[archive]' (ou"
            " pipx inject veilleur datasette), puis relancez veilleur archive."
        )
    from bot.archive.serve import StopArchive, archive_copy, serve_archive

    config = _existing_database(ctx)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"Attention : {host} n'est pas une adresse locale et l'archive n'a pas de mot de"
            " passe ; mettez-la derrière un proxy qui demande une authentification.",
            err=True,
        )
    try:
        with archive_copy(config.db_path, config.tz) as (copy, metadata):
            click.echo(
                f"Archives en lecture seule sur http://{host}:{port}/ (copie de"
                f" {config.db_path} prise maintenant ; Ctrl-C pour arrêter).",
                err=True,
            )
            serve_archive(copy, metadata, host, port)
    except (sqlite3.Error, OSError) as error:
        _fail(f"Archive impossible : {error}.")
    except (KeyboardInterrupt, StopArchive):
        pass
    click.echo("Archives arrêtées ; la copie a été effacée.", err=True)


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@pass_cli
def restore(ctx: CliContext, source: str) -> None:
    """Replace the database by the backup SOURCE (the bot must be stopped)."""
    from bot.archive.running import ExclusiveRun, leader_pid
    from storage.backup import backup_database, integrity_problem, restore_database

    config = ctx.load_config()
    target = Path(config.db_path)
    if not Path(source).is_file():
        _fail(f"{source} n'existe pas (ou n'est pas un fichier) : rien n'a été restauré.", USAGE)
    if target.exists() and Path(source).resolve() == target.resolve():
        _fail(f"{source} est la base en service elle-même : rien n'a été restauré.", USAGE)
    problem = integrity_problem(source)
    if problem:
        _fail(
            f"{source} n'est pas une sauvegarde saine de Veilleur ({problem}) : rien n'a été restauré."
        )
    with ExclusiveRun(config.db_path) as run:
        if not run.acquired:
            pid = leader_pid(config.db_path)
            which = f" (processus {pid})" if pid else ""
            _fail(
                f"Veilleur tourne encore sur {config.db_path}{which} : arrêtez-le (par exemple"
                " systemctl stop veilleur) puis relancez la restauration. Rien n'a été restauré."
            )
        kept = None
        try:
            if target.exists():
                stamp = datetime.now(config.zone).strftime("%Y%m%d-%H%M%S")
                kept = target.with_name(f"{target.name}.avant-restauration-{stamp}")
                backup_database(target, kept)
            restore_database(source, target)
        except (sqlite3.Error, OSError) as error:
            _fail(f"Restauration impossible : {error}. La base en service n'a pas changé.")
    again = integrity_problem(target)
    if again:
        _fail(f"La base restaurée ne passe pas le contrôle d'intégrité ({again}).")
    where = f" ; l'ancienne base est gardée dans {kept}" if kept else ""
    click.echo(f"Base {target} restaurée depuis {source}{where}.")


COMMANDS = (export, archive, restore)
