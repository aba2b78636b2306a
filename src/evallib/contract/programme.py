"""A programme as data: schools, projects and targets loaded from YAML.

The YAML file is checked on load: unknown keys, missing values, unknown schools
or locations and malformed targets fail at once with a :class:`ProgrammeError`
that names the file and the key.

Reader-facing texts of the plan (a project's ``name`` and ``summary``, a target's
``title``) are Dutch; an optional ``en:`` mapping next to them gives the English
(``en: {name: ..., summary: ...}`` on a project, ``en: {title: ...}`` on a target).
:meth:`Project.label`, :meth:`Project.summary_text` and :meth:`Target.label` pick the
language and fall back to Dutch where no English is given.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evallib.core.dates import parse_school_year
from evallib.core.errors import EvallibError, ProgrammeError

SHAPES = ("relative_change", "threshold", "count_range", "pp_change", "distribution", "go_no_go")
LEVELS = ("location", "school", "region")
RULES = ("interval", "point")

# Keys each target shape takes beyond the common ones; anything else is an error.
_COMMON_TARGET_KEYS = {"id", "title", "source", "shape", "measure", "levels", "derived", "en"}
# Texts that may be given in English under ``en:``.
_PROJECT_EN_KEYS = {"name", "summary"}
_TARGET_EN_KEYS = {"title"}
_SHAPE_KEYS = {
    "relative_change": {"change"},
    "threshold": {"at_least", "at_most"},
    "count_range": {"milestones"},
    "pp_change": {"from", "to", "at_least", "at_most"},
    "distribution": {"category", "at_least", "at_most"},
    "go_no_go": {"at_least"},
}


@dataclass(frozen=True)
class School:
    """A school (BRIN) with its locations (vestigingen)."""

    brin: str
    name: str
    place: str
    role: str  # "participant" or "comparison"
    locations: Mapping[str, str]

    @property
    def is_comparison(self) -> bool:
        return self.role == "comparison"


@dataclass(frozen=True)
class Milestone:
    """A planned count by the end of a school year (``max`` may be open)."""

    year: int
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Target:
    """One measurable target of a project.

    ``measure`` names the measure and its parameters; the shape-specific values
    (``change``, ``at_least``, ``milestones`` ...) are plain attributes.
    """

    id: str
    project: str
    title: str
    source: str
    shape: str
    measure: Mapping[str, Any]
    levels: tuple[str, ...]
    derived: bool = False
    change: float | None = None
    at_least: float | None = None
    at_most: float | None = None
    from_year: int | None = None
    to_year: int | None = None
    category: str | None = None
    milestones: tuple[Milestone, ...] = ()
    #: English texts (``{"title": ...}``) from the ``en:`` mapping; empty when not given.
    en: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def measure_name(self) -> str:
        return str(self.measure["name"])

    def label(self, lang: str = "nl") -> str:
        """The target's title in ``lang``; the Dutch title where no English is given.

        Examples
        --------
        >>> target = load_programme("programmes/haaglanden-2013.yaml").targets[0]
        >>> target.label(), target.label("en")
        ('Uitval van startende docenten gehalveerd', 'Dropout of starting teachers halved')
        """
        return _pick(self.title, self.en, "title", lang)


@dataclass(frozen=True)
class Project:
    """A project with the locations that take part, per school, and its targets."""

    id: str
    name: str
    summary: str
    participants: Mapping[str, tuple[str, ...]]
    targets: tuple[Target, ...]
    #: English texts (``{"name": ..., "summary": ...}``) from the ``en:`` mapping.
    en: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def label(self, lang: str = "nl") -> str:
        """The project's name in ``lang``; the Dutch name where no English is given.

        Examples
        --------
        >>> project = load_programme("programmes/haaglanden-2013.yaml").project("starters")
        >>> project.label(), project.label("en")
        ('Een sterk startersprogramma', 'A strong programme for starting teachers')
        """
        return _pick(self.name, self.en, "name", lang)

    def summary_text(self, lang: str = "nl") -> str:
        """The project's summary in ``lang``; the Dutch summary where no English is given.

        Examples
        --------
        >>> project = load_programme("programmes/haaglanden-2013.yaml").project("halverwege")
        >>> project.summary_text("en")
        'Development programme for teachers aged 40 to 55.'
        """
        return _pick(self.summary, self.en, "summary", lang)


def _pick(dutch: str, english: Mapping[str, str], key: str, lang: str) -> str:
    """``english[key]`` for ``lang="en"`` when given, else the Dutch text."""
    if lang != "nl" and english.get(key):
        return english[key]
    return dutch


@dataclass(frozen=True)
class DecisionRule:
    """How an estimate and its interval become a status."""

    rule: str = "interval"
    confidence: float = 0.95
    min_n: int = 10


@dataclass(frozen=True)
class Programme:
    """A whole programme: the single source of what is evaluated and against what.

    Examples
    --------
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> p.school("01GX").name, [pr.id for pr in p.projects_of("21HC")]
    ('Christelijk Lyceum Delft', ['starters', 'e-coaching', 'duo'])
    """

    id: str
    name: str
    region: str
    reference_date: dt.date
    baseline_years: tuple[int, int]
    programme_years: tuple[int, int]
    decision: DecisionRule
    schools: tuple[School, ...]
    projects: tuple[Project, ...]
    path: Path | None = field(default=None, compare=False)
    min_group: int = (
        10  # privacy: smallest group of persons a report may show (see evallib.evaluation.privacy)
    )

    def school(self, brin: str) -> School:
        for school in self.schools:
            if school.brin == brin:
                return school
        raise EvallibError(
            "Onbekende school",
            expected="een BRIN-code uit het programma",
            found=brin,
            hint=f"Bekende scholen: {', '.join(s.brin for s in self.schools)}",
        )

    @property
    def participating(self) -> tuple[School, ...]:
        return tuple(s for s in self.schools if not s.is_comparison)

    @property
    def comparison(self) -> tuple[School, ...]:
        return tuple(s for s in self.schools if s.is_comparison)

    def projects_of(self, brin: str) -> list[Project]:
        return [p for p in self.projects if brin in p.participants]

    def project(self, project_id: str) -> Project:
        return next(p for p in self.projects if p.id == project_id)

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(t for p in self.projects for t in p.targets)


def _fail(path: Path, key: str, message: str, expected: str = "", found: Any = None) -> None:
    raise ProgrammeError(
        message,
        file=str(path),
        column=key,
        expected=expected or None,
        found=None if found is None else repr(found),
        hint="Pas het programmabestand aan (zie docs/programme-format.md)",
    )


def _only_keys(
    path: Path, where: str, data: Mapping, allowed: set[str], required: set[str]
) -> None:
    if not isinstance(data, Mapping):
        _fail(path, where, "Verwacht een lijst van sleutels en waarden", "mapping", data)
    unknown = sorted(set(data) - allowed)
    if unknown:
        _fail(
            path,
            f"{where}.{unknown[0]}",
            "Onbekende sleutel",
            ", ".join(sorted(allowed)),
            unknown[0],
        )
    missing = sorted(required - set(data))
    if missing:
        _fail(path, f"{where}.{missing[0]}", "Verplichte sleutel ontbreekt", missing[0])


def _year(path: Path, key: str, value: Any) -> int:
    try:
        return parse_school_year(str(value))
    except EvallibError:
        _fail(path, key, "Schooljaar niet herkend", "schooljaar als 2013/14", value)
        raise  # unreachable, keeps type checkers calm


def _target(path: Path, project: str, raw: Mapping, index: int) -> Target:
    where = f"projects.{project}.targets[{index}]"
    shape = raw.get("shape") if isinstance(raw, Mapping) else None
    if shape not in SHAPES:
        _fail(path, f"{where}.shape", "Onbekende vorm van doel", ", ".join(SHAPES), shape)
    _only_keys(
        path,
        where,
        raw,
        _COMMON_TARGET_KEYS | _SHAPE_KEYS[shape],
        {"id", "title", "shape", "measure", "levels"},
    )
    measure = raw["measure"]
    if not isinstance(measure, Mapping) or "name" not in measure:
        _fail(path, f"{where}.measure", "Maat zonder naam", "{name: ..., ...}", measure)
    levels = tuple(raw["levels"])
    for level in levels:
        if level not in LEVELS:
            _fail(path, f"{where}.levels", "Onbekend niveau", ", ".join(LEVELS), level)
    milestones = tuple(
        Milestone(
            year=_year(path, f"{where}.milestones[{i}].year", m.get("year")),
            min=m.get("min"),
            max=m.get("max"),
        )
        for i, m in enumerate(raw.get("milestones", ()))
    )
    if shape == "count_range" and not milestones:
        _fail(path, f"{where}.milestones", "Een count_range-doel heeft mijlpalen nodig")
    if shape in ("threshold", "pp_change", "distribution") and (
        raw.get("at_least") is None and raw.get("at_most") is None
    ):
        _fail(path, where, "Geef at_least of at_most", "at_least of at_most")
    if shape == "relative_change" and not isinstance(raw.get("change"), int | float):
        _fail(
            path,
            f"{where}.change",
            "Relatieve verandering ontbreekt",
            "bijv. -0.5",
            raw.get("change"),
        )
    if shape == "go_no_go" and raw.get("at_least") is None:
        _fail(path, f"{where}.at_least", "Minimum ontbreekt", "een getal")
    english = _english(path, f"{where}.en", raw.get("en"), _TARGET_EN_KEYS)
    return Target(
        id=str(raw["id"]),
        project=project,
        title=str(raw["title"]),
        source=str(raw.get("source", "")),
        shape=shape,
        measure=dict(measure),
        levels=levels,
        derived=bool(raw.get("derived", False)),
        change=raw.get("change"),
        at_least=raw.get("at_least"),
        at_most=raw.get("at_most"),
        from_year=_year(path, f"{where}.from", raw["from"]) if "from" in raw else None,
        to_year=_year(path, f"{where}.to", raw["to"]) if "to" in raw else None,
        category=raw.get("category"),
        milestones=milestones,
        en=english,
    )


def _english(path: Path, where: str, raw: Any, allowed: set[str]) -> dict[str, str]:
    """The optional ``en:`` mapping of a project or target: only known keys, text values."""
    if raw is None:
        return {}
    _only_keys(path, where, raw, allowed, set())
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip():
            _fail(path, f"{where}.{key}", "Engelse tekst ontbreekt", "tekst", value)
    return {str(k): str(v) for k, v in raw.items()}


def load_programme(path: str | Path) -> Programme:
    """Load and check a programme YAML file (cached while the file is unchanged; see :func:`read_programme`)."""
    path = Path(path)
    try:
        stamp = path.stat()
    except OSError:
        return read_programme(path)
    return _cached_programme(str(path), stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=8)
def _cached_programme(path: str, mtime_ns: int, size: int) -> Programme:
    return read_programme(path)


def read_programme(path: str | Path) -> Programme:
    """Load and check a programme YAML file.

    Parameters
    ----------
    path
        The programme file, e.g. ``programmes/haaglanden-2013.yaml``.

    Returns
    -------
    Programme

    Raises
    ------
    ProgrammeError
        With the file and the dotted key of the first problem.

    Examples
    --------
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> len(p.participating), len(p.comparison), len(p.projects)
    (8, 2, 4)
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgrammeError(
            "Programmabestand niet gevonden",
            file=str(path),
            hint="Geef het pad naar een programmabestand, bijv. programmes/haaglanden-2013.yaml",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProgrammeError(
            f"Geen geldige YAML: {getattr(exc, 'problem', exc)}",
            file=str(path),
            row=None if mark is None else mark.line + 1,
        ) from None
    top = {
        "id",
        "name",
        "region",
        "reference_date",
        "baseline_years",
        "programme_years",
        "decision",
        "privacy",
        "schools",
        "projects",
    }
    _only_keys(path, "programme", raw, top, top - {"decision", "region", "privacy"})
    privacy = raw.get("privacy") or {}
    _only_keys(path, "privacy", privacy, {"min_group"}, set())
    min_group = privacy.get("min_group", 10)
    if not isinstance(min_group, int) or isinstance(min_group, bool) or min_group < 1:
        _fail(
            path,
            "privacy.min_group",
            "Ongeldige minimale groepsgrootte",
            "geheel getal ≥ 1",
            min_group,
        )

    decision_raw = raw.get("decision") or {}
    _only_keys(path, "decision", decision_raw, {"rule", "confidence", "min_n"}, set())
    decision = DecisionRule(**decision_raw)
    if decision.rule not in RULES:
        _fail(path, "decision.rule", "Onbekende beslisregel", ", ".join(RULES), decision.rule)

    schools = []
    for i, s in enumerate(raw["schools"]):
        _only_keys(
            path,
            f"schools[{i}]",
            s,
            {"brin", "name", "place", "role", "locations"},
            {"brin", "name", "role", "locations"},
        )
        if s["role"] not in ("participant", "comparison"):
            _fail(
                path, f"schools[{i}].role", "Onbekende rol", "participant of comparison", s["role"]
            )
        schools.append(
            School(
                str(s["brin"]),
                str(s["name"]),
                str(s.get("place", "")),
                s["role"],
                {str(k): str(v) for k, v in s["locations"].items()},
            )
        )
    by_brin = {s.brin: s for s in schools}
    if len(by_brin) != len(schools):
        _fail(path, "schools", "Een BRIN-code komt twee keer voor")

    projects = []
    for i, p in enumerate(raw["projects"]):
        _only_keys(
            path,
            f"projects[{i}]",
            p,
            {"id", "name", "summary", "participants", "targets", "en"},
            {"id", "name", "participants", "targets"},
        )
        participants = {}
        for brin, locations in p["participants"].items():
            school = by_brin.get(str(brin))
            if school is None:
                _fail(
                    path,
                    f"projects.{p['id']}.participants",
                    "Onbekende school",
                    "BRIN uit schools",
                    brin,
                )
            for loc in locations:
                if str(loc) not in school.locations:
                    _fail(
                        path,
                        f"projects.{p['id']}.participants.{brin}",
                        "Onbekende vestiging",
                        ", ".join(school.locations),
                        loc,
                    )
            participants[str(brin)] = tuple(str(loc) for loc in locations)
        targets = tuple(_target(path, p["id"], t, j) for j, t in enumerate(p["targets"]))
        english = _english(path, f"projects.{p['id']}.en", p.get("en"), _PROJECT_EN_KEYS)
        projects.append(
            Project(
                str(p["id"]),
                str(p["name"]),
                str(p.get("summary", "")),
                participants,
                targets,
                english,
            )
        )
    ids = [t.id for p in projects for t in p.targets]
    if len(set(ids)) != len(ids):
        _fail(path, "targets", "Een doel-id komt twee keer voor", found=ids)

    reference_date = raw["reference_date"]
    if not isinstance(reference_date, dt.date):
        _fail(path, "reference_date", "Geen datum", "JJJJ-MM-DD", reference_date)
    return Programme(
        id=str(raw["id"]),
        name=str(raw["name"]),
        region=str(raw.get("region", "")),
        reference_date=reference_date,
        baseline_years=tuple(_year(path, "baseline_years", y) for y in raw["baseline_years"]),
        programme_years=tuple(_year(path, "programme_years", y) for y in raw["programme_years"]),
        decision=decision,
        schools=tuple(schools),
        projects=tuple(projects),
        path=path,
        min_group=min_group,
    )


def years(span: tuple[int, int]) -> list[int]:
    """All school years in an inclusive span.

    Examples
    --------
    >>> years((2010, 2012))
    [2010, 2011, 2012]
    """
    return list(range(span[0], span[1] + 1))
