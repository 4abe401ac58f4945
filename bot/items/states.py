"""The vocabulary of items: their states, what people can do to them, the buttons and emoji.

Everything else derives from these lists: the handlers' action-id pattern, the shell's
pseudo-buttons, the default reactions and the ``VEILLEUR_REACTIONS`` setting's names.
Adding a state starts here (README, "How to add a feature").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ItemStatus(StrEnum):
    """Where an item stands; stored as is in ``items.status``."""

    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"
    DISMISSED = "dismissed"


class ItemAction(StrEnum):
    """What a reaction or a button asks for (the first four are ``VEILLEUR_REACTIONS``' names)."""

    CLAIM = "claim"
    DONE = "done"
    DISMISS = "dismiss"
    NEWSLETTER = "newsletter"
    RELEASE = "release"  # buttons only: taking 👀 off releases, no emoji of its own
    REOPEN = "reopen"  # buttons only: taking ✅ or 🚫 off re-opens


REACTION_ACTIONS = frozenset(
    {ItemAction.CLAIM, ItemAction.DONE, ItemAction.DISMISS, ItemAction.NEWSLETTER}
)
"""The actions an emoji can be mapped to (``VEILLEUR_REACTIONS``)."""


class ItemList(StrEnum):
    """The lists of ``/veille liste``; the words people type are translated at the edge."""

    FREE = "free"
    MINE = "mine"
    ALL = "all"
    NEWSLETTER = "newsletter"


CLOSES: dict[ItemAction, ItemStatus] = {
    ItemAction.DONE: ItemStatus.DONE,
    ItemAction.DISMISS: ItemStatus.DISMISSED,
}
"""The actions that close an item, and the status each leaves it in. Taking the emoji off
again re-opens the item while it is still in that status."""
CLOSED = frozenset(CLOSES.values())

DEFAULT_REACTIONS: dict[str, ItemAction] = {
    "eyes": ItemAction.CLAIM,
    "white_check_mark": ItemAction.DONE,
    "no_entry_sign": ItemAction.DISMISS,
    "newspaper": ItemAction.NEWSLETTER,
}


@dataclass(frozen=True)
class Button:
    """A button on an item message: its Slack action id, label, and the shell's words for it.

    ``action`` is None for the buttons that open something instead of changing the item.
    """

    action_id: str
    label_key: str
    shell_words: tuple[str, ...]
    action: ItemAction | None = None


CLAIM_BUTTON = Button("item_claim", "item.button.claim", ("prendre", "claim"), ItemAction.CLAIM)
RELEASE_BUTTON = Button(
    "item_release", "item.button.release", ("lâcher", "lacher", "release"), ItemAction.RELEASE
)
DONE_BUTTON = Button("item_done", "item.button.done", ("fait", "done"), ItemAction.DONE)
DISMISS_BUTTON = Button(
    "item_dismiss", "item.button.dismiss", ("écarter", "ecarter", "dismiss"), ItemAction.DISMISS
)
REOPEN_BUTTON = Button(
    "item_reopen", "item.button.reopen", ("rouvrir", "reopen"), ItemAction.REOPEN
)
NEWSLETTER_BUTTON = Button(
    "item_newsletter", "item.button.newsletter", ("lettre", "newsletter"), ItemAction.NEWSLETTER
)
SHOW_BUTTON = Button("item_show", "items.button.show", ("voir", "show"))
NOTE_BUTTON = Button("item_note", "item.button.note", ("noter", "note"))
FOR_HOLDER_BUTTON = Button("item_for_holder", "item.button.for_holder", ("porteur", "holder"))
BUTTONS: tuple[Button, ...] = (
    CLAIM_BUTTON,
    RELEASE_BUTTON,
    DONE_BUTTON,
    DISMISS_BUTTON,
    REOPEN_BUTTON,
    NEWSLETTER_BUTTON,
    SHOW_BUTTON,
    NOTE_BUTTON,
    FOR_HOLDER_BUTTON,  # handled by bot/holders
)
"""Every button an item message can carry (the shell's `!prendre 12` words come from here)."""

BUTTONS_BY_STATUS: dict[ItemStatus, tuple[Button, ...]] = {
    ItemStatus.OPEN: (CLAIM_BUTTON, DISMISS_BUTTON),
    ItemStatus.CLAIMED: (RELEASE_BUTTON, DONE_BUTTON),
    ItemStatus.DONE: (REOPEN_BUTTON,),
    ItemStatus.DISMISSED: (REOPEN_BUTTON,),
}
"""The buttons that change an item, by its status: a message only offers what can be done now."""
ALWAYS_BUTTONS: tuple[Button, ...] = (
    NEWSLETTER_BUTTON, SHOW_BUTTON, NOTE_BUTTON, FOR_HOLDER_BUTTON,
)  # fmt: skip
"""The buttons every item message carries after those of its status."""


def buttons_for(status: str) -> tuple[Button, ...]:
    """Return the row of buttons of an item in ``status``, in order."""
    return BUTTONS_BY_STATUS.get(ItemStatus(status), ()) + ALWAYS_BUTTONS


ACTION_BUTTONS = {button.action_id: button.action for button in BUTTONS if button.action}


def parse_reactions(text: str) -> dict[str, ItemAction]:
    """Read "claim=eyes done=white_check_mark …" into {emoji: action}, over the defaults."""
    by_action = {action: emoji for emoji, action in DEFAULT_REACTIONS.items()}
    for pair in text.replace(",", " ").split():
        name, _, emoji = pair.partition("=")
        if name not in {action.value for action in REACTION_ACTIONS} or not emoji.strip(":"):
            raise ValueError(f"bad reaction mapping {pair!r} (use claim=eyes done=… )")
        by_action[ItemAction(name)] = emoji.strip(":")
    return {emoji: action for action, emoji in by_action.items()}
