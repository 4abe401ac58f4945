"""Command line: ``veilleur`` (run), ``shell``, ``manifest``, ``backup`` and the domains' commands.

``python -m bot`` and the ``veilleur`` script choose the run mode from the settings: Socket Mode
when SLACK_APP_TOKEN is set, HTTP mode with a bot token and signing secret, else the local shell.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import replace

import click

from bot import features
from bot.config import cli_language, load_config_or_exit, missing_tokens_notice
from bot.core.cli import USAGE, CliContext, RootGroup, fail, say
from bot.core.config import Config

logger = logging.getLogger("veilleur")
# SIGTERM to exit: the jobs, posts and parses in flight get this long to finish, in all.
STOP_BUDGET_SECONDS = 10.0
_RUN_LOCKS: list[object] = []  # the run lock's open file, for the life of the process


def _prepare(config: Config) -> None:
    from bot.archive.running import RunLockBusy, hold_run_lock
    from bot.logs import setup_logging
    from storage.db import connect
    from storage.migrations import apply_migrations

    setup_logging((config.bot_token, config.app_token, config.signing_secret))
    try:  # held until the process ends: `veilleur restore` refuses while it is held
        _RUN_LOCKS.append(hold_run_lock(config.db_path))
    except RunLockBusy:
        fail("cli.run_lock_busy", path=config.db_path)
    with connect(config.db_path) as db:
        apply_migrations(db)


@click.group(
    cls=RootGroup,
    invoke_without_command=True,
    help="cli.veilleur.help",
    language=cli_language,
    prepare=features.install_catalogues,
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.obj = CliContext(load_config_or_exit)
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


@cli.command(help="cli.run.help")
def run() -> None:
    config = load_config_or_exit()
    if config.mode == "shell":
        click.echo(missing_tokens_notice(config))
        start_shell(config, demo=False)
        return
    _prepare(config)
    from bot.app import build_app
    from bot.scheduler import start_scheduler

    app, runtime = build_app(config)
    install_stop_signals()
    scheduler = start_scheduler(runtime, features.jobs())
    try:
        if config.mode == "socket":
            serve_socket_mode(app, config.app_token)
        else:
            serve_http(app, runtime, scheduler)
    except StopRequested:
        pass  # waitress returns on it by itself; Socket Mode's wait raises it
    except BaseException:
        stop_cleanly(scheduler, budget=2.0, exit_code=None, background=app.background)
        raise
    stop_cleanly(scheduler, background=app.background)


class StopRequested(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM or SIGINT; waitress ends its loop on it."""


def _raise_stop(signum: int, _frame: object) -> None:
    # The stop runs once: a second signal while it runs must not cut it short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logger.info("received %s: stopping", signal.Signals(signum).name)
    raise StopRequested(signal.Signals(signum).name)


def install_stop_signals() -> None:
    """Turn SIGTERM and SIGINT into :class:`StopRequested` (SIGTERM's default skips all cleanup)."""
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)


def stop_cleanly(  # type: ignore[no-untyped-def]
    scheduler,
    budget: float = STOP_BUDGET_SECONDS,
    exit_code: int | None = 0,
    background=None,
) -> None:
    """Stop the jobs, let running ones finish (``budget`` s in all), close the watch, then exit.

    Exit at once when a thread is still busy after the budget: a hung post must not hold up a
    supervisor's restart, and every process the bot started is already stopped by then. With
    ``exit_code`` None, clean up and return (the caller re-raises what went wrong).
    """
    from bot.scheduler import stop_scheduler
    from bot.watch.jobs import stop_watch

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    deadline = time.monotonic() + budget
    jobs_ended = stop_scheduler(scheduler, budget)
    watch_ended = stop_watch(max(0.5, deadline - time.monotonic()))
    if background is not None:  # the slow parts of requests already acknowledged
        background.shutdown(wait=True, timeout=max(0.5, deadline - time.monotonic()))
    if exit_code is None:
        return
    me = threading.current_thread()
    busy = [t.name for t in threading.enumerate() if not t.daemon and t is not me]
    if jobs_ended and watch_ended and not busy:
        logger.info("Veilleur stopped cleanly")
        logging.shutdown()
        sys.exit(exit_code)
    unfinished = ", ".join(busy) or ("jobs" if not jobs_ended else "watch")
    logger.warning("Veilleur stopped after %.0f s with work unfinished: %s", budget, unfinished)
    logging.shutdown()
    os._exit(exit_code)  # the threads left would hold the interpreter's exit forever


def serve_socket_mode(app, app_token: str) -> None:  # type: ignore[no-untyped-def]
    """Hold a Socket Mode connection until a stop signal, then close it."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    logger.info("starting in Socket Mode")
    handler = SocketModeHandler(app, app_token)
    try:
        handler.start()
    finally:
        handler.close()


def serve_http(app, runtime, scheduler) -> None:  # type: ignore[no-untyped-def]
    """Serve POST /slack/events and GET /healthz on $PORT with waitress until a stop signal."""
    import waitress
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.web import build_wsgi, server_options

    wsgi = build_wsgi(
        SlackRequestHandler(app),
        runtime,
        lambda: bool(scheduler and scheduler.running),
        features.routes(),
    )
    server = waitress.create_server(
        wsgi, host="0.0.0.0", port=runtime.config.port, **server_options()
    )
    logger.info("HTTP mode on port %s", runtime.config.port)
    try:
        server.run()  # on StopRequested it lets the requests in flight finish (5 s) and returns
    finally:
        server.close()


@cli.command(help="cli.shell.help")
@click.option("--demo", is_flag=True, help="cli.shell.demo")
def shell(demo: bool) -> None:
    start_shell(load_config_or_exit(), demo=demo)


def start_shell(config: Config, *, demo: bool) -> None:
    """Wire the local Slack stand-in, the Bolt app and the terminal loop together."""
    from slack_bolt.request import BoltRequest

    from bot.app import build_app
    from bot.core.runtime import Clock
    from bot.local.demo import load_demo
    from bot.local.localslack import LocalSlack
    from bot.local.shell import Shell
    from bot.local.signing import signed_headers
    from bot.scheduler import run_due_jobs, start_scheduler
    from storage.db import connect

    stand_in = LocalSlack().start()
    config = replace(
        config,
        bot_token="xoxb-local-shell",
        signing_secret="local-shell-secret",
        api_url=stand_in.url,
        app_token="",
    )
    _prepare(config)
    logging.getLogger().setLevel(logging.WARNING)
    clock = Clock()
    stand_in.clock = lambda: clock().timestamp()  # message ts follow the shell's movable clock
    app, runtime = build_app(config, clock=clock)
    if demo:
        with connect(config.db_path) as db:
            load_demo(db, clock(), [f.demo for f in features.FEATURES if f.demo])
    jobs = features.jobs()
    scheduler = start_scheduler(runtime, jobs)

    def deliver(body: str, content_type: str) -> tuple[int, str]:
        headers = signed_headers(config.signing_secret, body, content_type=content_type)
        response = app.dispatch(
            BoltRequest(body=body, headers={k.lower(): v for k, v in headers.items()})
        )
        return response.status, response.body

    console = Shell(
        deliver=deliver,
        stand_in=stand_in,
        clock=clock,
        db_path=config.db_path,
        lang=config.lang,
        tz=config.tz,
        run_jobs=lambda: run_due_jobs(runtime, jobs),
        jobs_at_start=demo,
        commands=tuple(features.routers()),
        admins=tuple(sorted(config.admins)),
    )
    stand_in.on_call = console.show_call
    try:
        console.run(prompt=sys.stdin.isatty())
    finally:
        if scheduler:
            scheduler.shutdown(wait=False)
        stand_in.stop()


@cli.command(help="cli.manifest.help")
@click.option("--url", default=None, help="cli.manifest.url")
def manifest(url: str | None) -> None:
    from bot.manifest import build_manifest

    click.echo(json.dumps(build_manifest(url), indent=2, ensure_ascii=False))


@cli.command(help="cli.backup.help")
@click.argument("destination", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="cli.backup.force")
def backup(destination: str, force: bool) -> None:
    """Copy the live database to ``destination``; refuse a missing source or an existing file."""
    import sqlite3
    from pathlib import Path

    from storage.backup import backup_database

    source = load_config_or_exit().db_path
    if not Path(source).is_file():
        fail("cli.backup.no_source", USAGE, source=source)
    if Path(destination).exists() and not force:
        fail("cli.backup.exists", USAGE, destination=destination)
    try:
        backup_database(source, destination)
    except (sqlite3.Error, OSError) as error:
        fail("cli.backup.failed", USAGE, destination=destination, error=error)
    click.echo(say("cli.backup.written", destination=destination))


for command in (command for feature in features.FEATURES for command in feature.cli):
    cli.add_command(command)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
