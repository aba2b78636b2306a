"""Find the schools and their files in a raw data directory.

Layout: one folder per school, named by its BRIN code (``01GX/`` or
``01GX_Christelijk_Lyceum/``), holding ``personeel``, ``deelname``, ``lesuren``
and ``enquete`` as ``.csv`` (or ``.txt``) or ``.xlsx``. Anything else in a school
folder is reported, so a misnamed or unreadable file is never silently ignored:
a file of a known kind in another format (``personeel.xls``, ``.ods``) is an
error, any other file a warning.

**One view of the files.** :func:`entries` is the only way evallib lists a raw folder:
school discovery, reading and the cache key (:func:`raw_fingerprint`) all use it, so the
cache can never miss a change that validation would see. Its policy: symbolic links are
followed (a school folder or file may live elsewhere, e.g. on a shared drive), hidden
files and the litter of Excel and operating systems are skipped, and an entry that cannot
be read (no permission, a link to nothing) is kept with the reason, so validation names it
as an error instead of a traceback stopping every school.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from evallib.contract.programme import Programme
from evallib.contract.schema import FILES, REGION_FILES
from evallib.core.errors import InputError, Problem
from evallib.core.text import visible
from evallib.ingest.read import EXTENSIONS, normalise_header

#: Problems with the region's own files are filed under this name instead of a BRIN.
REGION = "regio"
_FOLDER = re.compile(r"^([0-9]{2}[A-Za-z]{2})(?:$|[ _-])")
#: Files that operating systems and Excel leave behind; never reported.
_LITTER = re.compile(r"^(\.|~\$)|^(thumbs\.db|desktop\.ini)$", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One file or folder in a raw folder, as evallib sees it (symbolic links followed).

    ``error`` says why it cannot be read; it is empty when it can.
    """

    path: Path
    is_dir: bool
    error: str = ""

    @property
    def name(self) -> str:
        return self.path.name


def entries(folder: Path) -> list[Entry]:
    """The entries of ``folder`` evallib looks at, sorted by name (see the module docstring).

    Examples
    --------
    >>> [e.name for e in entries(Path("data/raw/example/14WE"))]
    ['deelname.csv', 'enquete.csv', 'lesuren.csv', 'personeel.csv']
    """
    found = []
    for path in sorted(folder.iterdir()):
        if _LITTER.search(path.name):
            continue
        try:
            path.stat()  # follows symbolic links
        except OSError as exc:
            found.append(Entry(path, False, _reason(exc)))
            continue
        if path.is_dir():
            found.append(Entry(path, True))
        elif not path.is_file():
            found.append(Entry(path, False, "geen gewoon bestand"))
        elif not os.access(path, os.R_OK):
            found.append(Entry(path, False, "geen leesrechten"))
        else:
            found.append(Entry(path, False))
    return found


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "verwijst naar een bestand dat niet bestaat"
    if isinstance(exc, PermissionError):
        return "geen leesrechten"
    return exc.strerror or type(exc).__name__


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_fingerprint(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every file evallib would look at (relative POSIX path -> hash): the cache key.

    Files at the top and in each folder one level down, as :func:`entries` lists them; a
    folder inside a school folder counts by name, and a file that cannot be read by the
    reason, so the key changes when it becomes readable.

    Examples
    --------
    >>> files = raw_fingerprint(Path("data/raw/example"))
    >>> "01GX/personeel.xlsx" in files, len(files["01GX/personeel.xlsx"])
    (True, 64)
    """
    found: dict[str, str] = {}

    def add(entry: Entry, name: str) -> None:
        if entry.error:
            found[name] = f"onleesbaar: {entry.error}"
            return
        try:
            found[name] = _digest(entry.path)
        except OSError as exc:
            found[name] = f"onleesbaar: {_reason(exc)}"

    for top in entries(raw_dir):
        if not top.is_dir:
            add(top, top.name)
            continue
        for inner in entries(top.path):
            name = f"{top.name}/{inner.name}"
            if inner.is_dir:
                found[name + "/"] = "map"
            else:
                add(inner, name)
    return found


def school_folders(raw_dir: Path, programme: Programme, problems: list[Problem]) -> dict[str, Path]:
    """``{brin: folder}`` for the programme's schools found in ``raw_dir``.

    Folders of unknown schools, two folders for one school, and (as a warning)
    programme schools without a folder are added to ``problems``.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> found: list = []
    >>> folders = school_folders(Path("data/raw/example"), load_programme("programmes/haaglanden-2013.yaml"), found)
    >>> sorted(folders)[:3], found
    (['00PJ', '01GX', '01MB'], [])
    """
    folders: dict[str, Path] = {}
    known = {s.brin for s in programme.schools}
    listed = entries(raw_dir)
    region = {normalise_header(e.path.stem) for e in listed if not e.is_dir} & set(REGION_FILES)
    if not region and not any(e.is_dir for e in listed):
        raise InputError(
            "Map met ruwe gegevens bevat geen schoolmappen",
            file=str(raw_dir),
            expected="één map per school, genoemd naar de BRIN-code (bijv. 01GX/)",
            found="een lege map" if not listed else "alleen losse bestanden",
            hint="Geef de map met de aanleveringen van de scholen",
        )
    for item in listed:
        if not item.is_dir:
            continue
        entry = item.path
        match = _FOLDER.match(entry.name)
        brin = match.group(1).upper() if match else None
        if brin is None or brin not in known:
            problems.append(
                Problem(
                    file=visible(entry.name + "/"),
                    row=None,
                    column=None,
                    code="unknown_school",
                    message="Map hoort niet bij een school uit het programma",
                    expected="een map per school, genoemd naar de BRIN-code (bijv. 01GX)",
                    found=visible(entry.name),
                    school=brin or visible(entry.name),
                )
            )
            continue
        if brin in folders:
            problems.append(
                Problem(
                    file=entry.name + "/",
                    row=None,
                    column=None,
                    code="duplicate_folder",
                    message="Twee mappen voor dezelfde school",
                    expected="één map per school",
                    found=f"{folders[brin].name} en {entry.name}",
                    school=brin,
                )
            )
            continue
        folders[brin] = entry
    for school in programme.schools:
        if school.brin not in folders:
            problems.append(
                Problem(
                    file=f"{school.brin}/",
                    row=None,
                    column=None,
                    code="missing_school",
                    message=f"Geen aanlevering van {school.name}",
                    expected=f"een map {school.brin}/",
                    found="geen map",
                    school=school.brin,
                    severity="warning",
                )
            )
    return folders


def school_files(folder: Path, brin: str, problems: list[Problem]) -> dict[str, Path]:
    """``{kind: path}`` of the files to read in one school's folder.

    Two readable files of one kind are an error (which one is meant?); a file of a
    known kind in a format evallib does not read is an error; other files and
    folders are warnings.

    Examples
    --------
    >>> found: list = []
    >>> sorted(school_files(Path("data/raw/example/14WE"), "14WE", found)), found
    (['deelname', 'enquete', 'lesuren', 'personeel'], [])
    """
    by_kind: dict[str, list[Path]] = {kind: [] for kind in FILES}
    others: dict[str, list[Path]] = {kind: [] for kind in FILES}
    unknown: list[Path] = []
    for entry in entries(folder):
        path = entry.path
        kind = normalise_header(path.stem)
        if kind in FILES and (entry.error or entry.is_dir):
            found_as = "een map" if entry.is_dir else entry.error
            problems.append(
                _problem(
                    f"{folder.name}/{path.name}",
                    brin,
                    "unreadable",
                    "Bestand is niet te lezen",
                    f"een leesbaar bestand {kind}.csv of {kind}.xlsx",
                    found_as,
                )
            )
            continue
        if entry.is_dir or entry.error or kind not in FILES:
            unknown.append(path)
        elif path.suffix.lower() in EXTENSIONS:
            by_kind[kind].append(path)
        else:
            others[kind].append(path)
    found: dict[str, Path] = {}
    for kind in FILES:
        paths = by_kind[kind]
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            problems.append(
                _problem(
                    f"{folder.name}/",
                    brin,
                    "duplicate_file",
                    f"Meer dan één bestand '{kind}'",
                    "één bestand per soort",
                    names,
                )
            )
        elif paths:
            found[kind] = paths[0]
        for path in others[kind]:
            problems.append(
                _problem(
                    f"{folder.name}/{path.name}",
                    brin,
                    "unsupported_format",
                    f"Bestandsformaat {path.suffix or '(zonder extensie)'} wordt niet gelezen",
                    f"{kind}.csv of {kind}.xlsx (sla het bestand in Excel op als .xlsx)",
                    path.name,
                    "warning" if paths else "error",
                )
            )
    for path in unknown:
        problems.append(
            _problem(
                f"{folder.name}/{path.name}",
                brin,
                "unknown_file",
                "Map wordt niet gelezen" if path.is_dir() else "Bestand wordt niet gelezen",
                "alleen personeel, deelname, lesuren en enquete (.csv of .xlsx)",
                path.name,
                "warning",
            )
        )
    return found


def _problem(
    file: str,
    brin: str,
    code: str,
    message: str,
    expected: str,
    found: str,
    severity: str = "error",
) -> Problem:
    return Problem(
        file=visible(file),
        row=None,
        column=None,
        code=code,
        message=visible(message),
        expected=expected,
        found=visible(found),
        school=brin,
        severity=severity,
    )


def region_files(raw_dir: Path, problems: list[Problem]) -> dict[str, Path]:
    """``{kind: path}`` of the files delivered once for the region, next to the school folders.

    Today that is the indicator file (``indicatoren.csv`` or ``.xlsx``): figures the region
    gets from elsewhere. Two of them is an error; other files at the top are not read.

    Examples
    --------
    >>> found: list = []
    >>> region_files(Path("data/raw/example"), found), found
    ({}, [])
    """
    by_kind: dict[str, list[Path]] = {kind: [] for kind in REGION_FILES}
    for item in entries(raw_dir):  # the one view of the files (see the module docstring)
        if item.is_dir:
            continue
        entry = item.path
        kind = normalise_header(entry.stem)
        if kind in by_kind and entry.suffix.lower() in EXTENSIONS:
            by_kind[kind].append(entry)
    found = {}
    for kind, paths in by_kind.items():
        if len(paths) > 1:
            problems.append(
                _problem(
                    paths[0].name,
                    REGION,
                    "two_files",
                    f"Meer dan één bestand '{kind}'",
                    "één bestand per soort",
                    ", ".join(p.name for p in paths),
                )
            )
        elif paths:
            found[kind] = paths[0]
    return found
