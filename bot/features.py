"""The table of contents: every feature of the bot, and what each one brings.

This list is the only place where the parts are wired in, in the spirit of datasette's
``DEFAULT_PLUGINS`` and the Bolt templates' ``register_listeners``: ``bot/app.py`` routes the
subcommands and installs the messages, ``bot/scheduler.py`` runs the jobs, ``bot/web.py`` serves
the routes, the shell loads the demos and ``bot/__main__.py`` adds the command-line groups.
Nothing registers itself by being imported: a part missing here is simply not there.

The order matters where people see it: subcommands appear in ``aide`` in this order, and the App
Home shows the features' parts from top to bottom.
"""

from __future__ import annotations

from bot import housekeeping
from bot.archive import backups as archive_backups
from bot.archive import cli as archive_cli
from bot.archive import messages as archive_messages
from bot.calls import commands as call_commands
from bot.calls import demo as calls_demo
from bot.calls import home as calls_home
from bot.calls import jobs as calls_jobs
from bot.calls import messages as calls_messages
from bot.calls import render as calls_render
from bot.core import messages as core_messages
from bot.core.feature import Feature, Job, Route
from bot.core.home import HomePart
from bot.core.i18n import install
from bot.core.item_parts import install_item_parts
from bot.core.router import Router, build_routers
from bot.digest import cli as digest_cli
from bot.digest import commands as digest_commands
from bot.digest import job as digest_job
from bot.digest import messages as digest_messages
from bot.holders import cli as holders_cli
from bot.holders import commands as holder_commands
from bot.holders import demo as holders_demo
from bot.holders import messages as holder_messages
from bot.items import commands as item_commands
from bot.items import home as item_home
from bot.items import messages as item_messages
from bot.meetings import calendar_route, decision_commands, session_commands
from bot.meetings import cli as meetings_cli
from bot.meetings import demo as meetings_demo
from bot.meetings import home as meetings_home
from bot.meetings import jobs as meetings_jobs
from bot.meetings import messages as meetings_messages
from bot.watch import cli as watch_cli
from bot.watch import commands as watch_commands
from bot.watch import demo as watch_demo
from bot.watch import jobs as watch_jobs
from bot.watch import messages as watch_messages

FEATURES: tuple[Feature, ...] = (
    Feature(
        "watch",
        commands=watch_commands.COMMANDS,
        jobs=watch_jobs.JOBS,
        catalogue=watch_messages.MESSAGES,
        demo=watch_demo.load_watch_demo,
        cli=(watch_cli.feeds,),
    ),
    Feature(
        "items",
        commands=item_commands.COMMANDS,
        catalogue=item_messages.MESSAGES,
        home=item_home.build_items_home,
    ),
    Feature(
        "calls",
        commands=call_commands.COMMANDS,
        jobs=calls_jobs.JOBS,
        catalogue=calls_messages.MESSAGES,
        home=calls_home.build_calls_home,
        demo=calls_demo.load_calls_demo,
        item_part=calls_render.item_part,
    ),
    Feature(
        "digest",
        commands=digest_commands.COMMANDS,
        jobs=digest_job.JOBS,
        catalogue=digest_messages.MESSAGES,
        cli=(digest_cli.digest,),
    ),
    Feature(
        "meetings",
        commands=session_commands.COMMANDS + decision_commands.COMMANDS,
        jobs=meetings_jobs.JOBS,
        routes=calendar_route.ROUTES,
        catalogue=meetings_messages.MESSAGES,
        home=meetings_home.build_meetings_home,
        demo=meetings_demo.load_meetings_demo,
        cli=meetings_cli.COMMANDS,
    ),
    Feature(
        "holders",
        commands=holder_commands.COMMANDS,
        catalogue=holder_messages.MESSAGES,
        demo=holders_demo.load_holders_demo,
        cli=(holders_cli.holders,),
    ),
    Feature("housekeeping", jobs=housekeeping.JOBS),
    Feature(
        "archive",
        jobs=archive_backups.JOBS,
        catalogue=archive_messages.MESSAGES,
        cli=archive_cli.COMMANDS,
    ),
)


def routers(features: tuple[Feature, ...] = FEATURES) -> dict[str, Router]:
    """Return the slash commands' routers, subcommands in the features' order."""
    return build_routers(sub for feature in features for sub in feature.commands)


def jobs(features: tuple[Feature, ...] = FEATURES) -> tuple[Job, ...]:
    """Return every scheduled job."""
    return tuple(job for feature in features for job in feature.jobs)


def routes(features: tuple[Feature, ...] = FEATURES) -> tuple[Route, ...]:
    """Return every plain HTTP route of HTTP mode."""
    return tuple(route for feature in features for route in feature.routes)


def home_parts(features: tuple[Feature, ...] = FEATURES) -> tuple[HomePart, ...]:
    """Return the App Home's parts, top to bottom."""
    return tuple(feature.home for feature in features if feature.home)


def install_catalogues(features: tuple[Feature, ...] = FEATURES) -> None:
    """Make the shared messages and every feature's messages available to ``t()``.

    The features' item-message parts (a call's deadline) are installed with them: both are
    what every entry point (app, shell, command line, tests) sets up once before drawing.
    """
    install([core_messages.MESSAGES, *(f.catalogue for f in features if f.catalogue)])
    install_item_parts(f.item_part for f in features if f.item_part)
