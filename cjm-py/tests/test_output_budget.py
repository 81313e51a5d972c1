"""The output budget (``max_output_bytes``): renderers refuse an output whose estimated size is
over it with ``output_too_large`` before drawing anything; Jupyter's reprs do not raise."""

from __future__ import annotations

from pathlib import Path

import cjm
import pytest


@pytest.fixture
def journey(repo: Path) -> cjm.Journey:
    return cjm.load(repo / "examples" / "ecommerce" / "journey.yaml")


def test_the_default_budget_is_64_mib(journey: cjm.Journey) -> None:
    assert cjm.DEFAULT_MAX_OUTPUT_BYTES == 64 * 1024 * 1024
    assert journey.render_svg().startswith("<svg")
    assert journey.render_svg(max_output_bytes=None).startswith("<svg")
    assert journey.render_svg(max_output_bytes=0).startswith("<svg")


def test_render_and_report_refuse_over_the_budget(journey: cjm.Journey) -> None:
    with pytest.raises(cjm.UsageError) as error:
        journey.render_svg(max_output_bytes=1000)
    assert error.value.code == "output_too_large"
    assert error.value.kind == "usage"
    assert "1000 bytes" in str(error.value)
    assert "max_output_bytes" in str(error.value)
    with pytest.raises(cjm.UsageError) as error:
        journey.report(today="2026-11-29", max_output_bytes=1000)
    assert error.value.code == "output_too_large"


def test_bad_budgets_are_usage_errors(journey: cjm.Journey) -> None:
    for bad in (-1, 1.5, "big", True):
        with pytest.raises(cjm.UsageError) as error:
            journey.render_svg(max_output_bytes=bad)
        assert error.value.code == "invalid_option"


def test_funnel_chart_budget(repo: Path) -> None:
    result = cjm.funnel(
        repo / "tests" / "inputs" / "events" / "basic.csv", ["view", "cart", "purchase"], "7d"
    )
    assert result.to_svg().startswith("<svg")
    with pytest.raises(cjm.UsageError) as error:
        result.to_svg(max_output_bytes=100)
    assert error.value.code == "output_too_large"


def test_reprs_do_not_raise(journey: cjm.Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    assert journey._repr_svg_() is not None
    # Over the budget, Jupyter gets no SVG (and falls back to the text repr) instead of a
    # traceback.
    original = cjm.Journey.render_svg
    monkeypatch.setattr(
        cjm.Journey,
        "render_svg",
        lambda self, **options: original(self, max_output_bytes=1000, **options),
    )
    assert journey._repr_svg_() is None
