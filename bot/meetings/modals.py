"""Modals for adding a session or a decision (Block Kit JSON), and reading their submissions.

Each modal carries an idempotency token in ``private_metadata`` so that a submission delivered
twice (or a double click) records one session or decision (M1).
"""

from __future__ import annotations

import json
import uuid

from bot.core.i18n import t

SESSION_MODAL = "session_add"
DECISION_MODAL = "decision_add"


def _text(text: str) -> dict:
    return {"type": "plain_text", "text": text[:150]}


def _input(block_id: str, label: str, *, optional: bool = False, multiline: bool = False,
           hint: str | None = None, initial: str | None = None) -> dict:  # fmt: skip
    """Return a plain-text input block."""
    element = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    block = {"type": "input", "block_id": block_id, "label": _text(label), "element": element,
             "optional": optional}  # fmt: skip
    if hint:
        block["hint"] = _text(hint)
    return block


def _modal(
    callback_id: str, title_key: str, channel_id: str, blocks: list[dict], lang: str
) -> dict:
    """Wrap blocks into a modal view with a fresh idempotency token."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(t(title_key, lang)[:24]),
        "submit": _text(t("modal.submit", lang)),
        "close": _text(t("modal.cancel", lang)),
        "private_metadata": json.dumps({"channel": channel_id, "token": uuid.uuid4().hex}),
        "blocks": blocks,
    }


def build_session_modal(channel_id: str, lang: str = "fr") -> dict:
    """Return the "new session" modal."""
    blocks = [
        _input("title", t("modal.session.name", lang)),
        _input("when", t("modal.session.when", lang), hint=t("modal.session.when_hint", lang)),
        _input("place", t("modal.session.place", lang), optional=True),
        _input(
            "offsets",
            t("modal.session.offsets", lang),
            optional=True,
            initial=t("modal.session.offsets_initial", lang),
        ),
    ]
    return _modal(SESSION_MODAL, "modal.session.title", channel_id, blocks, lang)


def build_decision_modal(channel_id: str, lang: str = "fr") -> dict:
    """Return the "new decision" modal."""
    owner = {
        "type": "input", "block_id": "owner", "optional": True,
        "label": _text(t("modal.decision.owner", lang)),
        "element": {"type": "users_select", "action_id": "value"},
    }  # fmt: skip
    due = {
        "type": "input", "block_id": "due", "optional": True,
        "label": _text(t("modal.decision.due", lang)),
        "element": {"type": "datepicker", "action_id": "value"},
    }  # fmt: skip
    blocks = [
        _input("text", t("modal.decision.text", lang), multiline=True),
        owner,
        due,
        _input("session", t("modal.decision.session", lang), optional=True),
    ]
    return _modal(DECISION_MODAL, "modal.decision.title", channel_id, blocks, lang)


def submitted_values(view: dict) -> dict[str, str]:
    """Flatten ``view.state.values`` to {block_id: typed or selected value}."""
    values = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        element = actions.get("value") or next(iter(actions.values()), {})
        value = element.get("value") or element.get("selected_user") or element.get("selected_date")
        values[block_id] = (value or "").strip()
    return values


def modal_metadata(view: dict) -> tuple[str, str]:
    """Return (channel, idempotency key) from a submitted modal."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    token = meta.get("token") or view.get("id", "")
    return meta.get("channel", ""), f"modal:{token}"
