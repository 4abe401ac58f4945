"""The house rules of the layout, checked on every run (a backward import fails the suite).

Floors, from the top down; a module imports only from its own floor or the floors below:

1. the composition root: the top-level modules of ``bot/`` (``__main__``, ``app``, ``config``,
   ``features``, ``scheduler``, ``web``…) and ``bot/local/`` (the shell and its stand-ins);
2. ``handlers/``: Slack payloads in, feature calls out;
3. the features: ``bot/watch``, ``bot/items``, ``bot/meetings``, ``bot/digest``, ``bot/holders``,
   ``bot/calls``, ``bot/archive``. A feature may
   use another only where ``FEATURE_USES`` below says so (the watch posts items, the digest
   counts them), never in a circle;
4. ``bot/core/``: what every feature shares (router, messenger port, i18n, dates, mrkdwn…);
5. ``storage/``: SQL only; it imports nothing from ``bot/``, and no SQL is written anywhere else.

Commands and forms share the features' use-cases: no module of ``bot/`` imports a feature's
``*commands`` module but the table of contents (the forms call ``meetings.recording`` as the
``/session`` and ``/decision`` commands do).

Nothing registers itself by being imported: ``bot/features.py`` lists the parts, so a module's
top level holds imports, definitions and assignments, never a call whose result is dropped.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ("watch", "items", "meetings", "digest", "holders", "calls", "archive")
FEATURE_USES = {
    "watch": {"items"},
    "digest": {"items", "calls"},
    "items": set(),
    "meetings": set(),
    "holders": {"meetings"},  # the follow-up log reads dates with the meetings' grammar
    # calls read deadlines with the meetings' French date grammar, post links as the watch does
    "calls": {"items", "watch", "meetings"},
    "archive": set(),
}
FLOORS = {"root": 1, "handlers": 2, "feature": 3, "core": 4, "storage": 5}
MAX_TOP_LEVEL_MODULES = 12


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def place(module: str) -> tuple[str, str | None] | None:
    """Return (floor, feature) of a first-party module, None for anything else."""
    parts = module.split(".")
    if parts[0] in ("storage", "handlers"):
        return parts[0], None
    if parts[0] != "bot":
        return None
    if len(parts) > 1 and parts[1] in FEATURES:
        return "feature", parts[1]
    if len(parts) > 1 and parts[1] == "core":
        return "core", None
    return "root", None


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def code_files() -> list[Path]:
    return sorted(
        p for folder in ("bot", "handlers", "storage") for p in (ROOT / folder).rglob("*.py")
    )


def backward_imports(module: str, source: str) -> list[str]:
    """Return the imports of ``module`` that go up a floor or across features unannounced."""
    here = place(module)
    assert here is not None
    wrong = []
    for target in sorted(imported_modules(ast.parse(source))):
        there = place(target)
        if there is None or target == "bot":
            continue
        across = here[0] == there[0] == "feature" and here[1] != there[1]
        if FLOORS[there[0]] < FLOORS[here[0]]:
            wrong.append(f"{target} (floor {there[0]} is above {here[0]})")
        elif across and there[1] not in FEATURE_USES[here[1]]:
            wrong.append(f"{target} (feature {here[1]} does not use {there[1]})")
    return wrong


@pytest.mark.parametrize("path", code_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_only_go_down(path):
    assert backward_imports(module_name(path), path.read_text()) == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("storage.items", "from bot.items.states import ItemStatus"),
        ("storage.items", "import bot.watch.normalise"),
        ("bot.core.router", "from bot.app import build_app"),
        ("bot.core.i18n", "from bot.items import messages"),
        ("bot.items.home", "from bot.meetings.render import mention"),
        ("bot.items.render.message", "from bot.watch import messages"),
        ("handlers.events", "from bot.scheduler import run_due_jobs"),
    ],
)
def test_the_rule_catches_a_backward_import(module, source):
    assert backward_imports(module, source)


def test_features_use_each_other_without_a_circle():
    def reaches(start: str, goal: str, seen: frozenset = frozenset()) -> bool:
        return any(
            used == goal or (used not in seen and reaches(used, goal, seen | {used}))
            for used in FEATURE_USES[start]
        )

    assert not [feature for feature in FEATURES if reaches(feature, feature)]


@pytest.mark.parametrize("path", code_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_table_of_contents_imports_command_modules(path):
    module = module_name(path)
    if module == "bot.features" or not module.startswith("bot."):
        return
    imported = imported_modules(ast.parse(path.read_text()))
    commands = {name for name in imported if name.split(".")[-1].endswith("commands")}
    assert {name for name in commands if name.split(".")[1] in FEATURES} == set()


SQL_CALL = re.compile(r"\.(execute|executemany|executescript|query)\(")


@pytest.mark.parametrize(
    "path",
    [p for p in code_files() if not p.is_relative_to(ROOT / "storage")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_sql_is_written_only_in_storage(path):
    assert SQL_CALL.findall(path.read_text()) == []


def top_level_calls(module: str, source: str) -> list[str]:
    """Return the module-level statements that run code for its side effects (registration)."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant):
            found.append(f"line {node.lineno}: {ast.unparse(node)[:60]}")
        elif isinstance(node, ast.For | ast.While | ast.With) and module != "bot.__main__":
            found.append(f"line {node.lineno}: {ast.unparse(node).splitlines()[0]}")
    return found


@pytest.mark.parametrize("path", code_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_registers_anything_at_import_time(path):
    source = path.read_text()
    assert top_level_calls(module_name(path), source) == []
    assert "noqa: F401" not in source


@pytest.mark.parametrize(
    "source",
    [
        'register_job("poll_feeds", run_poll, seconds=60)',
        'veille.subcommand("flux")(feeds_command)',
        "for name in NAMES:\n    declare(name)",
    ],
)
def test_the_rule_catches_registration_on_import(source):
    assert top_level_calls("bot.watch.jobs", source)


def test_bot_keeps_at_most_a_dozen_top_level_modules():
    modules = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules


def test_every_feature_package_is_in_the_table_of_contents():
    from bot.features import FEATURES as LISTED

    packages = {p.name for p in (ROOT / "bot").iterdir() if (p / "__init__.py").exists()}
    assert packages - {"core", "local"} == set(FEATURES)
    assert set(FEATURES) <= {feature.name for feature in LISTED}
