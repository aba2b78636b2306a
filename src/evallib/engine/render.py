"""Executed notebooks to self-contained HTML."""

from __future__ import annotations

import functools

import nbformat
from nbconvert import HTMLExporter

from evallib.reporting.html import Html, page
from evallib.reporting.index import INDEX


def _drop_noise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove what a reader must not see, and what would differ between two runs.

    Drops stderr streams (library warnings) and renumbers cell ids: papermill gives
    the cell it injects a random id, which nbconvert writes into the HTML.
    """
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"
        if cell.cell_type == "code":  # a warm kernel keeps counting; the count is not content
            cell.execution_count = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    return nb


@functools.cache
def _exporter() -> HTMLExporter:
    # Building an exporter loads its templates; one per process is enough.
    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def notebook_html(
    nb: nbformat.NotebookNode, title: str, *, synthetic: bool, lang: str = "nl", appendix: str = ""
) -> str:
    """Render an executed notebook as a complete, offline HTML page without code.

    Uses nbconvert's ``basic`` template (cell outputs only, no scripts or
    stylesheets from outside addresses) inside evallib's own page shell;
    ``appendix`` (already-safe HTML, e.g. the provenance section) follows the
    notebook's content; a link at the top leads back to the index.
    """
    body, _ = _exporter().from_notebook_node(_drop_noise(nb))
    # nbconvert's output and the appendix are both HTML already: join them without escaping.
    return page(title, Html(body) + Html(appendix), synthetic=synthetic, lang=lang, home=INDEX)
