"""What a command answers, and the error type whose message is shown to the user as is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Reply:
    """A command's answer; ``public=False`` means ephemeral to the person who typed."""

    text: str
    blocks: list[dict] | None = None
    public: bool = False


class UserError(Exception):
    """A domain error whose message is already a translated, friendly sentence."""
