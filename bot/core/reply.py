"""What a command answers, independent of Slack."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A friendly, already translated sentence for the person who typed something wrong."""


@dataclass
class Reply:
    """A command's answer: ephemeral to its author unless ``public``."""

    text: str
    blocks: list[dict] | None = None
    public: bool = False
