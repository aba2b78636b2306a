"""The notebooks run as they are, as a researcher opening them in JupyterLab would."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from evallib.engine import execute

NOTEBOOKS = Path("notebooks")


@pytest.mark.parametrize("name", ["school.ipynb", "regio.ipynb"])
def test_notebook_runs_with_its_default_parameters(name: str) -> None:
    # As committed, with its own default parameters, from its folder: on this test process's
    # warm kernel for the notebooks folder (conftest), after IPython's %reset, as a researcher
    # would run it again in a kernel that ran something before.
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
    nb = execute.warm_kernel("python3", NOTEBOOKS.resolve()).execute(nb, timeout=300)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "SYNTHETISCHE DATA" in html and "<h2>" in html


@pytest.mark.parametrize("name", ["school.ipynb", "regio.ipynb"])
def test_notebook_stays_thin(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in nb.cells[1].metadata.get("tags", [])
    assert not any(
        line.lstrip().startswith(("def ", "class ")) for src in code for line in src.splitlines()
    )
    assert all(len(src.splitlines()) <= 6 for src in code)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit notebooks without outputs"
    )
