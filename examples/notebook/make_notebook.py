#!/usr/bin/env python3
"""Writes sports-nutrition.ipynb (the cjm walkthrough notebook) next to this script.

    python3 examples/notebook/make_notebook.py

The notebook is stored without outputs; `cjm-py/tests/test_notebook.py` runs it headless.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

CELLS: list[tuple[str, str]] = [
    (
        "md",
        (
            "# Sports nutrition store: a journey map with data\n\n"
            "The map in `examples/sports-nutrition/journey.yaml`, scored, compared with an event "
            "log and turned into a report. Every number comes from the Rust core of `cjm`."
        ),
    ),
    (
        "code",
        (
            "import importlib.util\n"
            "import random\n"
            "from pathlib import Path\n\n"
            "import pandas as pd\n\n"
            "import cjm\n\n"
            "# The repository root: the notebook lives in examples/notebook.\n"
            "ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / 'examples').is_dir())\n"
            "EXAMPLE = ROOT / 'examples' / 'sports-nutrition'\n"
            "TODAY = '2026-11-27'"
        ),
    ),
    ("md", "## The map\n\nA `cjm.Journey` shows itself inline as SVG."),
    (
        "code",
        "journey = cjm.load(EXAMPLE / 'journey.yaml')\njourney.check(today=TODAY)\njourney",
    ),
    ("md", "## Score"),
    (
        "code",
        (
            "score = journey.score(today=TODAY)\n"
            "print(score.health)\n"
            "journey.friction().to_pandas()"
        ),
    ),
    ("code", "journey.emotion_curve()"),
    ("md", "## Top gaps and the plan"),
    ("code", "cjm.gaps(journey).to_pandas().head(10)"),
    ("code", "journey.plan().to_pandas()"),
    (
        "md",
        (
            "## Events\n\n"
            "`generate_events.py` builds a deterministic log with a checkout problem in the app "
            "and a low repeat-purchase rate."
        ),
    ),
    (
        "code",
        (
            "spec = importlib.util.spec_from_file_location('generate_events', "
            "EXAMPLE / 'generate_events.py')\n"
            "generate_events = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(generate_events)\n\n"
            "rng = random.Random(7)\n"
            "rows = [\n"
            "    (f'u{user:06d}', when, event, platform, persona)\n"
            "    for user in range(3000)\n"
            "    for when, event, platform, persona in generate_events.user_events(rng, user)\n"
            "]\n"
            "events = pd.DataFrame(rows, columns=['user_id', 'timestamp', 'event', 'platform', "
            "'persona'])\n"
            "events.head()"
        ),
    ),
    ("md", "## Funnel by platform"),
    (
        "code",
        (
            "funnel = cjm.funnel(\n"
            "    events,\n"
            "    steps=['catalog_view', 'product_view', 'checkout_start', 'checkout_payment', "
            "'order_placed'],\n"
            "    window='7d',\n"
            "    by='platform',\n"
            ")\n"
            "funnel.to_pandas()"
        ),
    ),
    (
        "code",
        (
            "cjm.compare_funnel(\n"
            "    events, steps=['checkout_start', 'checkout_payment'], window='1d', "
            "split=('platform', 'app')\n"
            ").to_pandas()"
        ),
    ),
    ("md", "## Loyalty"),
    (
        "code",
        "loyalty = cjm.loyalty(events, purchase_event='order_placed')\nloyalty.to_pandas()",
    ),
    ("md", "## The map with measured numbers, and the report"),
    (
        "code",
        (
            "applied, applied_report = cjm.apply_events(journey, events, window='30d')\n"
            "print(applied_report)\n"
            "applied"
        ),
    ),
    ("code", "applied.report(today=TODAY)"),
]


def build() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [
        new_markdown_cell(text) if kind == "md" else new_code_cell(text)
        for kind, text in CELLS
    ]
    return notebook


def main() -> None:
    notebook = build()
    nbformat.validate(notebook)
    nbformat.write(notebook, str(HERE / "sports-nutrition.ipynb"))


if __name__ == "__main__":
    main()
