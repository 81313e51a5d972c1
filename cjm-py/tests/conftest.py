"""Shared paths for the cjm Python tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES_ROOT = REPO / "tests"


@pytest.fixture
def repo() -> Path:
    return REPO
