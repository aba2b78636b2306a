"""PDF versions of the reports, printed by headless Chromium (Debian's ``chromium`` package).

The print stylesheet puts each project on a new page, keeps charts whole and
repeats the synthetic-data warning on every page. PDFs carry a creation date,
so unlike the HTML reports they are not byte-identical between runs and are
not in the manifest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from evallib.core.errors import EvallibError

INSTALL_HINT = (
    "Installeer Chromium om PDF's te maken: op Debian/Ubuntu 'sudo apt-get install chromium', "
    "of geef het pad met de omgevingsvariabele EVALLIB_CHROMIUM"
)
_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]


def find_chromium() -> str:
    """Path of a Chromium executable (``EVALLIB_CHROMIUM`` first), or an error that says how to install one."""
    path = (
        os.environ.get("EVALLIB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path or not Path(path).exists():
        raise EvallibError("Chromium niet gevonden; er zijn geen PDF's gemaakt", hint=INSTALL_HINT)
    return path


def write_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print one HTML report to PDF."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    tmp = pdf.with_name(f".{pdf.name}.tmp")
    command = [
        chromium or find_chromium(),
        *_ARGS,
        f"--print-to-pdf={tmp}",
        html.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        raise EvallibError(
            "PDF maken mislukt",
            file=str(html),
            found=done.stderr.strip()[-300:] or "geen uitvoer",
            hint="Probeer het rapport in een browser te openen en af te drukken",
        )
    os.replace(tmp, pdf)  # atomically, like the HTML reports
    return pdf


def write_pdfs(reports: Path, names: list[str]) -> list[Path]:
    """A PDF per report in ``reports/pdf/``."""
    chromium = find_chromium()
    return [
        write_pdf(reports / name, reports / "pdf" / (Path(name).stem + ".pdf"), chromium)
        for name in names
    ]
