"""The example notebook (examples/notebook/sports-nutrition.ipynb) runs headless without error."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")


def test_notebook_runs(repo: Path) -> None:
    folder = repo / "examples" / "notebook"
    notebook = nbformat.read(str(folder / "sports-nutrition.ipynb"), as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError on any error
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    mimes = {mime for o in outputs for mime in o.get("data", {})}
    assert {"image/svg+xml", "text/html"} <= mimes
