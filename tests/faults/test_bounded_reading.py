"""Class 5: a file over the limits is refused before it is parsed, quickly and clearly."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from evallib.ingest.frames import ReadError
from evallib.ingest.read import read_raw

ROOT = Path(__file__).resolve().parents[2]


def billion_cells(path: Path) -> Path:
    """A ~2 MB workbook whose sheet declares A1:XFD61036 (10⁹ cells) and fills column XFD."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "personeel"
    sheet.append(["docent_id", "brin", "vestiging"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>D{r}</t></is></c>'
        f'<c r="XFD{r}"><v>{r}</v></c></row>'
        for r in range(2, 61037)
    )
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace('<dimension ref="A1:C1" />', '<dimension ref="A1:XFD61036"/>')
                text = text.replace("</row></sheetData>", "</row>" + rows + "</sheetData>")
                data = text.encode()
            out.writestr(item, data)
        out.writestr(zipfile.ZipInfo("xl/media/padding.bin"), os.urandom(1_500_000))
    return path


def test_a_workbook_declaring_a_billion_cells_is_refused_in_well_under_five_seconds(
    tmp_path: Path,
) -> None:
    path = billion_cells(tmp_path / "personeel.xlsx")
    assert 1.5e6 < path.stat().st_size < 3e6
    started = time.perf_counter()
    with pytest.raises(ReadError, match="te groot") as caught:
        read_raw(path, "personeel", "14WE/personeel.xlsx")
    assert time.perf_counter() - started < 5
    assert caught.value.code == "too_large" and "A1:XFD61036" in str(caught.value)


def test_a_lying_dimension_is_caught_while_reading(tmp_path: Path) -> None:
    path = billion_cells(tmp_path / "personeel.xlsx")
    data = path.read_bytes()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(tmp_path / "lying.xlsx", "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b'<dimension ref="A1:XFD61036"/>', b'<dimension ref="A1:C3"/>')
            out.writestr(item, part)
    started = time.perf_counter()
    with pytest.raises(ReadError, match="na kolom 200"):
        read_raw(tmp_path / "lying.xlsx", "personeel", "14WE/personeel.xlsx")
    assert time.perf_counter() - started < 5


def test_evallib_validate_on_it_exits_with_a_clear_error(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "14WE").mkdir(parents=True)
    billion_cells(raw / "14WE" / "personeel.xlsx")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evallib", "validate", str(raw), "--out", str(tmp_path / "p")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # generous: on a busy machine starting Python takes most of it
        env={**os.environ, "COLUMNS": "200"},
    )
    seconds = time.perf_counter() - started
    out = " ".join(done.stdout.split())
    assert done.returncode == 1, done.stderr[-2000:]
    assert "14WE/personeel.xlsx" in out and "te groot" in out and "Traceback" not in out
    print(f"evallib validate with a 10^9-cell workbook: {seconds:.1f} s")
    assert seconds < 30  # < 5 s on an idle machine; shared CI cores get head room


def test_a_csv_with_too_many_columns_is_refused_before_reading_rows(tmp_path: Path) -> None:
    path = tmp_path / "personeel.csv"
    path.write_text(";".join(f"k{i}" for i in range(500)) + "\n" + "x;" * 499 + "x\n")
    with pytest.raises(ReadError, match="500 kolommen"):
        read_raw(path, "personeel")
