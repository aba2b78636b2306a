"""Synthetic example data: raw school files with known, planted effects.

Real teacher data never leaves the schools, so the library, its notebooks and the
reports are built and shown on synthetic files that follow the data contract
(:mod:`evallib.contract.schema`) and hide effects of known size, the *planted truth*, which an
honest evaluation has to recover:

- starters leave at a constant hazard (a true 3-year dropout of 30 %), lower for programme
  cohorts at the locations of a project with a starter target (and nowhere else);
- teachers in an age band leave at one rate, the participants of a project that should
  keep them at a lower one;
- teams whose digital lessons are followed give a rising share of them;
- survey shares scoring 4 or 5 rise where a project should move them;
- participation counts meet some planned ranges and miss others;
- region-level figures (``indicatoren.csv``) meet some targets and miss others.

What is simulated follows from the programme's targets (:mod:`evallib.synth.plan`), refined
by its optional companion file (:mod:`evallib.synth.settings`). The truth is written to
``planted.json`` beside the data. Each school draws from its own random stream, so one
school's files do not depend on the others.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import tempfile
import zlib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from evallib.contract.programme import Programme, School
from evallib.core.dates import format_school_year
from evallib.core.errors import EvallibError
from evallib.evaluation.planted import selection_keys
from evallib.synth import readme
from evallib.synth import write as synth_write
from evallib.synth.days import Calendar
from evallib.synth.indicators import indicator_table
from evallib.synth.plan import SynthPlan, make_plan
from evallib.synth.quotas import member_quotas, selection_quotas
from evallib.synth.school import simulate_school
from evallib.synth.settings import Settings, load_settings
from evallib.synth.staff import Location
from evallib.synth.truth import planted_settings

DUO_FILE = "duo_vo_vestigingen.csv"
#: Largest synthetic set: DUO's locations, then made-up ones (national scale is about 1,500).
MAX_LOCATIONS = 5000
#: The programme ``evallib synth`` uses when given none (its command line omits it).
DEFAULT_PROGRAMME = Path("programmes/haaglanden-2013.yaml")


def generate(
    out: Path,
    *,
    programme: Programme,
    seed: int = 2013,
    locations: int | None = None,
    settings: Settings | None = None,
) -> Path:
    """Write a complete synthetic raw data directory and its planted truth.

    Parameters
    ----------
    out
        Directory to write; created if needed. It must be empty or hold an earlier
        synthetic set (whose files are replaced).
    programme
        The programme whose schools, locations and projects are simulated.
    seed
        Seed of the random streams; the same seed gives byte-identical files.
    locations
        Total number of locations. ``None``: exactly the programme's. More: real
        DUO locations are added as extra schools and ``programma.yaml`` is written.
    settings
        The programme's companion settings; default: its companion file if it has one
        (:func:`evallib.synth.settings.load_settings`).

    Returns
    -------
    Path
        ``out``, holding ``<BRIN>/<kind>.csv|xlsx``, ``LEESMIJ.md``, ``planted.json`` and,
        for a programme with indicators, ``indicatoren.csv``.

    Raises
    ------
    EvallibError
        For a bad seed or location count, or an output directory in use.

    Examples
    --------
    >>> import tempfile
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> out = generate(Path(tempfile.mkdtemp()) / "raw", programme=p, seed=1)
    >>> sorted(f.name for f in (out / "00PJ").iterdir())
    ['enquete.csv', 'lesuren.csv', 'personeel.csv']
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise EvallibError("Ongeldige seed", expected="geheel getal ≥ 0", found=repr(seed))
    plan = make_plan(programme, load_settings(programme) if settings is None else settings)
    if locations is not None:
        programme = extend_programme(programme, locations)
    out = Path(out)
    earlier = _earlier_set(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written aside first: a failed run leaves ``out`` as it was.
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _write_set(work, programme, plan, int(seed), locations)
        for name in earlier:
            (out / name).unlink(missing_ok=True)
            if (out / name).parent != out and not any((out / name).parent.iterdir()):
                (out / name).parent.rmdir()
        out.mkdir(exist_ok=True)
        for entry in sorted(work.iterdir()):
            entry.rename(out / entry.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _write_set(
    out: Path, programme: Programme, plan: SynthPlan, seed: int, locations: int | None
) -> None:
    calendar = Calendar.of(programme)
    places = {s.brin: _locations_of(s, programme, plan) for s in programme.schools}
    quotas = _quotas(plan, [loc for locs in places.values() for loc in locs], calendar)
    streams = np.random.SeedSequence(seed).spawn(len(programme.schools))
    created = dt.datetime.combine(programme.reference_date + dt.timedelta(days=1), dt.time())
    files: list[Path] = []
    schools = {}
    for index, (school, stream) in enumerate(zip(programme.schools, streams, strict=True)):
        tables, truth = simulate_school(
            school,
            places[school.brin],
            index,
            calendar,
            quotas,
            plan,
            np.random.default_rng(stream),
        )
        fmt = synth_write.format_of(school.brin, plan.settings)
        files += [
            synth_write.write_table(out / school.brin, kind, table, fmt, created)
            for kind, table in tables.items()
        ]
        schools[school.brin] = {
            "name": school.name,
            "role": school.role,
            "file_format": fmt.describe(),
            **truth,
        }
    planted = _planted(programme, plan, calendar, seed, locations, schools, quotas)
    if programme.indicators:
        table, planted["region"]["indicators"] = indicator_table(plan)
        files.append(synth_write.write_table(out, "indicatoren", table, synth_write.FileFormat()))
    if locations is not None:
        files.append(synth_write.write_programme(out / "programma.yaml", programme))
    files.append(readme.write_readme(out / "LEESMIJ.md", planted, plan))
    planted["files"] = sorted([f.relative_to(out).as_posix() for f in files] + ["planted.json"])
    synth_write.write_json(out / "planted.json", planted)


def extend_programme(programme: Programme, locations: int) -> Programme:
    """Add real DUO locations (as extra schools) until there are ``locations``.

    Extra locations are DUO's in order of BRIN and vestiging, skipping the
    programme's own schools. Each extra school joins one or two of the projects,
    chosen from a stable hash of its BRIN; about one in ten becomes a comparison school.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = extend_programme(load_programme("programmes/haaglanden-2013.yaml"), 20)
    >>> [(s.brin, list(s.locations)) for s in p.schools[10:]]
    [('00AH', ['00', '07'])]
    """
    have = sum(len(s.locations) for s in programme.schools)
    duo = _duo_table()
    spare = duo[~duo["brin"].isin([s.brin for s in programme.schools])]
    spare = spare.sort_values(["brin", "vestiging"], kind="stable")
    if (
        isinstance(locations, bool)
        or not isinstance(locations, int | np.integer)
        or not (have <= locations <= MAX_LOCATIONS)
    ):
        raise EvallibError(
            "Ongeldig aantal locaties",
            expected=f"geheel getal van {have} t/m {MAX_LOCATIONS}",
            found=repr(locations),
            hint=f"Het programma heeft zelf {have} locaties; meer worden uit DUO's lijst aangevuld, "
            "en daarna met fictieve scholen",
        )
    extra = spare.head(int(locations) - have)
    if len(extra) < int(locations) - have:
        extra = pd.concat(
            [extra, _fictitious(int(locations) - have - len(extra), set(duo["brin"]))]
        )
    project_ids = [p.id for p in programme.projects]
    schools, joins = [], {pid: {} for pid in project_ids}
    for brin, group in extra.groupby("brin", sort=True):
        code = zlib.crc32(brin.encode())
        role = "comparison" if code % 10 == 0 or not project_ids else "participant"
        place = group["plaats"].iloc[0].title().replace("'S-", "'s-")
        locs = dict(zip(group["vestiging"], group["naam"], strict=True))
        schools.append(
            School(brin=brin, name=group["naam"].iloc[0], place=place, role=role, locations=locs)
        )
        if role == "participant":
            for pid in _projects_for(code, project_ids):
                joins[pid][brin] = tuple(locs)
    projects = tuple(
        p.model_copy(update={"participants": {**p.participants, **joins[p.id]}})
        for p in programme.projects
    )
    return programme.model_copy(
        update={"schools": programme.schools + tuple(schools), "projects": projects}
    )


def _fictitious(count: int, taken: set[str]) -> pd.DataFrame:
    """Made-up schools of two locations each, beyond DUO's list, named as such."""
    letters = [a + b for a in "ZYXW" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    codes = (f"{n:02d}{pair}" for pair in letters for n in range(99, 89, -1))
    rows = []
    for brin in codes:
        if len(rows) >= count:
            break
        if brin in taken:
            continue
        for vestiging in ("00", "01")[: count - len(rows)]:
            rows.append(
                {
                    "brin": brin,
                    "vestiging": vestiging,
                    "naam": f"Fictieve school {brin}",
                    "plaats": "FICTIEF",
                    "gemeente": "Fictief",
                    "aantal_leerlingen": "",
                }
            )
    return pd.DataFrame(rows)


def _projects_for(code: int, project_ids: list[str]) -> list[str]:
    first = code % len(project_ids)
    chosen = {first}
    if (code >> 8) % 2 and len(project_ids) > 1:
        chosen.add((first + 1 + (code >> 9) % (len(project_ids) - 1)) % len(project_ids))
    return [project_ids[i] for i in sorted(chosen)]


@functools.cache
def _duo_table() -> pd.DataFrame:
    with resources.files("evallib.synth").joinpath("data", DUO_FILE).open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@functools.cache
def _duo_pupils() -> dict[tuple[str, str], int]:
    duo = _duo_table()
    return {
        (b, v): int(n)
        for b, v, n in zip(duo["brin"], duo["vestiging"], duo["aantal_leerlingen"], strict=True)
    }


def _pupils(brin: str, code: str, plan: SynthPlan) -> int:
    """Pupils from the companion file, else DUO; a stable 600–900 for locations DUO does not list."""
    given = plan.settings.location(brin, code).pupils
    if given is not None:
        return given
    return _duo_pupils().get((brin, code), 600 + zlib.crc32(f"{brin}{code}".encode()) % 301)


def _locations_of(school: School, programme: Programme, plan: SynthPlan) -> list[Location]:
    return [
        Location(
            brin=school.brin,
            code=code,
            name=school.locations[code],
            pupils=_pupils(school.brin, code, plan),
            projects=frozenset(
                p.id for p in programme.projects if code in p.participants.get(school.brin, ())
            ),
            comparison=school.is_comparison,
        )
        for code in sorted(school.locations)
    ]


def _quotas(plan: SynthPlan, locs: list[Location], calendar: Calendar) -> dict:
    """Planned people per role, location and year, for ``selected`` and ``members`` roles."""
    quotas = {}
    for role in plan.of_kind("selected"):
        planned = set(plan.programme.project(role.project).participants)
        quotas[role.key] = selection_quotas(role, locs, planned)
    for role in plan.of_kind("members"):
        quotas[role.key] = member_quotas(role, locs, list(calendar.programme), plan)
    return quotas


def _earlier_set(out: Path) -> list[str]:
    """Files of an earlier synthetic set in ``out``; refuse a folder that holds other things."""
    if out.exists() and not out.is_dir():
        raise EvallibError("Uitvoerpad is geen map", file=str(out))
    if not out.exists() or not any(out.iterdir()):
        return []
    planted = out / "planted.json"
    if not planted.exists():
        raise EvallibError(
            "Uitvoermap is niet leeg",
            file=str(out),
            expected="een lege map of een eerdere synthetische set (met planted.json)",
            hint="Kies een nieuwe of lege map",
        )
    return [*synth_write.read_json(planted).get("files", []), "planted.json"]


def _planted(
    programme: Programme,
    plan: SynthPlan,
    calendar: Calendar,
    seed: int,
    locations: int | None,
    schools: dict,
    quotas: dict,
) -> dict:
    region = {"participation": _sum_counts(s["participation"] for s in schools.values())}
    for role in plan.of_kind("selected"):
        people = programme.project(role.project).role_label(role.role, "en")
        for year, _, _, by in role.groups:
            block, selected, on_time = selection_keys(role.role, people, by)
            planned = [q[year] for q in quotas[role.key].values() if year in q]
            region.setdefault(block, {})[format_school_year(year)] = {
                selected: sum(n for n, _ in planned),
                on_time: sum(n for _, n in planned),
            }
    return {
        "settings": {
            "seed": seed,
            "reference_date": programme.reference_date.isoformat(),
            "programme": programme.id,
            "locations": sum(len(s.locations) for s in programme.schools),
            "school_years": [format_school_year(y) for y in calendar.years],
            "programme_years": [format_school_year(y) for y in calendar.programme],
            "command": _command(programme, seed, locations),
            **planted_settings(calendar, plan),
        },
        "region": region,
        "schools": schools,
    }


def _command(programme: Programme, seed: int, locations: int | None) -> str:
    """The command line that makes this set again."""
    command = f"evallib synth --out DIR --seed {seed}"
    if locations is not None:
        command += f" --locations {locations}"
    if programme.path is not None and Path(programme.path).name != DEFAULT_PROGRAMME.name:
        command += f" --programme {Path(programme.path).as_posix()}"
    return command


def _sum_counts(parts: Iterable[dict]) -> dict:
    """Add up nested participation counts (schools have distinct people)."""
    total: dict = {}
    for part in parts:
        for project, roles in part.items():
            for role, series in roles.items():
                for kind, by_year in series.items():
                    slot = total.setdefault(project, {}).setdefault(role, {}).setdefault(kind, {})
                    for year, n in by_year.items():
                        slot[year] = slot.get(year, 0) + n
    return total
