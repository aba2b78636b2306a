"""A smaller copy of the example: a few of its schools, and the programme file cut to match.

Tests of the engine and fault probes that need real deliveries but not every school run on
it: four school notebooks instead of eight, and validation of about half the files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
PROGRAMME = ROOT / "programmes" / "haaglanden-2013.yaml"

#: Every project keeps a participant: starters (01GX, 14WE), e-coaching (02DZ), halverwege
#: (02DZ, 14WE), duo (02GP); and both comparison schools (00PJ, 20AB).
SMALL = frozenset({"00PJ", "01GX", "02DZ", "02GP", "14WE", "20AB"})


def trimmed_programme(keep: Iterable[str] = SMALL) -> dict:
    """Haaglanden 2013's programme (as YAML data) with only the schools in ``keep``."""
    keep = set(keep)
    programme = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    programme["schools"] = [s for s in programme["schools"] if s["brin"] in keep]
    for project in programme["projects"]:
        project["participants"] = {
            brin: locations for brin, locations in project["participants"].items() if brin in keep
        }
        assert project["participants"], f"{project['id']} keeps no school of {sorted(keep)}"
    return programme


def small_example(folder: Path, keep: Iterable[str] = SMALL, programme: dict | None = None) -> Path:
    """Write ``folder/raw`` (the kept schools' deliveries) and ``folder/programme.yaml``.

    ``programme`` defaults to :func:`trimmed_programme` of ``keep``. Returns the raw folder;
    :func:`programme_file` gives the programme file beside it.
    """
    keep = set(keep)
    raw = folder / "raw"
    raw.mkdir(parents=True)
    for path in EXAMPLE.iterdir():
        if path.is_file():
            shutil.copy2(path, raw / path.name)  # the synthetic marking and planted.json
        elif path.name in keep:
            shutil.copytree(path, raw / path.name)
    write_programme(folder, programme or trimmed_programme(keep))
    return raw


def write_programme(folder: Path, programme: dict) -> Path:
    """Write ``programme`` (YAML data) to ``folder/programme.yaml``; return its path."""
    path = folder / "programme.yaml"
    path.write_text(yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8")
    return path


def programme_file(raw: Path) -> Path:
    """The programme file :func:`small_example` wrote beside ``raw``."""
    return raw.parent / "programme.yaml"
