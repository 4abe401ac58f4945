"""Holders in Slack: one line per holder, the detail of one, the « Pour un porteur » form.

Everything typed by people is shown through :func:`bot.core.mrkdwn.safe_text`, so a holder named
``<!channel>`` pings nobody.
"""

from __future__ import annotations

from datetime import date

from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.mrkdwn import fit_lines, link, safe_text
from storage.holders import Holder, LinkedItem, SupportAction

LINK_MODAL_CALLBACK = "holder_link_modal"
LINK_BLOCK, LINK_SELECT = "holder_link", "holder_select"
DETAIL_LIMIT = 3500


def kind_label(kind: str, lang: str) -> str:
    """Return the word shown for a type of support action."""
    return t(f"holders.kind.{kind}", lang)


def holder_line(holder: Holder, lang: str) -> str:
    """Return « n° 3 · Association Puy Solidaire — Clermont-Ferrand · CERAPCOOP · <@U…> »."""
    parts = [t("holders.number", lang, id=holder.id) + " · *" + safe_text(holder.name, 200) + "*"]
    details = [safe_text(v, 200) for v in (holder.structure, holder.territory, holder.network) if v]
    if details:
        parts.append(" · ".join(details))
    parts.append(t("holders.referent_short", lang, referent=holder.referent))
    return " · ".join(parts)


def action_line(action: SupportAction, lang: str) -> str:
    """Return one entry of the follow-up log."""
    return t(
        "holders.log_line", lang, day=format_date(date.fromisoformat(action.day), lang),
        kind=kind_label(action.kind, lang), author=action.author, text=safe_text(action.text, 500),
    )  # fmt: skip


def item_line(item: LinkedItem, lang: str) -> str:
    """Return a linked item: its number and linked title."""
    title = link(item.link, item.title or str(item.item_id), 200)
    return t("holders.item_line", lang, n=item.item_id, title=title, user=item.linked_by)


def build_detail(
    holder: Holder, items: list[LinkedItem], log: list[SupportAction], lang: str
) -> str:
    """Return the detail of one holder: who, where, referent, linked items, follow-up log."""
    lines = [holder_line(holder, lang)]
    if holder.structure:
        lines.append(t("holders.field.structure", lang, value=safe_text(holder.structure, 200)))
    if holder.territory:
        lines.append(t("holders.field.territory", lang, value=safe_text(holder.territory, 200)))
    if holder.network:
        lines.append(t("holders.field.network", lang, value=holder.network))
    lines.append(t("holders.field.referent", lang, referent=holder.referent))
    lines.append(t("holders.items_title", lang, count=len(items)))
    lines += [f"• {item_line(item, lang)}" for item in items[:20]] or [t("holders.none", lang)]
    lines.append(t("holders.log_title", lang, count=len(log)))
    entries = [f"• {action_line(action, lang)}" for action in reversed(log)]  # latest first
    head = "\n".join(lines)
    if not entries:
        return head + "\n" + t("holders.none", lang)
    more = t("holders.log_more", lang, count="{count}")
    return fit_lines(head, entries, DETAIL_LIMIT, more, total=len(entries))


def build_link_modal(item_id: int, holders: list[Holder], lang: str) -> dict:
    """Return the form that keeps an item for one of ``holders``."""
    options = [
        {
            "text": {"type": "plain_text", "text": _option_text(holder, lang)},
            "value": str(holder.id),
        }
        for holder in holders[:100]
    ]
    return {
        "type": "modal",
        "callback_id": LINK_MODAL_CALLBACK,
        "private_metadata": str(item_id),
        "title": {"type": "plain_text", "text": t("holders.modal.title", lang)},
        "submit": {"type": "plain_text", "text": t("holders.modal.submit", lang)},
        "close": {"type": "plain_text", "text": t("holders.modal.close", lang)},
        "blocks": [
            {
                "type": "input",
                "block_id": LINK_BLOCK,
                "label": {"type": "plain_text", "text": t("holders.modal.label", lang, n=item_id)},
                "element": {
                    "type": "static_select",
                    "action_id": LINK_SELECT,
                    "placeholder": {"type": "plain_text", "text": t("holders.modal.pick", lang)},
                    "options": options,
                },
            }
        ],
    }


def _option_text(holder: Holder, lang: str) -> str:
    """Return a select option's text: number and name, within Slack's 75 characters."""
    text = f"{t('holders.number', lang, id=holder.id)} · {holder.name}"
    if holder.territory:
        text += f" ({holder.territory})"
    return text if len(text) <= 75 else text[:74] + "…"


def picked_holder(state: dict) -> str:
    """Return the value chosen in the form's select ("" when none)."""
    values = (state.get("values") or {}).get(LINK_BLOCK) or {}
    selected = (values.get(LINK_SELECT) or {}).get("selected_option") or {}
    value = selected.get("value")
    return value if isinstance(value, str) else ""
