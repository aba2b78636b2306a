"""Read the files a school delivers into untyped tables that remember their rows.

Schools deliver CSV (``;``, ``,`` or tab; UTF-8 with or without BOM, UTF-16 with
BOM, or Windows-1252) or XLSX (read by :mod:`evallib.ingest.sheets`). Reading never
guesses silently: the encoding, separator and sheet used are recorded, and every
row keeps its number as the school sees it (the line in the CSV file, the row in
the sheet), so problems can be pointed at precisely. Blank lines are skipped and
counted. A row that cannot be lined up with the header (too many or too few
fields) is left out of the table, reported and counted. Typing the values is
:mod:`evallib.ingest.coerce`'s job.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from evallib.contract.schema import (
    ALL_FILES,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SYNTHETIC_MARK,
)
from evallib.core.errors import InputError
from evallib.core.recent import Recent
from evallib.ingest.frames import (
    ROW,
    RawTable,
    ReadError,
    build_frame,
    finish_table,
    is_empty,
    normalise_header,
    shown,
)

__all__ = [
    "EXTENSIONS",
    "ROW",
    "RawTable",
    "ReadError",
    "is_empty",
    "normalise_header",
    "read_raw",
    "sha256_of",
    "shown",
]

EXTENSIONS = (".csv", ".txt", ".xlsx")
_LINE_END = re.compile(r"\r\n|\r|\n")  # what the csv module counts as a line end


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _decode(data: bytes, label: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, text = "utf-8-sig", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "utf-16", data
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            encoding, text = "cp1252", data
    try:
        return text.decode(encoding.replace("-sig", "")), encoding
    except UnicodeDecodeError as exc:
        raise ReadError(
            "Tekenset niet herkend",
            code="bad_encoding",
            file=label,
            row=text[: exc.start].count(b"\n") + 1,
            expected="tekst in UTF-8 of Windows-1252",
            found="tekens die in geen van beide bestaan",
            hint="Sla het bestand op als 'CSV UTF-8'",
        ) from None


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _header(stream: io.StringIO) -> tuple[int, int, bool]:
    """Where the header line starts (index and offset), skipping ``#`` comments and blank lines.

    Reads line by line: nothing is kept of the lines before the header.
    """
    synthetic, index = False, 0
    while True:
        offset = stream.tell()
        raw = stream.readline()
        if not raw:
            return -1, offset, synthetic
        line = raw.strip().strip("\ufeff")
        if line.startswith("#"):
            synthetic = synthetic or SYNTHETIC_MARK in line
        elif line.strip(",;\t \"'"):
            return index, offset, synthetic
        index += 1


def _too_large(label: str, found: str) -> ReadError:
    return ReadError(
        "Bestand is te groot om te lezen",
        code="too_large",
        file=label,
        expected=f"hoogstens {MAX_ROWS:_} regels, ".replace("_", ".")
        + f"{MAX_COLUMNS} kolommen en {MAX_FILE_BYTES >> 20} MB",
        found=found,
        hint="Splits het bestand, bijvoorbeeld per schooljaar of per vestiging",
    )


def _start_of_table(stream: io.StringIO, label: str) -> tuple[int, int, bool]:
    """The header line's index and offset and the synthetic mark; an error if there is none."""
    header_index, offset, synthetic = _header(stream)
    if header_index < 0:
        raise ReadError(
            "Bestand is leeg",
            code="empty_file",
            file=label,
            expected="een kopregel met kolomnamen en daaronder gegevens",
            found="alleen commentaar of lege regels",
            hint="Lever het bestand opnieuw aan, met gegevens",
        )
    return header_index, offset, synthetic


def _delimiter(stream: io.StringIO, offset: int, label: str) -> str:
    """The separator of the header line at ``offset``; too many columns is an error."""
    stream.seek(offset)
    first = stream.readline()
    delimiter = _sniff_delimiter(_LINE_END.split(first, maxsplit=1)[0])
    if first.count(delimiter) >= MAX_COLUMNS:
        raise _too_large(label, f"{first.count(delimiter) + 1} kolommen")
    return delimiter


def _records(
    stream: io.StringIO, offset: int, delimiter: str, header_index: int, label: str
) -> tuple[list[str], list[tuple[int, list[Any]]], list[int]]:
    """The header, the data records with the line each starts on, and the blank lines."""
    stream.seek(offset)
    reader = csv.reader(stream, delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    blank: list[int] = []
    line = header_index + 1  # line number (1-based) where the next record starts
    try:
        for number, cells in enumerate(reader):
            first, line = line, header_index + reader.line_num + 1
            if number == 0:
                header = cells
            elif not any(c.strip() for c in cells):
                blank.append(first)
            elif len(rows) == MAX_ROWS:
                raise _too_large(label, f"meer dan {MAX_ROWS:,} regels".replace(",", "."))
            else:
                rows.append((first, cells))
    except csv.Error:
        raise ReadError(
            "Regel niet leesbaar als CSV",
            code="bad_csv",
            file=label,
            row=line,
            expected="velden gescheiden door ';' of ',' (waarden met het scheidingsteken tussen aanhalingstekens)",
            found="een te lang veld of een aanhalingsteken dat niet sluit",
            hint="Controleer de aanhalingstekens vanaf deze regel",
        ) from None
    return header, rows, blank


def _read_csv(kind: str, label: str, data: bytes, digest: str) -> RawTable:
    text, encoding = _decode(data, label)
    stream = io.StringIO(text, newline="")  # one pass, line by line; no copy of the text
    del text
    header_index, offset, synthetic = _start_of_table(stream, label)
    delimiter = _delimiter(stream, offset, label)
    header, rows, blank = _records(stream, offset, delimiter, header_index, label)
    header_row = header_index + 1
    frame, problems, rejected = build_frame(kind, label, header, rows, header_row, False)
    return finish_table(
        kind,
        label,
        frame,
        header_row,
        digest,
        synthetic,
        rows,
        blank,
        problems,
        rejected,
        encoding=encoding,
        delimiter=delimiter,
    )


_NOT_TABLES = (
    (b"%PDF", "een PDF-bestand"),
    (b"\x89PNG", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
    (b"GIF8", "een afbeelding (GIF)"),
    (b"{\\rtf", "een RTF-document"),
)


def _not_a_table(data: bytes) -> str | None:
    for magic, what in _NOT_TABLES:
        if data.startswith(magic):
            return what
    head = data[:4096]
    if b"\x00" in head:
        return "binaire gegevens"
    if re.match(rb"\s*<(!doctype html|html|\?xml)", head, re.IGNORECASE):
        return "een webpagina of XML-bestand"
    return None


#: Workbooks read in this process by (kind, label, SHA-256 of their bytes), newest last. Parsing
#: one takes openpyxl about 0.3 s; the same delivery is read again when it is validated again in
#: one process (a notebook session, ``evallib verify`` after a run, the test suite). Bounded, so
#: a national run's thousands of files do not stay in memory.
_WORKBOOKS: Recent[RawTable] = Recent(32)


def _read_workbook(kind: str, label: str, data: bytes, digest: str) -> RawTable:
    """:func:`~evallib.ingest.sheets.read_xlsx`, once per content; callers get their own frame."""
    from evallib.ingest.sheets import read_xlsx  # only needed for spreadsheets

    table = _WORKBOOKS.get((kind, label, digest), lambda: read_xlsx(kind, label, data, digest))
    return replace(table, frame=table.frame.copy())


def read_raw(path: str | Path, kind: str, label: str | None = None) -> RawTable:
    """Read one delivered file (CSV or XLSX) without typing its values.

    The format is recognised from the bytes, not from the file name.

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
    ReadError
        If the file is empty, not a spreadsheet, has no usable header or no data
        rows; ``code`` says which.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "lesuren.csv"
    >>> _ = f.write_text("# opmerking\\ndocent_id;lesuren_totaal\\nD1;640,5\\n\\nD2;12\\n", encoding="utf-8")
    >>> t = read_raw(f, "lesuren")
    >>> t.delimiter, t.frame.to_dict("records"), t.blank_lines
    (';', [{'docent_id': 'D1', 'lesuren_totaal': '640,5', '_row': 3}, {'docent_id': 'D2', 'lesuren_totaal': '12', '_row': 5}], 1)
    """
    path = Path(path)
    label = label or str(path)
    if kind not in ALL_FILES:
        raise InputError(
            "Onbekend soort bestand", file=label, expected=", ".join(ALL_FILES), found=kind
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # before reading a byte of it
            raise _too_large(label, f"{size >> 20} MB")
        data = path.read_bytes()
    except OSError:
        raise ReadError(
            "Bestand is niet te openen",
            code="unreadable",
            file=label,
            hint="Controleer of het bestand bestaat en leesbaar is",
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise ReadError(
            "Bestand is leeg",
            code="empty_file",
            file=label,
            expected="een kopregel met kolomnamen en daaronder gegevens",
            found="0 bytes" if not data else "alleen witruimte",
            hint="Lever het bestand opnieuw aan",
        )
    if data[:4] == b"PK\x03\x04":
        return _read_workbook(kind, label, data, digest)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(
            "Oud Excel-formaat (.xls) of een met wachtwoord beveiligd Excel-bestand",
            code="old_excel",
            file=label,
            expected=".xlsx of .csv, zonder wachtwoord",
            found=".xls of beveiligde werkmap",
            hint="Open het bestand in Excel, haal een eventueel wachtwoord weg en sla het op als .xlsx",
        )
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        what = _not_a_table(data)
        if what:
            raise ReadError(
                "Bestand is geen spreadsheet",
                code="not_a_spreadsheet",
                file=label,
                expected="een CSV- of Excel-bestand (.xlsx)",
                found=what,
                hint="Lever de gegevens aan als CSV of XLSX",
            )
    return _read_csv(kind, label, data, digest)
