"""Fixtures for calls for proposals (``db_path``/``db``/``app_server`` come from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
