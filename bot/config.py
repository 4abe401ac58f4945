"""Settings from the environment (and a ``.env`` file), validated once at start.

This is the only module that reads the environment. Every problem is reported on its own line
so an operator can fix them all in one go.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.config import DEFAULT_API_URL, Config, ConfigError
from bot.core.i18n import t
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
    lang = env.get("VEILLEUR_LANG", "fr").lower() or "fr"
    say = _sayer(lang if lang in LANGUAGES else "fr")  # the problems speak the team's language

    bot_token = env.get("SLACK_BOT_TOKEN", "")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append(say("config.bot_token_prefix"))
    app_token = env.get("SLACK_APP_TOKEN", "")
    if app_token and not app_token.startswith("xapp-"):
        problems.append(say("config.app_token_prefix"))
    if app_token and not bot_token:
        problems.append(say("config.app_token_alone"))

    if lang not in LANGUAGES:
        problems.append(say("config.lang", choices=", ".join(LANGUAGES), value=repr(lang)))

    tz = env.get("VEILLEUR_TZ", "Europe/Paris") or "Europe/Paris"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(say("config.tz", value=repr(tz)))

    db_path = env.get("VEILLEUR_DB", "veilleur.db") or "veilleur.db"
    problem = _check_writable(db_path, say)
    if problem:
        problems.append(problem)

    port_text = env.get("PORT", "3000") or "3000"
    port = 3000
    if port_text.isdigit() and 0 < int(port_text) < 65536:
        port = int(port_text)
    else:
        problems.append(say("config.port", value=repr(port_text)))

    minutes_text = env.get("VEILLEUR_POLL_MINUTES", "15") or "15"
    poll_minutes = 15
    if minutes_text.isdigit() and MIN_POLL_MINUTES <= int(minutes_text) <= MAX_POLL_MINUTES:
        poll_minutes = int(minutes_text)
    else:
        problems.append(
            say(
                "config.poll", low=MIN_POLL_MINUTES, high=MAX_POLL_MINUTES, value=repr(minutes_text)
            )
        )

    api_url = env.get("SLACK_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        problems.append(say("config.api_url", value=repr(api_url)))
    if not api_url.endswith("/"):
        api_url += "/"

    public_url = env.get("VEILLEUR_PUBLIC_URL", "").rstrip("/")
    if public_url and not _is_web_address(public_url):
        problems.append(say("config.public_url", value=repr(public_url)))

    private = env.get("VEILLEUR_ALLOW_PRIVATE_URLS", "0") or "0"
    if private not in ("0", "1"):
        problems.append(say("config.private", value=repr(private)))

    reactions = env.get("VEILLEUR_REACTIONS", "")
    if reactions:
        try:
            parse_reactions(reactions)
        except ValueError as error:
            problems.append(say("config.reactions", error=error))

    backup_dir = env.get("VEILLEUR_BACKUP_DIR", "")
    if backup_dir and not _writable_folder(backup_dir):
        problems.append(say("config.backup_dir", value=repr(backup_dir)))
    keep_text = env.get("VEILLEUR_BACKUP_KEEP", "7") or "7"
    backup_keep = 7
    if keep_text.isdigit() and MIN_BACKUP_KEEP <= int(keep_text) <= MAX_BACKUP_KEEP:
        backup_keep = int(keep_text)
    else:
        problems.append(
            say(
                "config.backup_keep",
                low=MIN_BACKUP_KEEP,
                high=MAX_BACKUP_KEEP,
                value=repr(keep_text),
            )
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
        public_url=public_url,
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
        lang = cli_language()
        for problem in error.problems:
            click.echo(t("config.error", lang, problem=problem), err=True)
        sys.exit(2)


def cli_language() -> str:
    """Return the team's language for the command line's help and lines (VEILLEUR_LANG, or fr).

    Read on its own, before the settings are checked: even a wrong setting is reported, and
    ``--help`` printed, in the team's language.
    """
    lang = os.environ.get("VEILLEUR_LANG")
    if lang is None:
        from dotenv import dotenv_values

        lang = dotenv_values(".env").get("VEILLEUR_LANG") or ""
    lang = lang.strip().lower()
    return lang if lang in LANGUAGES else "fr"


def _sayer(lang: str) -> Callable[..., str]:
    """Return ``t`` bound to ``lang``, for the problem lines."""
    return lambda key, **params: t(key, lang, **params)


def missing_tokens_notice(config: Config) -> str:
    """Name exactly which Slack setting is missing, for a start that falls back to the shell."""
    if config.bot_token:
        return t("run.incomplete_tokens", config.lang)
    if config.signing_secret:
        return t("run.secret_without_bot_token", config.lang)
    return t("run.no_tokens", config.lang)


def _is_web_address(url: str) -> bool:
    """Tell whether ``url`` is an http(s) address with a host and nothing after its path."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not (parts.query or parts.fragment)
    )


def _writable_folder(folder: str) -> bool:
    """Tell whether ``folder`` exists and files can be created in it."""
    path = Path(folder).expanduser()
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def _check_writable(db_path: str, say: Callable[..., str]) -> str | None:
    """Return a problem line when the database file cannot be created or written."""
    if db_path == ":memory:":
        return None
    path = Path(db_path).expanduser()
    if path.exists():
        if path.is_dir() or not os.access(path, os.W_OK):
            return say("config.db_file", value=repr(db_path))
        return None
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return say("config.db_folder_missing", value=repr(db_path), folder=repr(str(folder)))
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return say("config.db_folder_readonly", value=repr(db_path), folder=repr(str(folder)))
    return None
