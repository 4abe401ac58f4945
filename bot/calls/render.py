"""Block Kit for deadlines: the block on an item's message, list lines, the digest's section.

Feed text goes through :mod:`bot.core.mrkdwn` and sits in ``verbatim`` mrkdwn objects (F14).
The buttons' action ids are the contract with ``handlers/calls.py``; a confirm button carries
the date it showed, so a click confirms what the person saw.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.calls.extract import deadline_in
from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.mrkdwn import fit_lines, link, mention
from storage.items import Item

CONFIRM_ACTION = "calls_deadline_confirm"
EDIT_ACTION = "calls_deadline_edit"
OPEN = ("open", "claimed")


def mrkdwn(text: str) -> dict:
    """Return a mrkdwn text object that Slack will not auto-link."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def current_deadline(item: Item) -> date | None:
    """Return the deadline a person gave the item, if any."""
    if item.deadline_state != "set" or not item.deadline_on:
        return None
    return date.fromisoformat(item.deadline_on)


def proposed_deadline(item: Item, tz: str) -> date | None:
    """Return the deadline read from an open item's text while nobody decided, else None."""
    if item.deadline_state or item.status not in OPEN:
        return None
    seen = datetime.fromisoformat(item.first_seen_at)  # a year left out follows the posting
    return deadline_in(item.title, item.summary, now=seen, tz=tz)


def _button(action_id: str, label_key: str, value: str, lang: str) -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": t(label_key, lang), "emoji": True},
    }


def deadline_blocks(item: Item, lang: str, tz: str) -> list[dict]:
    """Return the deadline block of an item: set (with Modifier) or proposed (Confirmer, Modifier)."""
    day = current_deadline(item)
    if day is not None:
        text = t("calls.deadline", lang, date=format_date(day, lang))
        buttons = [_button(EDIT_ACTION, "calls.button.edit", str(item.id), lang)]
    else:
        day = proposed_deadline(item, tz)
        if day is None:
            return []
        text = t("calls.detected", lang, date=format_date(day, lang))
        value = f"{item.id}:{day.isoformat()}"
        buttons = [
            _button(CONFIRM_ACTION, "calls.button.confirm", value, lang),
            _button(EDIT_ACTION, "calls.button.edit", str(item.id), lang),
        ]
    return [
        {"type": "section", "text": mrkdwn(text)},
        {"type": "actions", "block_id": f"calls_deadline_{item.id}", "elements": buttons},
    ]


def added_by_blocks(item: Item, lang: str) -> list[dict]:
    """Return « Ajouté par @X, @Y » for a link added by hand."""
    people = item.added_by.split()
    if not people:
        return []
    names = ", ".join(mention(user) for user in people)
    return [{"type": "context", "elements": [mrkdwn(t("calls.added_by", lang, people=names))]}]


def item_part(item: Item, lang: str, tz: str) -> list[dict]:
    """Return what calls add to an item's message (``Feature.item_part``)."""
    return added_by_blocks(item, lang) + deadline_blocks(item, lang, tz)


def deadline_line(item: Item, lang: str) -> str:
    """Return "• *vendredi 15 janvier 2027* — #12 <link|title> — @owner"."""
    day = current_deadline(item)
    owner = t("calls.list.owner", lang, owner=mention(item.owner)) if item.owner else ""
    return t(
        "calls.list.line",
        lang,
        date=format_date(day, lang) if day else "?",
        id=item.id,
        title=link(item.link, item.title or str(item.id), 200),
        owner=owner,
    )


def deadline_list(items: list[Item], lang: str, title_key: str, empty_key: str) -> str:
    """Return a titled list of deadlines that fits one section."""
    if not items:
        return t(title_key, lang, count=0) + "\n" + t(empty_key, lang)
    lines = [deadline_line(item, lang) for item in items]
    more = t("calls.list.more", lang, count="{count}")
    return fit_lines(t(title_key, lang, count=len(items)), lines, 2900, more, total=len(items))


def digest_block(items: list[Item], lang: str) -> dict:
    """Return the digest's section of coming deadlines."""
    text = deadline_list(items, lang, "calls.digest.title", "calls.digest.none")
    return {"type": "section", "text": mrkdwn(text)}
