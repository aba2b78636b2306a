"""A programme as a typed model: schools, projects with their roles, survey, indicators, targets.

The programme file is the one source of a programme's vocabulary: project ids, each
project's roles, the survey groups and items, the region-level indicators and the schools.
The models refuse unknown keys and check types;
:func:`evallib.contract.references.reference_problems` then checks that everything a target
refers to exists and that each measure fits its shape.
:mod:`evallib.contract.programme` loads a file into these models and names the line of any
problem.
"""

from __future__ import annotations

import datetime as dt
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

from evallib.contract.measures import Indicator, Kind
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
