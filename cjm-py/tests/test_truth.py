"""Python-side guarantees behind the numbers: windows keep their milliseconds, a misspelt step
warns, and ``apply`` reports every metric it added, replaced or left alone."""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path

import cjm
import pytest

pd = pytest.importorskip("pandas")


def test_a_timedelta_window_keeps_its_fraction_of_a_second() -> None:
    # view at 0, cart 1.2 s later: converts in a 1.5 s window, not in a 1 s one.
    events = pd.DataFrame(
        {
            "user_id": ["u", "u"],
            "timestamp": pd.to_datetime(["2024-05-01T10:00:00.000Z", "2024-05-01T10:00:01.200Z"]),
            "event": ["view", "cart"],
        }
    )
    wide = cjm.funnel(events, ["view", "cart"], datetime.timedelta(milliseconds=1500))
    narrow = cjm.funnel(events, ["view", "cart"], datetime.timedelta(seconds=1))
    assert wide.window_seconds == 1.5
    assert [s["users"] for s in wide.total["steps"]] == [1, 1]
    assert [s["users"] for s in narrow.total["steps"]] == [1, 0]


def test_a_step_that_never_occurs_warns(repo: Path) -> None:
    basic = repo / "tests" / "inputs" / "events" / "basic.csv"
    with pytest.warns(UserWarning, match='"purchse" never occurs'):
        result = cjm.funnel(basic, ["view", "purchse"], "7d")
    assert result.total["steps"][1]["users"] == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cjm.funnel(basic, ["view", "purchase"], "7d")  # every step occurs: no warning


def test_apply_lists_every_metric_and_never_changes_a_hand_metric(repo: Path) -> None:
    journey = cjm.load(repo / "tests" / "inputs" / "apply-journey.yaml")
    events = repo / "tests" / "inputs" / "events" / "apply.csv"
    applied, report = cjm.apply_events(journey, events)
    hand = journey.to_dict()["stages"][0]["metrics"]
    assert applied.to_dict()["stages"][0]["metrics"][: len(hand)] == hand
    table = report.to_pandas()
    assert list(table.columns) == ["path", "id", "kind", "action", "value", "unit", "sample_size"]
    assert table["action"].value_counts().to_dict() == {"added": 15, "left_alone": 2}
    again, second = cjm.apply_events(applied, events)
    assert again == applied
    assert set(second.to_pandas()["action"]) == {"replaced", "left_alone"}
