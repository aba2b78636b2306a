"""Read the files a school delivers into untyped tables that remember their rows.

Schools deliver CSV (``;`` or ``,``, UTF-8 with or without BOM, or Windows-1252)
or XLSX. Reading never guesses silently: the encoding, separator and sheet used
are recorded, and every row keeps its number as the school sees it (the line in
the CSV file, the row in the sheet), so problems can be pointed at precisely.
Typing the values is :mod:`evallib.coerce`'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError
from .schema import FILES, SYNTHETIC_MARK

ROW = "_row"  # column that holds the source row number
EXTENSIONS = (".csv", ".txt", ".xlsx")
_INFO_SHEETS = {"leesmij", "readme", "info", "toelichting"}


@dataclass(frozen=True)
class RawTable:
    """One delivered file, read but not yet typed.

    ``frame`` holds the cells as read (strings for CSV; numbers, dates or strings
    for XLSX) under normalised header names, plus ``_row``.
    """

    kind: str
    label: str
    frame: pd.DataFrame
    header: tuple[str, ...]
    header_row: int
    sha256: str
    synthetic: bool
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def normalise_header(name: Any) -> str:
    """Header names are matched case-insensitively, with spaces as underscores.

    Examples
    --------
    >>> normalise_header("  Datum in dienst ")
    'datum_in_dienst'
    """
    return "_".join(str(name if name is not None else "").strip().lower().split())


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _decode(data: bytes, label: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise InputError(
                "Tekenset niet herkend",
                file=label,
                expected="UTF-8 of Windows-1252",
                found=f"onleesbare byte op positie {exc.start}",
                hint="Sla het bestand op als CSV UTF-8",
            ) from None


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:4096]


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _frame(
    kind: str, label: str, header: list[Any], rows: list[tuple[int, list[Any]]]
) -> pd.DataFrame:
    names = [normalise_header(h) for h in header]
    for i, name in enumerate(names):
        if not name:
            raise InputError(
                "Kolom zonder naam in de kopregel",
                file=label,
                column=f"kolom {i + 1}",
                expected="een kolomnaam in elke kolom van de kopregel (geen samengevoegde cellen)",
                found="lege cel",
                hint="Geef elke kolom een naam uit docs/data-format.md",
            )
    seen = set()
    for name in names:
        if name in seen:
            raise InputError(
                "Kolomnaam komt twee keer voor",
                file=label,
                column=name,
                expected="elke kolom één keer",
                found=f"'{name}' twee keer",
                hint="Verwijder of hernoem de dubbele kolom",
            )
        seen.add(name)
    width = len(names)
    records = []
    for line, cells in rows:
        cells = list(cells)
        if len(cells) > width and all(c in (None, "") for c in cells[width:]):
            cells = cells[:width]  # trailing empty cells, common in spreadsheet exports
        if len(cells) != width:
            raise InputError(
                "Aantal velden past niet bij de kopregel",
                file=label,
                row=line,
                expected=f"{width} velden",
                found=f"{len(cells)} velden",
                hint="Controleer het scheidingsteken en aanhalingstekens in deze regel",
            )
        records.append([*cells, line])
    frame = (
        pd.DataFrame(records, columns=[*names, ROW])
        if records
        else pd.DataFrame(columns=[*names, ROW])
    )
    return frame.astype({ROW: "int64"})


def _read_csv(path: Path, kind: str, label: str, data: bytes, digest: str) -> RawTable:
    text, encoding = _decode(data, label)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",")
    # Find the header first (skipping comment and empty lines), then sniff the separator on it.
    lines = text.splitlines()
    synthetic = False
    header_index = None
    for index, line in enumerate(lines):
        stripped = line.strip().strip("\ufeff")
        if stripped.startswith("#"):
            synthetic = synthetic or SYNTHETIC_MARK in stripped
            continue
        if stripped.strip(",;\t"):
            header_index = index
            break
    if header_index is None:
        raise InputError(
            "Bestand is leeg",
            file=label,
            expected="een kopregel met kolomnamen en gegevens",
            found="geen gegevens",
            hint="Lever het bestand opnieuw aan, met gegevens",
        )
    delimiter = _sniff_delimiter(lines[header_index])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    start_line = 1
    try:
        for cells in reader:
            line = start_line
            start_line = reader.line_num + 1
            if header is None:
                if line - 1 < header_index:
                    continue
                header = cells
                header_line = line
                continue
            if not any(c.strip() for c in cells):
                continue  # blank line: not a data row
            rows.append((line, cells))
    except csv.Error as exc:
        raise InputError(
            f"CSV niet leesbaar: {exc}",
            file=label,
            row=reader.line_num,
            hint="Controleer aanhalingstekens in deze regel",
        ) from None
    assert header is not None
    frame = _frame(kind, label, header, rows)
    return RawTable(
        kind,
        label,
        frame,
        tuple(frame.columns[:-1]),
        header_line,
        digest,
        synthetic,
        encoding=encoding,
        delimiter=delimiter,
    )


def _read_xlsx(path: Path, kind: str, label: str, data: bytes, digest: str) -> RawTable:
    import openpyxl  # imported here: only needed for spreadsheets

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            "Excel-bestand niet leesbaar",
            file=label,
            expected="een .xlsx-werkmap",
            found=type(exc).__name__,
            hint="Open het bestand in Excel en sla het op als .xlsx",
        ) from None
    names = book.sheetnames
    data_sheets = [n for n in names if n.strip().lower() not in _INFO_SHEETS]
    by_kind = [n for n in names if normalise_header(n) == kind]
    if by_kind:
        sheet = by_kind[0]
    elif len(data_sheets) == 1:
        sheet = data_sheets[0]
    else:
        raise InputError(
            "Niet duidelijk welk werkblad de gegevens bevat",
            file=label,
            expected=f"een werkblad met de naam '{kind}'",
            found="werkbladen " + ", ".join(f"'{n}'" for n in names),
            hint=f"Geef het werkblad met de gegevens de naam '{kind}'",
        )
    synthetic = SYNTHETIC_MARK in str(book.properties.title or "")
    for name in names:
        if name.strip().lower() in _INFO_SHEETS:
            for row in book[name].iter_rows(values_only=True, max_row=20):
                synthetic = synthetic or any(SYNTHETIC_MARK in str(c) for c in row if c)
    header: list[Any] | None = None
    header_line = 0
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(book[sheet].iter_rows(values_only=True), start=1):
        cells = ["" if v is None else v for v in values]
        if header is None:
            first = str(cells[0]).strip() if cells else ""
            if first.startswith("#"):
                synthetic = synthetic or SYNTHETIC_MARK in first
                continue
            if any(str(c).strip() for c in cells):
                while cells and cells[-1] == "":
                    cells.pop()
                header, header_line = cells, number
            continue
        if not any(str(c).strip() for c in cells):
            continue
        rows.append((number, cells))
    book.close()
    if header is None:
        raise InputError(
            "Werkblad is leeg",
            file=label,
            expected="een kopregel met kolomnamen en gegevens",
            found=f"werkblad '{sheet}' zonder gegevens",
            hint="Vul het werkblad en lever opnieuw aan",
        )
    frame = _frame(kind, label, header, rows)
    return RawTable(
        kind, label, frame, tuple(frame.columns[:-1]), header_line, digest, synthetic, sheet=sheet
    )


def read_raw(path: str | Path, kind: str, label: str | None = None) -> RawTable:
    """Read one delivered file (CSV or XLSX) without typing its values.

    Parameters
    ----------
    path
        The file.
    kind
        Which file of the contract it is (``"personeel"``, ``"deelname"``, ...).
    label
        How to name the file in messages (defaults to the path).

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        If the file is empty, not a spreadsheet, or its header is unusable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "lesuren.csv"
    >>> _ = f.write_text("# opmerking\\ndocent_id;lesuren_totaal\\nD1;640,5\\n", encoding="utf-8")
    >>> t = read_raw(f, "lesuren")
    >>> t.delimiter, t.frame.to_dict("records")
    (';', [{'docent_id': 'D1', 'lesuren_totaal': '640,5', '_row': 3}])
    """
    path = Path(path)
    label = label or str(path)
    if kind not in FILES:
        raise InputError(
            "Onbekend soort bestand", file=label, expected=", ".join(FILES), found=kind
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Bestand niet te openen: {exc.strerror}", file=label) from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(
            "Bestand is leeg",
            file=label,
            expected="een kopregel met kolomnamen en gegevens",
            found="0 bytes" if not data else "alleen witruimte",
            hint="Lever het bestand opnieuw aan",
        )
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path, kind, label, data, digest)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            "Oud Excel-formaat (.xls) wordt niet gelezen",
            file=label,
            expected=".xlsx of .csv",
            found=".xls",
            hint="Open het bestand in Excel en sla het op als .xlsx",
        )
    if _looks_binary(data):
        raise InputError(
            "Geen spreadsheet of tekstbestand",
            file=label,
            expected="CSV of XLSX",
            found="binaire gegevens",
            hint="Lever het bestand aan als CSV of XLSX",
        )
    return _read_csv(path, kind, label, data, digest)


def excel_serial_to_date(value: float) -> dt.date:
    """Convert an Excel serial day number (1900 date system) to a date.

    Examples
    --------
    >>> excel_serial_to_date(41487)
    datetime.date(2013, 8, 1)
    """
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
