"""A programme as a typed model: schools, projects with their roles, survey, indicators, targets.

The programme file is the one source of a programme's vocabulary: project ids, each
project's roles, the survey groups and items, the region-level indicators and the schools.
The models refuse unknown keys and check types; :func:`reference_problems` then checks that
everything a target refers to exists and that each measure fits its shape.
:mod:`evallib.contract.programme` loads a file into these models and names the line of any
problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    model_validator,
)

from evallib.contract.measures import SHAPES_FOR_KIND, Indicator, Kind
from evallib.contract.targets import Identifier, Target
from evallib.core.dates import format_school_year, parse_school_year
from evallib.core.errors import EvallibError

BRIN = Annotated[str, Field(pattern=r"^[0-9A-Z]{4}$")]
LocationCode = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
Text = Annotated[str, Field(min_length=1)]


def _school_years(value: object) -> object:
    if isinstance(value, list | tuple) and len(value) == 2:
        return tuple(parse_school_year(str(v)) for v in value)
    raise ValueError("geef [eerste, laatste] schooljaar, bijv. [2010/11, 2012/13]")


SchoolYears = Annotated[
    tuple[int, int],
    BeforeValidator(_school_years),
    PlainSerializer(lambda span: [format_school_year(y) for y in span], return_type=list),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class School(_Model):
    """A school (BRIN) with its locations (vestigingen); ``comparison`` schools did not take part."""

    brin: BRIN
    name: Text
    place: str = ""
    role: Literal["participant", "comparison"]
    locations: Annotated[dict[LocationCode, Text], Field(min_length=1)]

    @property
    def is_comparison(self) -> bool:
        return self.role == "comparison"


class Named(_Model):
    """A word as reports show it, with its English."""

    label: Text
    en: Text | None = None

    def text(self, lang: str = "nl") -> str:
        return self.en if lang != "nl" and self.en else self.label


def _roles(value: object) -> object:
    """Roles as a list of ids, or as ``{id: {label: ..., en: ...}}``."""
    if isinstance(value, list | tuple):
        return {str(role): {"label": str(role)} for role in value}
    return value


class ProjectEnglish(_Model):
    name: Text | None = None
    summary: Text | None = None


class Project(_Model):
    """A project: its roles, the locations that take part (per school) and its targets."""

    id: Identifier
    name: Text
    summary: str = ""
    en: ProjectEnglish | None = None
    #: The roles a teacher can have in this project (the ``rol`` values of the participation
    #: file), each with the words reports use for the people in it; a list of ids is enough.
    roles: Annotated[dict[Identifier, Named], BeforeValidator(_roles)] = {}
    participants: dict[BRIN, Annotated[tuple[LocationCode, ...], Field(min_length=1)]]
    targets: tuple[Target, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _targets_know_their_project(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("targets"), list):
            for target in data["targets"]:
                if isinstance(target, dict):
                    if "project" in target:
                        raise ValueError(
                            "een doel hoort bij het project waaronder het staat: laat 'project' weg"
                        )
                    target["project"] = data.get("id")
        return data

    def label(self, lang: str = "nl") -> str:
        """The project's name in ``lang``; the Dutch name where no English is given."""
        return self.en.name if lang != "nl" and self.en and self.en.name else self.name

    def role_label(self, role: str, lang: str = "nl") -> str:
        """The people in a role as reports name them (the role's id if the file gives no words)."""
        named = self.roles.get(role)
        return named.text(lang) if named else role

    def summary_text(self, lang: str = "nl") -> str:
        """The project's summary in ``lang``; the Dutch summary where no English is given."""
        return self.en.summary if lang != "nl" and self.en and self.en.summary else self.summary


class SurveyItem(Named):
    """A survey item: ``label`` names it (a column of the survey file), ``question`` says what
    it asks about, as the end of "positief over …"."""

    question: Text
    question_en: Text | None = None
    #: The respondent groups that were asked this item.
    groups: Annotated[tuple[Identifier, ...], Field(min_length=1)]

    def about(self, lang: str = "nl") -> str:
        return self.question_en if lang != "nl" and self.question_en else self.question


class Survey(_Model):
    """The survey's respondent groups and items (items are the columns of the survey file)."""

    groups: dict[Identifier, Named] = {}
    items: dict[Identifier, SurveyItem] = {}


class IndicatorSpec(_Model):
    """A region-level figure delivered in the indicator file (``indicatoren.csv``)."""

    id: Identifier
    title: Text
    en: Named | None = None
    kind: Literal["share", "count", "amount", "distribution"]
    #: What the value counts, as reports say it (personen, fte, studenten, ...).
    unit: Text
    #: The categories of a distribution (the file's ``categorie`` values).
    categories: tuple[Text, ...] = ()
    source: str = ""

    def label(self, lang: str = "nl") -> str:
        return self.en.label if lang != "nl" and self.en else self.title


class Decision(_Model):
    """How an estimate and its interval become a status (see docs/methods.md)."""

    rule: Literal["interval", "point"] = "interval"
    confidence: Annotated[float, Field(gt=0.5, lt=1)] = 0.95
    min_n: Annotated[int, Field(ge=1)] = 10


# The old name, kept for the evaluation code and tests.
DecisionRule = Decision


class Privacy(_Model):
    #: Smallest group of persons a report may show (see docs/privacy.md).
    min_group: Annotated[int, Field(ge=1)] = 10


class Programme(_Model):
    """A whole programme: the single source of what is evaluated and against what.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> p.school("01GX").name, [pr.id for pr in p.projects_of("21HC")]
    ('Christelijk Lyceum Delft', ['starters', 'e-coaching', 'duo'])
    """

    id: Identifier
    name: Text
    region: str = ""
    #: The last day the evaluation data cover.
    reference_date: dt.date
    baseline_years: SchoolYears
    programme_years: SchoolYears
    decision: Decision = Decision()
    privacy: Privacy = Privacy()
    schools: Annotated[tuple[School, ...], Field(min_length=1)]
    survey: Survey = Survey()
    indicators: tuple[IndicatorSpec, ...] = ()
    projects: Annotated[tuple[Project, ...], Field(min_length=1)]
    _path: object = PrivateAttr(default=None)

    @property
    def path(self):  # the file it was loaded from, if any
        return self._path

    @property
    def min_group(self) -> int:
        return self.privacy.min_group

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

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise EvallibError(
            "Onbekend project",
            expected=", ".join(p.id for p in self.projects),
            found=project_id,
        )

    def indicator(self, indicator_id: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        raise EvallibError(
            "Onbekende indicator",
            expected=", ".join(i.id for i in self.indicators) or "(geen indicatoren)",
            found=indicator_id,
        )

    @property
    def participating(self) -> tuple[School, ...]:
        return tuple(s for s in self.schools if not s.is_comparison)

    @property
    def comparison(self) -> tuple[School, ...]:
        return tuple(s for s in self.schools if s.is_comparison)

    def projects_of(self, brin: str) -> list[Project]:
        return [p for p in self.projects if brin in p.participants]

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(t for p in self.projects for t in p.targets)

    def kind_of(self, target: Target) -> Kind:
        """The kind of number the target's measure gives (an indicator's own kind)."""
        if isinstance(target.measure, Indicator):
            return Kind(self.indicator(target.measure.indicator).kind)
        return target.measure.kind

    def categories_of(self, target: Target) -> tuple[str, ...]:
        """The outcome categories a distribution target's measure knows."""
        if isinstance(target.measure, Indicator):
            return self.indicator(target.measure.indicator).categories
        return getattr(target.measure, "categories", ())

    def role_of(self, target: Target) -> tuple[str, str] | None:
        """The (project, role) the target's measure counts or follows, if any."""
        ref = target.measure.role_ref
        return None if ref is None else (ref[0] or target.project, ref[1])


def years(span: tuple[int, int]) -> list[int]:
    """All school years in an inclusive span.

    Examples
    --------
    >>> years((2010, 2012))
    [2010, 2011, 2012]
    """
    return list(range(span[0], span[1] + 1))


# --- references between parts of the file -------------------------------------------------

Problem = tuple[tuple[str | int, ...], str, str, object]  # path, message, expected, found


def reference_problems(p: Programme) -> list[Problem]:
    """Everything that refers to something the file does not define, or does not fit it.

    Each problem is ``(path, message, expected, found)``; the path points into the file.
    """
    return [*_unique(p), *_participants(p), *_target_problems(p)]


def _unique(p: Programme) -> Iterator[Problem]:
    for what, items in (
        ("schools", [s.brin for s in p.schools]),
        ("projects", [pr.id for pr in p.projects]),
        ("indicators", [i.id for i in p.indicators]),
    ):
        for index, key in enumerate(items):
            if key in items[:index]:
                yield ((what, index), "Komt twee keer voor", "unieke waarde", key)
    seen: set[str] = set()
    for path, target in _targets(p):
        if target.id in seen:
            yield ((*path, "id"), "Een doel-id komt twee keer voor", "unieke id", target.id)
        seen.add(target.id)
    for item_id, item in p.survey.items.items():
        for group in item.groups:
            if group not in p.survey.groups:
                yield (
                    ("survey", "items", item_id, "groups"),
                    "Onbekende groep respondenten",
                    ", ".join(p.survey.groups) or "(geen groepen onder survey.groups)",
                    group,
                )


def _participants(p: Programme) -> Iterator[Problem]:
    by_brin = {s.brin: s for s in p.schools}
    for i, project in enumerate(p.projects):
        for brin, locations in project.participants.items():
            where = ("projects", i, "participants", brin)
            school = by_brin.get(brin)
            if school is None:
                yield (where, "Onbekende school", "een BRIN uit schools", brin)
                continue
            if school.is_comparison:
                yield (
                    where,
                    "Een vergelijkingsschool doet niet mee aan projecten",
                    "een deelnemende school",
                    brin,
                )
            for loc in locations:
                if loc not in school.locations:
                    yield (where, "Onbekende vestiging", ", ".join(school.locations), loc)


def _targets(p: Programme) -> Iterator[tuple[tuple[str | int, ...], Target]]:
    for i, project in enumerate(p.projects):
        for j, target in enumerate(project.targets):
            yield ("projects", i, "targets", j), target


def _target_problems(p: Programme) -> Iterator[Problem]:
    projects = {project.id: project for project in p.projects}
    indicators = {spec.id: spec for spec in p.indicators}
    for path, target in _targets(p):
        measure = target.measure
        where = (*path, "measure")
        ref = target.measure.role_ref
        if ref is not None:
            project_id = ref[0] or target.project
            if project_id not in projects:
                yield ((*where, "project"), "Onbekend project", ", ".join(projects), project_id)
            elif ref[1] not in projects[project_id].roles:
                yield (
                    (*where, "role"),
                    f"Onbekende rol in project '{project_id}'",
                    ", ".join(projects[project_id].roles) or "(het project noemt geen roles)",
                    ref[1],
                )
        if measure.name == "survey_positive":
            yield from _survey_problems(p, where, measure)
        if isinstance(measure, Indicator):
            if measure.indicator not in indicators:
                yield (
                    (*where, "indicator"),
                    "Onbekende indicator",
                    ", ".join(indicators) or "(geen indicatoren)",
                    measure.indicator,
                )
                continue
            if target.levels != ("region",):
                yield (
                    (*path, "levels"),
                    "Een indicator geldt voor de regio",
                    "[region]",
                    list(target.levels),
                )
        kind = p.kind_of(target)
        if target.shape not in SHAPES_FOR_KIND[kind]:
            yield (
                (*path, "shape"),
                f"Vorm '{target.shape}' past niet bij maat '{measure.name}' ({kind.value})",
                ", ".join(SHAPES_FOR_KIND[kind]),
                target.shape,
            )
        if target.shape == "distribution":
            known = p.categories_of(target)
            for part in target.category_parts:
                if part not in known:
                    yield ((*path, "category"), "Onbekende categorie", ", ".join(known), part)
        if target.shape == "go_no_go" and measure.name == "selected" and target.by is None:
            yield (
                (*path, "by"),
                "Een go/no-go op selectie heeft een datum nodig",
                "by: JJJJ-MM-DD",
                None,
            )
        if not isinstance(measure, Indicator):
            yield from _school_year_problems(path, target)


def _survey_problems(p: Programme, where: tuple, measure) -> Iterator[Problem]:
    if measure.group not in p.survey.groups:
        yield (
            (*where, "group"),
            "Onbekende groep respondenten",
            ", ".join(p.survey.groups) or "(geen survey.groups)",
            measure.group,
        )
    item = p.survey.items.get(measure.item)
    if item is None:
        yield (
            (*where, "item"),
            "Onbekende vraag",
            ", ".join(p.survey.items) or "(geen survey.items)",
            measure.item,
        )
    elif measure.group not in item.groups:
        yield (
            (*where, "item"),
            f"Vraag '{measure.item}' is niet aan '{measure.group}' gesteld",
            ", ".join(item.groups),
            measure.group,
        )


def _school_year_problems(path: tuple, target: Target) -> Iterator[Problem]:
    """School files count in school years: their targets name school years."""
    periods = []
    for key in ("year", "from_", "to"):
        value = getattr(target, key, None)
        if value is not None:
            periods += [
                (key.rstrip("_"), v) for v in (value if isinstance(value, tuple) else (value,))
            ]
    periods += [("milestones", m.year) for m in getattr(target, "milestones", ())]
    for key, period in periods:
        if not period.school:
            yield (
                (*path, key),
                "Schoolgegevens tellen in schooljaren",
                "schooljaar als 2013/14",
                period.label,
            )
