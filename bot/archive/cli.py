"""``veilleur export``, ``veilleur archive`` and ``veilleur restore``.

Lines in the team's language, no tracebacks: a wrong path or value exits with status 2, a refusal or a failure
with status 1.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import click

from bot.core.cli import USAGE, CliContext, Command, cli_lang, fail, os_reason, pass_cli, say
from bot.core.config import Config
from bot.core.plural import tn


def _existing_database(ctx: CliContext) -> Config:
    """Return the settings once VEILLEUR_DB is known to be a file (never create one)."""
    config = ctx.load_config()
    if not Path(config.db_path).is_file():
        fail("cli.no_database", USAGE, path=config.db_path)
    return config


def _since(text: str | None, config: Config) -> datetime | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        fail("cli.bad_day", USAGE, text=text)
    return datetime(day.year, day.month, day.day, tzinfo=config.zone)


def _folder(text: str | None) -> Path:
    folder = Path(text or ".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail("cli.cannot_write_in", USAGE, folder=folder, error=os_reason(error))
    return folder


@click.command("export", cls=Command, help="cli.export.help")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option("--since", default=None, metavar="cli.export.since_metavar", help="cli.export.since")
@click.option("-o", "--output", default=None, metavar="cli.export.output_metavar",
              help="cli.export.output")  # fmt: skip
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
        fail("cli.cannot_write_in", USAGE, folder=folder, error=os_reason(error))
    counts = ", ".join(tn(f"cli.export.{part}", cli_lang(), len(document[part])) for part in _PARTS)
    paths_text = ", ".join(str(p) for p in paths)
    click.echo(say("cli.export.written", counts=counts, paths=paths_text), err=True)


_PARTS = ("items", "notes", "sessions", "decisions", "history")


@click.command("archive", cls=Command, help="cli.archive.help")
@click.option("--host", default="127.0.0.1", show_default=True, help="cli.archive.host")
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="cli.archive.port",
)
@pass_cli
def archive(ctx: CliContext, host: str, port: int) -> None:
    """Serve a read-only copy of the database with Datasette, until Ctrl-C."""
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        fail("cli.archive.no_datasette")
    from bot.archive.serve import StopArchive, archive_copy, serve_archive

    config = _existing_database(ctx)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(say("cli.archive.not_local", host=host), err=True)
    try:
        with archive_copy(config.db_path, config.tz) as (copy, metadata):
            click.echo(
                say("cli.archive.serving", host=host, port=port, path=config.db_path), err=True
            )
            serve_archive(copy, metadata, host, port)
    except (sqlite3.Error, OSError) as error:
        fail("cli.archive.failed", error=error)
    except (KeyboardInterrupt, StopArchive):
        pass
    click.echo(say("cli.archive.stopped"), err=True)


@click.command("restore", cls=Command, help="cli.restore.help")
@click.argument("source", type=click.Path(dir_okay=False))
@pass_cli
def restore(ctx: CliContext, source: str) -> None:
    """Replace the database by the backup ``source``, keeping the old one beside it."""
    from bot.archive.running import ExclusiveRun, leader_pid
    from storage.backup import backup_database, integrity_problem, restore_database

    config = ctx.load_config()
    target = Path(config.db_path)
    if not Path(source).is_file():
        fail("cli.restore.missing", USAGE, source=source)
    if target.exists() and Path(source).resolve() == target.resolve():
        fail("cli.restore.same", USAGE, source=source)
    problem = integrity_problem(source)
    if problem:
        fail("cli.restore.unsound", source=source, problem=problem)
    with ExclusiveRun(config.db_path) as run:
        if not run.acquired:
            pid = leader_pid(config.db_path)
            which = say("cli.restore.process", pid=pid) if pid else ""
            fail("cli.restore.running", path=config.db_path, which=which)
        kept = None
        try:
            if target.exists():
                stamp = datetime.now(config.zone).strftime("%Y%m%d-%H%M%S")
                kept = target.with_name(f"{target.name}.avant-restauration-{stamp}")
                backup_database(target, kept)
            restore_database(source, target)
        except (sqlite3.Error, OSError) as error:
            fail("cli.restore.failed", error=error)
    again = integrity_problem(target)
    if again:
        fail("cli.restore.unsound_after", problem=again)
    if kept:
        click.echo(say("cli.restore.done_kept", target=target, source=source, kept=kept))
    else:
        click.echo(say("cli.restore.done", target=target, source=source))


COMMANDS = (export, archive, restore)
