"""Writers for :mod:`evallib.synth.generator`: files in the formats schools really deliver.

Every file says it is synthetic: a CSV file starts with a comment line holding
:data:`~evallib.contract.schema.SYNTHETIC_MARK`; a workbook carries it as its title and on a
``LEESMIJ`` sheet. Output is reproducible byte for byte: no clock, no dict or set
order, fixed zip entries.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import yaml
from openpyxl.writer.excel import ExcelWriter

from evallib.contract.programme import Programme
from evallib.contract.schema import FILES, REGION_FILES, SURVEY, SYNTHETIC_MARK, Column, FileSpec
from evallib.synth.settings import Settings

#: Fixed workbook and zip timestamps (the generator gives the day after the peildatum).
WORKBOOK_TIME = dt.datetime(2016, 8, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 met BOM", "cp1252": "Windows-1252"}
_DATES = {"%Y-%m-%d": "JJJJ-MM-DD", "%d-%m-%Y": "DD-MM-JJJJ"}


@dataclass(frozen=True)
class FileFormat:
    """How one school writes its files.

    Examples
    --------
    >>> FileFormat(sep=";", encoding="cp1252", decimal=",", date_format="%d-%m-%Y").describe()
    "CSV, scheidingsteken ';', Windows-1252, decimaalteken ',', datums DD-MM-JJJJ"
    """

    extension: str = "csv"
    sep: str = ","
    encoding: str = "utf-8"
    decimal: str = "."
    date_format: str = "%Y-%m-%d"

    def describe(self) -> str:
        if self.extension == "xlsx":
            return "Excel (xlsx) met echte datums en getallen"
        return (
            f"CSV, scheidingsteken '{self.sep}', {_ENCODINGS[self.encoding]}, "
            f"decimaalteken '{self.decimal}', datums {_DATES[self.date_format]}"
        )


def format_of(brin: str, settings: Settings | None = None) -> FileFormat:
    """The file format of a school: its companion file's, else plain UTF-8 CSV.

    Schools deliver in different ways; readers must cope with all of them.

    Examples
    --------
    >>> format_of("01AB")
    FileFormat(extension='csv', sep=',', encoding='utf-8', decimal='.', date_format='%Y-%m-%d')
    """
    given = (settings or Settings()).school(brin).format
    return FileFormat(given) if isinstance(given, str) else FileFormat(**given.model_dump())


def write_table(
    folder: Path,
    kind: str,
    table: pd.DataFrame,
    fmt: FileFormat,
    created: dt.datetime = WORKBOOK_TIME,
) -> Path:
    """Write one file of ``kind`` (columns as in the schema) in ``fmt``; ``created`` dates a workbook.

    Examples
    --------
    >>> import tempfile
    >>> t = pd.DataFrame({"respondent": ["R0001"], "brin": ["14WE"], "vestiging": ["00"],
    ...     "schooljaar": ["2013/14"], "groep": ["leerlingen"], "tevredenheid": [4],
    ...     "inzetbaarheid": [None], "samenwerking": [None], "digitaal": [5]})
    >>> fmt = FileFormat(sep=";", encoding="utf-8-sig", decimal=",", date_format="%d-%m-%Y")
    >>> path = write_table(Path(tempfile.mkdtemp()), "enquete", t, fmt)
    >>> path.read_text(encoding="utf-8-sig").splitlines()[1:]
    ['respondent;brin;vestiging;schooljaar;groep;tevredenheid;inzetbaarheid;samenwerking;digitaal', 'R0001;14WE;00;2013/14;leerlingen;4;;;5']
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.{fmt.extension}"
    data = _xlsx(kind, table, created) if fmt.extension == "xlsx" else _csv(kind, table, fmt)
    path.write_bytes(data)
    return path


def _csv(kind: str, table: pd.DataFrame, fmt: FileFormat) -> bytes:
    text = _as_text(kind, table, fmt).to_csv(sep=fmt.sep, index=False, lineterminator="\n")
    return f"# {SYNTHETIC_MARK}\n{text}".encode(fmt.encoding)


def _spec(kind: str, table: pd.DataFrame) -> FileSpec:
    """The file's contract, with the survey's item columns the table has (the programme's)."""
    spec = {**FILES, **REGION_FILES}[kind]
    items = [c for c in table.columns if c not in spec.column_names and kind == SURVEY.name]
    extra = tuple(Column(c, "likert", False, c, "4", minimum=1, maximum=5) for c in items)
    return replace(spec, columns=(*spec.columns, *extra))


def _as_text(kind: str, table: pd.DataFrame, fmt: FileFormat) -> pd.DataFrame:
    out = {}
    spec = _spec(kind, table)
    for col in spec.columns:
        values = table[col.name]
        if col.kind == "date":
            out[col.name] = pd.to_datetime(values).dt.strftime(fmt.date_format).fillna("")
        elif col.kind == "decimal":
            out[col.name] = [_number(v, fmt.decimal) for v in values.to_numpy(dtype=float)]
        elif col.kind == "bool":
            out[col.name] = np.where(values.to_numpy(dtype=bool), "ja", "nee")
        elif col.kind in ("int", "likert"):
            out[col.name] = values.astype("Int64").astype("string").fillna("")
        else:
            out[col.name] = values.fillna("").astype(str)
    return pd.DataFrame(out, columns=list(spec.column_names))


def _number(value: float, decimal: str) -> str:
    """``640.0`` as ``640``, ``96.5`` as ``96,5`` with a decimal comma (up to 4 decimals); NaN as empty."""
    if np.isnan(value):
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", decimal)


def _cells(values: pd.Series, kind: str) -> list:
    """Column values as Excel cells: real dates and numbers, ``None`` when empty."""
    if kind == "date":
        return [None if pd.isna(v) else v.date() for v in pd.to_datetime(values)]
    if kind == "decimal":
        return [None if np.isnan(v) else float(v) for v in values.to_numpy(dtype=float)]
    if kind == "bool":
        return ["ja" if v else "nee" for v in values.to_numpy(dtype=bool)]
    if kind in ("int", "likert"):
        return [None if pd.isna(v) else int(v) for v in values.astype("Int64")]
    return [None if pd.isna(v) or v == "" else str(v) for v in values]


def _xlsx(kind: str, table: pd.DataFrame, created: dt.datetime) -> bytes:
    spec = _spec(kind, table)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind
    sheet.append(list(spec.column_names))
    for row in zip(*(_cells(table[c.name], c.kind) for c in spec.columns), strict=True):
        sheet.append(row)
    for j, col in enumerate(spec.columns, start=1):
        if col.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = "dd-mm-yyyy"
    info = book.create_sheet("LEESMIJ")
    info["A1"] = SYNTHETIC_MARK
    info["A2"] = "Verzonnen gegevens, gemaakt met evallib synth; zie LEESMIJ.md."
    props = book.properties
    props.title, props.creator, props.lastModifiedBy = SYNTHETIC_MARK, "evallib synth", None
    props.created = props.modified = created
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()  # save() closes
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and attributes, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def write_json(path: Path, data: dict) -> Path:
    """Write JSON with sorted keys, indent 2, UTF-8 and a final newline."""
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
    return path


def read_json(path: Path) -> dict:
    """Read a JSON file written by :func:`write_json`."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_programme(path: Path, programme: Programme) -> Path:
    """Write a programme as YAML that :func:`evallib.contract.programme.load_programme` reads back."""
    data = programme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    head = (
        f"# {SYNTHETIC_MARK}\n# Programma {programme.id} met de extra (echte, DUO) locaties "
        "van de synthetische set; geschreven door evallib synth.\n"
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(head + body, encoding="utf-8", newline="\n")
    return path
