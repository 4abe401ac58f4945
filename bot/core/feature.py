"""What a feature hands to the composition root: its commands, jobs, routes, messages, demo, CLI.

``bot/features.py`` lists the features once; ``bot/app.py``, ``bot/scheduler.py``, ``bot/web.py``,
the shell and the command line walk that list. Nothing registers itself by being imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import click
from sqlite_utils import Database

from bot.core.home import HomePart
from bot.core.i18n import Catalogue
from bot.core.item_parts import ItemPart
from bot.core.router import Subcommand
from bot.core.runtime import Runtime


@dataclass(frozen=True)
class Job:
    """An interval job taking the runtime as its only argument, under a stable id.

    ``executor`` names the scheduler's thread pool: reminders have their own, so slow feed
    polls can never delay them.
    """

    id: str
    run: Callable[[Runtime], object]
    seconds: float
    executor: str = "default"


@dataclass(frozen=True)
class Response:
    """A plain HTTP answer (HTTP mode only)."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Route:
    """``serve(runtime, query)`` answers ``method path`` in HTTP mode."""

    method: str
    path: str
    serve: Callable[[Runtime, dict[str, list[str]]], Response]


DemoLoader = Callable[[Database, datetime], None]


@dataclass(frozen=True)
class Feature:
    """One capability of the bot, as the composition root sees it."""

    name: str
    commands: tuple[Subcommand, ...] = ()
    jobs: tuple[Job, ...] = ()
    routes: tuple[Route, ...] = ()
    catalogue: Catalogue | None = None
    home: HomePart | None = None
    demo: DemoLoader | None = None
    cli: tuple[click.Command, ...] = ()  # added to the `veilleur` command line
    item_part: ItemPart | None = None  # extra blocks on every item message
