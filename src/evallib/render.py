"""Executed notebooks to self-contained HTML, and atomic writing of report files."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from .html import page


def slug(text: str) -> str:
    """A file-name-safe lower-case slug.

    Examples
    --------
    >>> slug("Christelijk Lyceum Delft"), slug("SSVOZ (code aangenomen)")
    ('christelijk-lyceum-delft', 'ssvoz-code-aangenomen')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers never see a half-written version.

    The text goes to a temporary file in the same directory, is flushed to
    disk, and then renamed over the target (an atomic step on POSIX and NTFS).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _drop_noise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove what a reader must not see, and what would differ between two runs.

    Drops stderr streams (library warnings) and renumbers cell ids: papermill gives
    the cell it injects a random id, which nbconvert writes into the HTML.
    """
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    return nb


def notebook_html(
    nb: nbformat.NotebookNode, title: str, *, synthetic: bool, lang: str = "nl"
) -> str:
    """Render an executed notebook as a complete, offline HTML page without code.

    Uses nbconvert's ``basic`` template (cell outputs only, no scripts or
    stylesheets from outside addresses) inside evallib's own page shell.
    """
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(_drop_noise(nb))
    return page(title, body, synthetic=synthetic, lang=lang)
