"""Fixtures for the meetings part: a recording messenger (``db_path``/``db`` come from tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.fakes import RecordingMessenger


@pytest.fixture
def messenger() -> RecordingMessenger:
    """Return a messenger that records every call."""
    return RecordingMessenger()
