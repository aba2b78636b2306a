"""PDF printing with the system Chromium, and a clear message without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import require_chromium

from evallib.core.errors import EvallibError
from evallib.engine.pdf import INSTALL_HINT, find_chromium, write_pdf
from evallib.reporting.html import page


def test_missing_chromium_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALLIB_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(EvallibError) as info:
        find_chromium()
    assert "apt-get install chromium" in str(info.value) and INSTALL_HINT in str(info.value)


@pytest.mark.pdf
def test_a_report_prints_to_pdf(tmp_path: Path) -> None:
    chromium = require_chromium()
    html = tmp_path / "r.html"
    html.write_text(
        page("Test", "<h1>Rapport</h1><h2>Project</h2><p>tekst</p>", synthetic=True),
        encoding="utf-8",
    )
    pdf = write_pdf(html, tmp_path / "pdf" / "r.pdf", chromium)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    assert not list((tmp_path / "pdf").glob(".*"))  # written atomically
