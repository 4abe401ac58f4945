"""Settings from the environment (and a ``.env`` file), validated once at start.

This is the only module that reads the environment. Every problem is reported on its own line
so an operator can fix them all in one go.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.config import DEFAULT_API_URL, Config, ConfigError
from bot.items.states import parse_reactions

LANGUAGES = ("fr", "en")
# Every minute at most (the job's tick), once a day at least.
MIN_POLL_MINUTES, MAX_POLL_MINUTES = 1, 1440
MIN_BACKUP_KEEP, MAX_BACKUP_KEEP = 1, 365


def load_config(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Config:
    """Read and validate settings; raise :class:`ConfigError` listing every problem."""
    if environ is None:
        if dotenv:
            from dotenv import dotenv_values

            file_values = {k: v for k, v in dotenv_values(".env").items() if v is not None}
            environ = {**file_values, **os.environ}
        else:
            environ = os.environ
    env = {k: v.strip() for k, v in environ.items()}
    problems: list[str] = []

    bot_token = env.get("SLACK_BOT_TOKEN", "")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must start with 'xoxb-' (the Bot User OAuth Token).")
    app_token = env.get("SLACK_APP_TOKEN", "")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must start with 'xapp-' (an app-level token).")
    if app_token and not bot_token:
        problems.append("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing.")

    lang = env.get("VEILLEUR_LANG", "fr").lower() or "fr"
    if lang not in LANGUAGES:
        problems.append(f"VEILLEUR_LANG must be one of {', '.join(LANGUAGES)}, not {lang!r}.")

    tz = env.get("VEILLEUR_TZ", "Europe/Paris") or "Europe/Paris"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"VEILLEUR_TZ {tz!r} is not a known time zone (e.g. Europe/Paris).")

    db_path = env.get("VEILLEUR_DB", "veilleur.db") or "veilleur.db"
    problem = _check_writable(db_path)
    if problem:
        problems.append(problem)

    port_text = env.get("PORT", "3000") or "3000"
    port = 3000
    if port_text.isdigit() and 0 < int(port_text) < 65536:
        port = int(port_text)
    else:
        problems.append(f"PORT must be a number between 1 and 65535, not {port_text!r}.")

    minutes_text = env.get("VEILLEUR_POLL_MINUTES", "15") or "15"
    poll_minutes = 15
    if minutes_text.isdigit() and MIN_POLL_MINUTES <= int(minutes_text) <= MAX_POLL_MINUTES:
        poll_minutes = int(minutes_text)
    else:
        problems.append(
            f"VEILLEUR_POLL_MINUTES must be a number of minutes between {MIN_POLL_MINUTES}"
            f" and {MAX_POLL_MINUTES}, not {minutes_text!r}."
        )

    api_url = env.get("SLACK_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        problems.append(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}.")
    if not api_url.endswith("/"):
        api_url += "/"

    private = env.get("VEILLEUR_ALLOW_PRIVATE_URLS", "0") or "0"
    if private not in ("0", "1"):
        problems.append(f"VEILLEUR_ALLOW_PRIVATE_URLS must be 0 or 1, not {private!r}.")

    reactions = env.get("VEILLEUR_REACTIONS", "")
    if reactions:
        try:
            parse_reactions(reactions)
        except ValueError as error:
            problems.append(f"VEILLEUR_REACTIONS: {error}.")

    backup_dir = env.get("VEILLEUR_BACKUP_DIR", "")
    if backup_dir and not _writable_folder(backup_dir):
        problems.append(f"VEILLEUR_BACKUP_DIR {backup_dir!r} is not a writable folder.")
    keep_text = env.get("VEILLEUR_BACKUP_KEEP", "7") or "7"
    backup_keep = 7
    if keep_text.isdigit() and MIN_BACKUP_KEEP <= int(keep_text) <= MAX_BACKUP_KEEP:
        backup_keep = int(keep_text)
    else:
        problems.append(
            f"VEILLEUR_BACKUP_KEEP must be a number of files between {MIN_BACKUP_KEEP}"
            f" and {MAX_BACKUP_KEEP}, not {keep_text!r}."
        )

    if problems:
        raise ConfigError(problems)
    return Config(
        bot_token=bot_token,
        signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
        app_token=app_token,
        api_url=api_url,
        db_path=db_path,
        lang=lang,
        tz=tz,
        admins=frozenset(a for a in env.get("VEILLEUR_ADMINS", "").replace(",", " ").split() if a),
        digest_channel=env.get("VEILLEUR_DIGEST_CHANNEL", ""),
        ics_token=env.get("VEILLEUR_ICS_TOKEN", ""),
        allow_private_urls=private == "1",
        port=port,
        poll_minutes=poll_minutes,
        reactions=reactions,
        backup_dir=backup_dir,
        backup_keep=backup_keep,
    )


def load_config_or_exit() -> Config:
    """Return the settings for a `veilleur` command, or print each problem and exit with 2."""
    import click

    try:
        return load_config()
    except ConfigError as error:
        for problem in error.problems:
            click.echo(f"Configuration error: {problem}", err=True)
        sys.exit(2)


def _writable_folder(folder: str) -> bool:
    path = Path(folder).expanduser()
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def _check_writable(db_path: str) -> str | None:
    """Return a problem line when the database file cannot be created or written."""
    if db_path == ":memory:":
        return None
    path = Path(db_path).expanduser()
    if path.exists():
        if path.is_dir() or not os.access(path, os.W_OK):
            return f"VEILLEUR_DB {db_path!r} is not a writable file."
        return None
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"VEILLEUR_DB {db_path!r}: folder {str(folder)!r} does not exist."
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return f"VEILLEUR_DB {db_path!r}: folder {str(folder)!r} is not writable."
    return None
