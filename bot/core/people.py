"""Learn the names Slack gives people, so text that leaves Slack can show them (issue 12).

A name is asked of Slack (``users.info``) the first time someone acts and again once it is a
day old; in between it is read from the ``people`` table. Learning never fails the action it
follows: a Slack or database error is logged and the ID stays the fallback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.core.messenger import AUTH_ERRORS, Messenger, MessengerError
from bot.core.mrkdwn import is_user_id
from storage.db import connect
from storage.people import known_names, name_updated_at, remember_name

logger = logging.getLogger(__name__)
FRESH_FOR = timedelta(days=1)


def _is_fresh(stamp: str | None, now: datetime) -> bool:
    if not stamp:
        return False
    try:
        return now - datetime.fromisoformat(stamp) < FRESH_FOR
    except (TypeError, ValueError):
        return False


def learn_name(db, messenger: Messenger, user_id: str, now: datetime) -> str | None:
    """Ask Slack for ``user_id``'s name unless a fresh one is stored; return the name known."""
    if not is_user_id(user_id) or _is_fresh(name_updated_at(db, user_id), now):
        return known_names(db).get(user_id)
    known = known_names(db).get(user_id)
    try:
        name = messenger.user_name(user_id)
    except MessengerError as error:
        logger.warning("could not learn the name of %s: %s", user_id, error.code)
        if error.is_transient or error.code in AUTH_ERRORS:
            return known  # asked again next time
        name = None  # user_not_found…: remembered as such for a day, not asked at every click
    except Exception:  # a name is a nicety: never worth failing anything for
        logger.exception("could not learn the name of %s", user_id)
        return known
    remember_name(db, user_id, name or known or "", now)
    return name or known


def learn_name_in(db_path: str, messenger: Messenger, user_id: str, now: datetime) -> None:
    """Learn ``user_id``'s name with a connection of its own (for background work); never raises."""
    try:
        with connect(db_path) as db:
            learn_name(db, messenger, user_id, now)
    except Exception:
        logger.exception("could not store the name of %s", user_id)


def names_for(
    db, messenger: Messenger | None, user_ids: Iterable[str | None], now: datetime
) -> dict[str, str]:
    """Return the stored names, first learning those of ``user_ids`` that are missing or old."""
    if messenger is not None:
        for user_id in dict.fromkeys(u for u in user_ids if u):
            learn_name(db, messenger, user_id, now)
    return known_names(db)
