"""Lossy conversions say what they drop; lossless ones stay silent."""

from __future__ import annotations

import warnings
from pathlib import Path

import cjm
import pytest


def test_mermaid_lists_what_it_drops_and_warns(repo: Path, tmp_path: Path) -> None:
    journey = cjm.load(repo / "examples" / "sports-nutrition" / "journey.yaml")
    losses = journey.conversion_losses("mermaid")
    assert any("pain point" in loss for loss in losses), losses
    with pytest.warns(UserWarning, match="mermaid cannot carry everything"):
        journey.dumps("mermaid")
    with pytest.warns(UserWarning, match="csv cannot carry everything"):
        journey.save(tmp_path / "map.csv")


def test_json_and_yaml_keep_everything_silently(repo: Path, tmp_path: Path) -> None:
    journey = cjm.load(repo / "examples" / "sports-nutrition" / "journey.yaml")
    assert journey.conversion_losses("json") == journey.conversion_losses("yaml") == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cjm.loads(journey.dumps("yaml"), "yaml") == journey
        journey.save(tmp_path / "map.json")
    with pytest.raises(cjm.UsageError):
        journey.conversion_losses("xml")
