"""The validated settings every part of the bot reads (``bot/config.py`` builds them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DEFAULT_API_URL = "https://slack.com/api/"


class ConfigError(Exception):
    """One or more settings are invalid; ``problems`` has one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Config:
    """Validated settings; see the table in README.md."""

    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    db_path: str = "veilleur.db"
    lang: str = "fr"
    tz: str = "Europe/Paris"
    admins: frozenset[str] = field(default_factory=frozenset)
    digest_channel: str = ""
    ics_token: str = ""
    public_url: str = ""  # the bot's address from outside, no trailing "/" (VEILLEUR_PUBLIC_URL)
    allow_private_urls: bool = False
    port: int = 3000
    poll_minutes: int = 15  # each feed's poll interval (VEILLEUR_POLL_MINUTES)
    reactions: str = ""
    backup_dir: str = ""  # daily backups go here (VEILLEUR_BACKUP_DIR; empty: none)
    backup_keep: int = 7  # how many daily backups to keep (VEILLEUR_BACKUP_KEEP)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def mode(self) -> str:
        """Return ``socket``, ``http`` or ``shell`` as design.md's run modes say."""
        if self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        return "shell"

    def is_admin(self, user_id: str) -> bool:
        """Everyone is an admin while VEILLEUR_ADMINS is empty."""
        return not self.admins or user_id in self.admins
