"""Find the schools and their files in a raw data directory.

Layout: one folder per school, named by its BRIN code (``01GX/`` or
``01GX_Christelijk_Lyceum/``), holding ``personeel``, ``deelname``, ``lesuren``
and ``enquete`` as ``.csv`` (or ``.txt``) or ``.xlsx``. Anything else in a school
folder is reported, so a misnamed or unreadable file is never silently ignored:
a file of a known kind in another format (``personeel.xls``, ``.ods``) is an
error, any other file a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from evallib.contract.programme import Programme
from evallib.contract.schema import FILES, REGION_FILES
from evallib.core.errors import Problem
from evallib.ingest.read import EXTENSIONS, normalise_header

#: Problems with the region's own files are filed under this name instead of a BRIN.
REGION = "regio"
_FOLDER = re.compile(r"^([0-9]{2}[A-Za-z]{2})(?:$|[ _-])")
#: Files that operating systems and Excel leave behind; never reported.
_LITTER = re.compile(r"^(\.|~\$)|^(thumbs\.db|desktop\.ini)$", re.IGNORECASE)


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
    for entry in sorted(raw_dir.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        match = _FOLDER.match(entry.name)
        brin = match.group(1).upper() if match else None
        if brin is None or brin not in known:
            problems.append(
                Problem(
                    file=entry.name + "/",
                    row=None,
                    column=None,
                    code="unknown_school",
                    message="Map hoort niet bij een school uit het programma",
                    expected="een map per school, genoemd naar de BRIN-code (bijv. 01GX)",
                    found=entry.name,
                    school=brin or entry.name,
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
    for path in sorted(folder.iterdir()):
        if _LITTER.search(path.name):
            continue
        kind = normalise_header(path.stem) if path.is_file() else ""
        if kind not in FILES:
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
        file=file,
        row=None,
        column=None,
        code=code,
        message=message,
        expected=expected,
        found=found,
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
    for entry in sorted(raw_dir.iterdir()):
        if not entry.is_file() or _LITTER.match(entry.name):
            continue
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
