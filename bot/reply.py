"""What a command answers — placeholder until the foundation lands on main."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Reply:
    """A command's answer; ephemeral to the person who typed unless ``public``."""

    text: str
    blocks: list[dict] | None = None
    public: bool = False


class UserError(Exception):
    """A mistake the user can fix; the message is already a translated friendly sentence."""
