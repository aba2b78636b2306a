"""A programme's companion file: what ``evallib synth`` plants beyond what the targets say.

The programme file says what is evaluated; its optional companion file
(``<programme>.synth.yaml`` beside it, e.g. ``programmes/haaglanden-2013.synth.yaml``) says
how the synthetic data for it are made: planted rates and shares, how the people of a role
are chosen, the special cases that make a school miss a target, and each school's file
format. Every key is optional; without the file everything follows from the programme's
targets (:mod:`evallib.synth.plan`). The format is documented in ``docs/synthetic-data.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evallib.contract.programme import Programme
from evallib.contract.yamlsource import read_yaml
from evallib.core.errors import EvallibError

SUFFIX = ".synth.yaml"
HINT = "Pas het begeleidende bestand aan (zie docs/synthetic-data.md)"

Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]
#: How the people of a role are chosen (see ``docs/synthetic-data.md``).
RoleKind = Literal["induction", "band", "experienced", "selected", "team", "pairs", "members"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Dropout(_Model):
    baseline: Share
    programme: Share


class Starters(_Model):
    #: True 3-year dropout of starters before the programme, and of programme cohorts.
    dropout_3y: Dropout | None = None
    #: Starters hired a year at programme locations during the programme, relative to before.
    growth: Annotated[float, Field(gt=0)] | None = None
    #: Starters take part in their first this many years.
    cohorts: Annotated[int, Field(ge=1)] | None = None


class Leaving(_Model):
    """Leaving (not retiring) a year: below, in and above the age band, and band participants."""

    under_band: Share
    band: Share
    band_participants: Share
    over_band: Share


class Digital(_Model):
    #: Mean share of digital lessons per measured year: of teachers outside a team, of teams.
    others: tuple[Share, ...] | None = None
    team: tuple[Share, ...] | None = None
    #: Beta concentration of a teacher's share around the mean.
    concentration: Annotated[float, Field(gt=0)] | None = None


class Response(_Model):
    """Respondents a location and year: a share of its staff, or a fixed number."""

    staff: Share | None = None
    fixed: Count | None = None


class ItemShare(_Model):
    """Share answering 4 or 5: everywhere (``from``), and in the last year where a target moves it."""

    start: Annotated[Share, Field(alias="from")]
    end: Annotated[Share | None, Field(alias="to")] = None


class Survey(_Model):
    response: dict[str, Response] = {}
    shares: dict[str, ItemShare] = {}


class Group(_Model):
    """A group selected in one programme year: its size and how many by the target's date."""

    size: Annotated[int, Field(ge=1)]
    on_time: Count


class Role(_Model):
    kind: RoleKind | None = None
    #: ``experienced``: people a location; ``team``: people a school.
    size: Count | None = None
    #: ``selected``: the groups of the first programme years.
    groups: tuple[Group, ...] = ()
    #: ``pairs``: the role of the other person in each pair, and the seniors' minimum age.
    partner: str | None = None
    min_age: Annotated[int, Field(ge=15, le=80)] | None = None


class FileFormat(_Model):
    extension: Literal["csv", "xlsx"] = "csv"
    sep: Literal[",", ";", "\t"] = ","
    encoding: Literal["utf-8", "utf-8-sig", "cp1252"] = "utf-8"
    decimal: Literal[".", ","] = "."
    date_format: Literal["%Y-%m-%d", "%d-%m-%Y"] = "%Y-%m-%d"


class LocationSettings(_Model):
    pupils: Annotated[int, Field(ge=1)] | None = None
    starters_per_year: Annotated[float, Field(ge=0)] | None = None
    baseline_starters_max: Count | None = None
    #: People in a role (``project/role``) at this location; ``all``: every teacher.
    members: dict[str, Count | Literal["all"]] = {}
    #: ``pairs`` roles: the years each pair works together.
    pairs: dict[str, tuple[Annotated[int, Field(ge=1)], ...]] = {}
    #: Share answering 4 or 5 in the last year, per item (instead of the item's ``to``).
    survey: dict[str, Share] = {}


class SchoolSettings(_Model):
    format: Literal["csv", "xlsx"] | FileFormat = "csv"
    #: Mean share of digital lessons of this school's teams per measured year.
    digital_share: tuple[Share, ...] | None = None
    #: People in a role a school (``team`` roles).
    members: dict[str, Count] = {}
    locations: dict[str, LocationSettings] = {}


class Settings(_Model):
    """The whole companion file; the empty one is everything derived from the targets."""

    starters: Starters = Starters()
    leaving_per_year: Leaving | None = None
    digital_share: Digital = Digital()
    survey: Survey = Survey()
    roles: dict[str, Role] = {}
    #: Per project the schools that miss its targets; absent: its last school (of two or more).
    missing_schools: dict[str, tuple[str, ...]] | None = None
    schools: dict[str, SchoolSettings] = {}
    #: The bullets of LEESMIJ.md's "Wat er is 'geplant'" (Markdown); absent: written from the plan.
    leesmij: str | None = None

    def school(self, brin: str) -> SchoolSettings:
        return self.schools.get(brin, _NO_SCHOOL)

    def location(self, brin: str, code: str) -> LocationSettings:
        return self.school(brin).locations.get(code, _NO_LOCATION)


_NO_SCHOOL, _NO_LOCATION = SchoolSettings(), LocationSettings()


def companion_path(programme_file: str | Path) -> Path:
    """Where a programme's companion file would be.

    Examples
    --------
    >>> companion_path("programmes/haaglanden-2013.yaml").as_posix()
    'programmes/haaglanden-2013.synth.yaml'
    """
    path = Path(programme_file)
    return path.with_name(path.name.removesuffix(path.suffix) + SUFFIX)


def load_settings(programme: Programme, path: str | Path | None = None) -> Settings:
    """The companion file of ``programme`` (or the one at ``path``), checked against it.

    Parameters
    ----------
    programme
        The programme the file belongs to; every project, role, school and survey item the
        file names must be in it.
    path
        The companion file; default: beside the programme file, if there is one.

    Returns
    -------
    Settings
        Empty settings when there is no companion file.

    Raises
    ------
    EvallibError
        Naming the file, line and key of the first problem.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> s = load_settings(load_programme("programmes/haaglanden-2013.yaml"))
    >>> s.starters.dropout_3y.programme
    0.15
    """
    if path is None:
        if programme.path is None or not companion_path(programme.path).exists():
            return Settings()
        path = companion_path(programme.path)
    path = Path(path)
    source = read_yaml(path)
    try:
        settings = Settings.model_validate(source.data or {})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = tuple(error["loc"])
        raise EvallibError(
            error["msg"],
            file=str(path),
            row=source.line(loc),
            column=".".join(map(str, loc)),
            found=str(error.get("input"))[:80],
            hint=HINT,
        ) from None
    for loc, found, expected in _unknown_references(settings, programme):
        raise EvallibError(
            "Onbekend in het programma",
            file=str(path),
            row=source.line(loc),
            column=".".join(map(str, loc)),
            expected=expected,
            found=found,
            hint=HINT,
        )
    return settings


def _unknown_references(s: Settings, p: Programme):
    roles = {f"{pr.id}/{role}" for pr in p.projects for role in pr.roles}
    brins = {school.brin: school for school in p.schools}
    known = ", ".join(sorted(roles))
    for key, role in s.roles.items():
        if key not in roles:
            yield ("roles", key), key, known
        partner = f"{key.split('/')[0]}/{role.partner}"
        if role.partner is not None and partner not in roles:
            yield ("roles", key, "partner"), role.partner, known
    for group in s.survey.response:
        if group not in p.survey.groups:
            yield ("survey", "response", group), group, ", ".join(p.survey.groups)
    for item in s.survey.shares:
        if item not in p.survey.items:
            yield ("survey", "shares", item), item, ", ".join(p.survey.items)
    projects = {project.id: project for project in p.projects}
    for project, schools in (s.missing_schools or {}).items():
        if project not in projects:
            yield ("missing_schools", project), project, ", ".join(projects)
            continue
        for brin in schools:
            if brin not in projects[project].participants:
                yield ("missing_schools", project), brin, ", ".join(projects[project].participants)
    for brin, school in s.schools.items():
        if brin not in brins:
            yield ("schools", brin), brin, ", ".join(brins)
            continue
        for key in school.members:
            if key not in roles:
                yield ("schools", brin, "members", key), key, known
        for code, loc in school.locations.items():
            where = ("schools", brin, "locations", code)
            if code not in brins[brin].locations:
                yield where, code, ", ".join(brins[brin].locations)
            for key in (*loc.members, *loc.pairs):
                if key not in roles:
                    yield (*where, "members"), key, known
            for item in loc.survey:
                if item not in p.survey.items:
                    yield (*where, "survey", item), item, ", ".join(p.survey.items)
