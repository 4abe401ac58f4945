import pytest

from bot.watch.fetch import FetchLimits
from tests.watch.feedserver import serving


@pytest.fixture
def feeds():
    """The feed server on 127.0.0.1 (allowed through the guard by the ``limits`` fixture)."""
    with serving("127.0.0.1") as server:
        yield server


@pytest.fixture
def internal():
    """The 'internal' host on 127.0.0.2: the guard must never let a request reach it."""
    with serving("127.0.0.2") as server:
        yield server


@pytest.fixture
def limits():
    """Guard on, with only the test feed server's address allowed; small timeouts."""
    return FetchLimits(
        connect_timeout=1.0,
        read_timeout=1.0,
        total_timeout=3.0,
        allowed_addresses=frozenset({"127.0.0.1"}),
    )
