"""What a command answers, independent of Slack, and how to answer one person privately."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.messenger import Messenger, MessengerError

logger = logging.getLogger(__name__)


class UserError(Exception):
    """A friendly, already translated sentence for the person who typed something wrong."""


@dataclass
class Reply:
    """A command's answer: ephemeral to its author unless ``public``."""

    text: str
    blocks: list[dict] | None = None
    public: bool = False


def answer_privately(
    messenger: Messenger, channel: str | None, user: str, text: str, *, or_by_dm: bool = False
) -> bool:
    """Show ``text`` to ``user`` alone in ``channel`` (or, ``or_by_dm``, in a DM if Slack refuses).

    Callers have committed their change already, so a failure here is logged, never raised.
    Returns whether the person was told.
    """
    if not (text and user):
        return False
    try:
        if channel:
            messenger.ephemeral(channel, user, text)
            return True
    except MessengerError as error:
        logger.warning("could not answer %s in %s: %s", user, channel, error.code)
    except Exception:
        logger.exception("could not answer %s in %s", user, channel)
    if not or_by_dm:
        return False
    try:
        messenger.direct_message(user, text)
        return True
    except Exception:
        logger.exception("could not answer %s by direct message", user)
        return False
