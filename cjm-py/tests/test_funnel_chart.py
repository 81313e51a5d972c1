"""The funnel chart and the report's funnel section through the Python API (the chart's numbers
are checked by the shared case tests/cases/render/funnel-*.json)."""

from __future__ import annotations

from pathlib import Path

import cjm
import pytest

STEPS = ["view", "cart", "purchase"]


@pytest.fixture
def funnel(repo: Path) -> cjm.FunnelResult:
    return cjm.funnel(repo / "tests" / "inputs" / "events" / "basic.csv", STEPS, "7d")


def test_funnel_chart(funnel: cjm.FunnelResult, tmp_path: Path) -> None:
    svg = funnel.to_svg()
    assert svg.startswith("<svg")
    assert svg == funnel._repr_svg_()
    for step in STEPS:
        assert svg.count(f'data-step="{step}"') == 1
    assert ">Funnel: view → cart → purchase (window 7d)</tspan>" in svg
    ru = funnel.to_svg(language="ru", theme="dark", title=False)
    assert "от входа" in ru
    assert "of start" not in ru
    assert "Воронка" not in ru.split("</title>", 1)[1]  # title=False: only the tooltip names it
    with pytest.raises(cjm.UsageError) as caught:
        funnel.to_svg(lanes=["touchpoints"])
    assert caught.value.code == "invalid_option"
    with pytest.raises(cjm.UsageError):
        funnel.to_svg(theme="sepia")
    funnel.save(tmp_path / "funnel.svg", language="ru")
    assert (tmp_path / "funnel.svg").read_text("utf-8") == funnel.to_svg(language="ru")
    # A result rebuilt from its plain data draws the same chart.
    assert cjm.FunnelResult(funnel.to_dict()).to_svg() == svg


def test_report_with_a_funnel(repo: Path, funnel: cjm.FunnelResult) -> None:
    journey = cjm.load(repo / "examples" / "sports-nutrition" / "journey.yaml")
    plain = journey.report(today="2026-11-27").html
    html = journey.report(today="2026-11-27", funnel=funnel, language="ru").html
    assert '<section id="funnel"' not in plain
    assert '<section id="funnel"' in html
    assert "Воронка (по данным событий)" in html
    section = html.split('<section id="funnel"', 1)[1].split("</section>", 1)[0]
    for step in STEPS:
        assert section.count(f'data-step="{step}"') == 1
    with pytest.raises(TypeError):
        journey.report(funnel=funnel.to_dict())  # type: ignore[arg-type]
