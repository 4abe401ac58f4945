"""``veilleur archive``: the team's database, browsable in French with Datasette, read-only.

Why a copy: the views (French names, local times, names instead of Slack IDs), the search on
notes and the removal of deleted notes all need writing, and the team's database must not be
written by a reader. So the archive takes an online backup of it (source opened read-only, as
``veilleur backup`` does), shapes that copy (``storage.archive.prepare_copy``) and serves the
copy with ``datasette serve --immutable``; it shows the database as it was when the command
started (restart it to refresh) and the copy is deleted when it stops.
"""

from __future__ import annotations

import json
import signal
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.archive.localtime import offset_periods
from bot.archive.metadata import DATABASE, build_metadata
from bot.core.i18n import catalogue_keys, has, t
from bot.core.names import mentions_to_names
from storage.archive import object_names, prepare_copy
from storage.backup import backup_database
from storage.db import open_database
from storage.migrations import apply_migrations
from storage.people import known_names

ERROR_PREFIX = "watch.error."


def feed_error_texts() -> dict[str, str]:
    """Return the French text of every feed error code (the feeds table stores codes)."""
    texts = {}
    for key in sorted(k for k in catalogue_keys("fr") if k.startswith(ERROR_PREFIX)):
        if key.endswith((".no_status", ".one", ".other")):
            continue
        plain = f"{key}.no_status"  # the status is not stored: the wording made for that
        texts[key.removeprefix(ERROR_PREFIX)] = t(plain if has(plain) else key, "fr")
    return texts


def build_copy(source: str, folder: Path, tz: str) -> tuple[Path, Path]:
    """Copy ``source`` into ``folder``, shape it, write its metadata; return both paths."""
    copy = folder / f"{DATABASE}.db"
    backup_database(source, copy)
    db = open_database(copy)
    with closing(db.conn):
        apply_migrations(db)  # an older backup served by newer code still fits the views
        names = known_names(db)
        prepare_copy(
            db, offset_periods(ZoneInfo(tz)), feed_error_texts(),
            lambda text: mentions_to_names(text or "", names),
        )  # fmt: skip
        objects = object_names(db)
    metadata = folder / "metadata.json"
    metadata.write_text(json.dumps(build_metadata(objects, tz), ensure_ascii=False, indent=2))
    return copy, metadata


@contextmanager
def archive_copy(source: str, tz: str) -> Iterator[tuple[Path, Path]]:
    """Yield the shaped copy and its metadata in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="veilleur-archive-") as folder:
        yield build_copy(source, Path(folder), tz)


def datasette_arguments(copy: Path, metadata: Path, host: str, port: int) -> list[str]:
    """Return ``datasette serve``'s arguments: immutable, local by default, no download."""
    return [
        "serve", "--immutable", str(copy), "--metadata", str(metadata),
        "--host", host, "--port", str(port),
        "--setting", "allow_download", "off",  # the copy holds hidden internal tables too
        "--setting", "default_page_size", "50",
        "--setting", "sql_time_limit_ms", "3000",
    ]  # fmt: skip


class StopArchive(Exception):
    """SIGTERM reached the archive: stop serving and remove the copy."""


def _stop(signum: int, _frame: object) -> None:
    raise StopArchive(signal.Signals(signum).name)


def serve_archive(copy: Path, metadata: Path, host: str, port: int) -> None:
    """Run Datasette in this process until SIGINT or SIGTERM, then return.

    Uvicorn stops on either signal and then re-raises it to the handler it found: SIGTERM's
    default would end the process before the copy is removed, so ours raises instead.
    """
    from datasette.cli import cli as datasette_cli

    signal.signal(signal.SIGTERM, _stop)

    datasette_cli.main(
        args=datasette_arguments(copy, metadata, host, port),
        prog_name="datasette",
        standalone_mode=False,
    )
