"""The yearly record of support to project holders, as CSV or Markdown, with names, not IDs.

CSV: one row per support action, each carrying its network, holder and team member, so a
spreadsheet's pivot table gives any total. Markdown: totals per network and per team member,
then each holder's actions. Text typed in Slack is neutralised for each format: a CSV cell
cannot start a formula, a Markdown cell cannot break its table or turn into markup.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.i18n import t
from bot.core.names import display_name, mentions_to_names
from bot.holders.fields import KINDS
from bot.holders.render import kind_label
from storage.holders import Holder, SupportAction

FORMATS = ("csv", "markdown")
CSV_COLUMNS = (
    "network",
    "holder",
    "structure",
    "territory",
    "referent",
    "day",
    "kind",
    "text",
    "author",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


@dataclass(frozen=True)
class Record:
    """The year's support actions and the names to show for the people in them."""

    year: int
    rows: list[tuple[Holder, SupportAction]]
    names: Mapping[str, str]

    def name(self, user_id: str) -> str:
        return display_name(self.names, user_id)

    def text(self, action: SupportAction) -> str:
        return " ".join(mentions_to_names(action.text, self.names).split())


def render_export(record: Record, fmt: str, lang: str = "fr") -> str:
    """Return the record in ``fmt`` (``csv`` or ``markdown``)."""
    if fmt == "csv":
        return render_csv(record, lang)
    return render_markdown(record, lang)


def csv_cell(value: str) -> str:
    """Return ``value`` safe for a spreadsheet: a leading = + - @ cannot start a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(record: Record, lang: str) -> str:
    """Return one CSV row per support action, headed by the column names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([t(f"holders.export.col.{column}", lang) for column in CSV_COLUMNS])
    for holder, action in record.rows:
        writer.writerow(
            csv_cell(value)
            for value in (
                holder.network, holder.name, holder.structure, holder.territory,
                record.name(holder.referent), action.day, kind_label(action.kind, lang),
                record.text(action), record.name(action.author),
            )
        )  # fmt: skip
    return out.getvalue()


def md_cell(value: str) -> str:
    """Return ``value`` as one Markdown table cell: one line, markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def render_markdown(record: Record, lang: str) -> str:
    """Return totals per network and per team member, then each holder's actions."""
    lines = [f"# {t('holders.export.title', lang, year=record.year)}", ""]
    if not record.rows:
        return "\n".join([*lines, t("holders.export.empty", lang, year=record.year), ""])
    no_network = t("holders.export.no_network", lang)
    by_network = _totals(record, lambda h, a: h.network or no_network)
    lines += [f"## {t('holders.export.by_network', lang)}", ""]
    lines += _totals_table(by_network, t("holders.export.col.network", lang), lang)
    by_person = _totals(record, lambda h, a: record.name(a.author))
    lines += ["", f"## {t('holders.export.by_person', lang)}", ""]
    lines += _totals_table(by_person, t("holders.export.col.person", lang), lang)
    lines += ["", f"## {t('holders.export.by_holder', lang)}"]
    for holder, actions in _by_holder(record).items():
        lines += ["", *_holder_section(record, holder, actions, lang)]
    return "\n".join(lines) + "\n"


@dataclass
class _Total:
    holders: set[int]
    kinds: Counter[str]


def _totals(record: Record, key) -> dict[str, _Total]:
    """Count holders and actions (by type) under ``key(holder, action)``, sorted by key."""
    totals: dict[str, _Total] = defaultdict(lambda: _Total(set(), Counter()))
    for holder, action in record.rows:
        total = totals[key(holder, action)]
        total.holders.add(holder.id)
        total.kinds[action.kind] += 1
    return dict(sorted(totals.items(), key=lambda pair: pair[0].casefold()))


def _totals_table(totals: dict[str, _Total], first: str, lang: str) -> list[str]:
    """Return a Markdown table: the key, holders, actions, then one column per type."""
    header = [first, t("holders.export.col.holders", lang), t("holders.export.col.actions", lang)]
    header += [kind_label(kind, lang) for kind in KINDS]
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    for name, total in totals.items():
        cells = [md_cell(name), str(len(total.holders)), str(sum(total.kinds.values()))]
        cells += [str(total.kinds[kind]) for kind in KINDS]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _by_holder(record: Record) -> dict[Holder, list[SupportAction]]:
    """Group the rows by holder, keeping their order (network, name, date)."""
    grouped: dict[Holder, list[SupportAction]] = {}
    for holder, action in record.rows:
        grouped.setdefault(holder, []).append(action)
    return grouped


def _holder_section(
    record: Record, holder: Holder, actions: list[SupportAction], lang: str
) -> list[str]:
    """Return one holder's heading, referent and table of actions."""
    details = " · ".join(
        md_cell(v) for v in (holder.structure, holder.territory, holder.network) if v
    )
    head = md_cell(holder.name) + (f" — {details}" if details else "")
    lines = [
        f"### {head}",
        "",
        t("holders.export.referent", lang, name=md_cell(record.name(holder.referent))),
        "",
    ]
    columns = ("day", "kind", "text", "author")
    lines.append("| " + " | ".join(t(f"holders.export.col.{c}", lang) for c in columns) + " |")
    lines.append("| --- | --- | --- | --- |")
    for action in actions:
        cells = (
            action.day,
            kind_label(action.kind, lang),
            record.text(action),
            record.name(action.author),
        )
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return lines
