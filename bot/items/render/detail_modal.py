"""The item in a modal (the Home's "Voir"), and the small modal that tells a Home clicker why.

Slack refuses a whole view over its limits (``invalid_arguments``), so everything is cut here
whatever the blocks we are handed: title and close ≤ 24 characters, ≤ 100 blocks, a section's
text ≤ 3,000 and each of its fields ≤ 2,000, a context's elements ≤ 10. Lengths are counted in
UTF-16 code units, the stricter count, so a title made of emoji cannot slip over.
https://api.slack.com/reference/surfaces/views and https://api.slack.com/reference/block-kit/blocks
"""

from __future__ import annotations

from bot.core.i18n import t

DETAIL_MODAL_CALLBACK = "item_detail_modal"
NOTICE_MODAL_CALLBACK = "item_notice_modal"
TITLE_LIMIT = 24  # a modal's title, close and submit labels
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
SECTION_FIELD = 2000
CONTEXT_ELEMENTS = 10
HEADER_TEXT = 150
ELLIPSIS = "…"


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` UTF-16 units, ending with an ellipsis when cut."""
    if _units(text) <= limit:
        return text
    kept, used = [], _units(ELLIPSIS)
    for char in text:
        used += _units(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept) + ELLIPSIS


def _fit_text(obj: dict, limit: int) -> dict:
    return {**obj, "text": clip(str(obj.get("text") or " "), limit) or " "}


def fit_block(block: dict) -> dict:
    """Return ``block`` with its texts cut to Slack's limits (sections, contexts, headers)."""
    kind = block.get("type")
    fitted = dict(block)
    if kind == "section":
        if isinstance(block.get("text"), dict):
            fitted["text"] = _fit_text(block["text"], SECTION_TEXT)
        if isinstance(block.get("fields"), list):
            fitted["fields"] = [_fit_text(f, SECTION_FIELD) for f in block["fields"][:10]]
    elif kind == "context":
        elements = block.get("elements") or []
        fitted["elements"] = [
            _fit_text(e, SECTION_TEXT) if "text" in e else e for e in elements[:CONTEXT_ELEMENTS]
        ]
    elif kind == "header" and isinstance(block.get("text"), dict):
        fitted["text"] = _fit_text(block["text"], HEADER_TEXT)
    return fitted


def fit_blocks(blocks: list[dict], more: str) -> list[dict]:
    """Return at most 100 fitted blocks; when some are left out, the last one says ``more``."""
    fitted = [fit_block(b) for b in blocks]
    if len(fitted) <= VIEW_BLOCKS:
        return fitted
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(more, SECTION_TEXT)}]}
    return [*fitted[: VIEW_BLOCKS - 1], note]


def _modal(callback: str, title: str, blocks: list[dict], lang: str, metadata: str = "") -> dict:
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": clip(title, TITLE_LIMIT)},
        "close": {"type": "plain_text", "text": clip(t("items.view.close", lang), TITLE_LIMIT)},
        "blocks": blocks,
    }


def build_detail_modal(item_id: int, blocks: list[dict], lang: str) -> dict:
    """Return the modal showing item ``item_id``'s detail blocks (``/veille voir n``), cut to fit."""
    more = t("items.view.more", lang, n=item_id)
    title = t("items.view.title", lang, n=item_id)
    return _modal(DETAIL_MODAL_CALLBACK, title, fit_blocks(blocks, more), lang, str(item_id))


def build_notice_modal(text: str, lang: str) -> dict:
    """Return a small modal holding one sentence for the person who clicked (« déjà pris… »)."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text or " "}}
    return _modal(NOTICE_MODAL_CALLBACK, t("items.notice.title", lang), [fit_block(section)], lang)
