"""The raw data contract: which files a school delivers and what is in them.

This module is the single source for the readers (:mod:`evallib.ingest.read`), the
validation suites and their messages (:mod:`evallib.validation.suites`), the intake
templates and ``docs/data-format.md``: each file's spec declares its columns and its rules
(:mod:`evallib.contract.rules`), and the rest follows from them. Column names are Dutch
because schools write them.

Part of the contract comes from the programme: its project ids and roles (the
``project`` and ``rol`` values of the participation file), its survey groups and items
(the ``groep`` values and the item columns of the survey file). :data:`FILES` is the
contract without them; :func:`files_for` fills them in for one programme.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from evallib.contract.filespec import KIND_FORMATS, Column, FileSpec
from evallib.contract.region_files import INDICATORS
from evallib.contract.rules import Between, Empty, Filled, NotBelow, OneOf, Rule
from evallib.core.dates import format_school_year

if TYPE_CHECKING:
    from evallib.contract.model import Programme

__all__ = [
    "ALL_FILES",
    "FILES",
    "HOURS",
    "INDICATORS",
    "KIND_FORMATS",
    "LEAVE_REASONS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "PARTICIPATION",
    "REGION_FILES",
    "REQUIRED_FILES",
    "STAFF",
    "SURVEY",
    "SYNTHETIC_MARK",
    "Column",
    "FileSpec",
    "files_for",
]

SYNTHETIC_MARK = "SYNTHETISCHE DATA — geen echte schoolgegevens"

#: Limits on one delivered file, checked before it is parsed (docs/data-format.md states them).
#: Generous for any school (a national staff file has some 100,000 rows), small enough that a
#: file declaring a billion cells is refused in a second instead of filling the memory.
MAX_ROWS = 2_000_000  # data rows per file
MAX_COLUMNS = 200  # columns per file
MAX_FILE_BYTES = 1 << 30  # 1 GiB: a CSV file, or an XLSX workbook once unpacked

LEAVE_REASONS = ("andere school", "buiten onderwijs", "pensioen", "onbekend")

_SCHOOL = (
    Column("brin", "brin", True, "BRIN-code van de school (gelijk voor alle regels)", "01GX"),
    Column("vestiging", "vestiging", True, "vestigingsnummer van de locatie", "00"),
)
_TEACHER = Column(
    "docent_id",
    "id",
    True,
    "pseudoniem van de docent, door de school gekozen; nooit naam, BSN of personeelsnummer",
    "D0042",
)
#: A teacher in deelname or lesuren is one of the school's own staff.
_KNOWN_TEACHER = OneOf(
    code="unknown_teacher", column="docent_id", on="_known_teacher", values=(True,)
)

STAFF = FileSpec(
    name="personeel",
    title="Personeel",
    description=(
        "Eén regel per docent die sinds 1 augustus 2010 op de school werkte of werkt "
        "(ook wie al eerder begon en toen nog werkte)."
    ),
    columns=(
        _TEACHER,
        *_SCHOOL,
        Column("geboortejaar", "int", True, "geboortejaar", "1971", minimum=1940, maximum=2000),
        Column("datum_in_dienst", "date", True, "eerste werkdag op de school", "2013-08-01"),
        Column(
            "datum_uit_dienst",
            "date",
            False,
            "laatste werkdag op de school; leeg als de docent er nog werkt",
            "2015-07-31",
        ),
        Column(
            "reden_uit_dienst",
            "category",
            False,
            "waarheen vertrokken; verplicht als datum_uit_dienst is ingevuld",
            "andere school",
            allowed=LEAVE_REASONS,
        ),
        Column(
            "starter",
            "bool",
            True,
            "ja als de docent bij indiensttreding 0–5 jaar na de lerarenopleiding zat",
            "ja",
        ),
        Column(
            "jaar_bevoegdheid",
            "int",
            False,
            "jaar waarin de lerarenopleiding werd afgerond; verplicht voor starters",
            "2012",
            minimum=1960,
            maximum=2030,
        ),
    ),
    unique=("docent_id",),
    rules=(
        NotBelow(code="end_before_start", column="datum_uit_dienst", other="datum_in_dienst"),
        Filled(
            code="reason_missing",
            column="reden_uit_dienst",
            when=("_has_left", True),
            words={"reasons": ", ".join(LEAVE_REASONS)},
        ),
        Empty(code="reason_without_end", column="reden_uit_dienst", when=("_has_left", False)),
        Filled(code="starter_without_year", column="jaar_bevoegdheid", when=("_is_starter", True)),
        Between(
            code="starter_too_experienced",
            column="jaar_bevoegdheid",
            on="_years_since_qualifying",
            when=("_is_starter", True),
            low=0,
            high=5,
        ),
    ),
)

PARTICIPATION = FileSpec(
    name="deelname",
    title="Deelname aan projecten",
    description="Eén regel per docent, schooljaar en project waaraan de docent meedeed.",
    columns=(
        _TEACHER,
        *_SCHOOL,
        Column("schooljaar", "schoolyear", True, "schooljaar van deelname", "2014/15"),
        Column(
            "project",
            "category",
            True,
            "project: een project-id uit het programmabestand",
            "project-a",
        ),
        Column(
            "rol",
            "category",
            True,
            "rol in het project: een van de rollen die het programmabestand bij het project noemt",
            "rol-1",
        ),
        Column(
            "datum_selectie",
            "date",
            False,
            "datum waarop de docent voor het project is geselecteerd (verplicht voor rollen "
            "met een go/no-go op selectie)",
            "2013-05-15",
        ),
    ),
    unique=("docent_id", "schooljaar", "project", "rol"),
    rules=(
        _KNOWN_TEACHER,
        OneOf(
            code="location_not_in_project",
            column="project",
            on="_location_in_project",
            values=(True,),
        ),
        Filled(
            code="selection_date_missing", column="datum_selectie", when=("_selected_role", True)
        ),
    ),
)

HOURS = FileSpec(
    name="lesuren",
    title="Lesuren en digitale didactiek",
    description=(
        "Eén regel per docent per schooljaar: alle gegeven lesuren (klokuren) en het deel "
        "daarvan dat met digitale didactiek werd gegeven."
    ),
    columns=(
        _TEACHER,
        *_SCHOOL,
        Column("schooljaar", "schoolyear", True, "schooljaar", "2014/15"),
        Column(
            "lesuren_totaal",
            "decimal",
            True,
            "alle gegeven lesuren in het schooljaar (klokuren)",
            "640",
            minimum=1,
            maximum=1000,
        ),
        Column(
            "lesuren_digitaal",
            "decimal",
            True,
            "lesuren met digitale didactiek (niet meer dan lesuren_totaal)",
            "96,5",
            minimum=0,
            maximum=1000,
        ),
    ),
    unique=("docent_id", "schooljaar"),
    rules=(
        _KNOWN_TEACHER,
        NotBelow(
            code="digital_above_total",
            column="lesuren_digitaal",
            on="lesuren_totaal",
            other="lesuren_digitaal",
        ),
    ),
)

SURVEY = FileSpec(
    name="enquete",
    title="Tevredenheidsonderzoek",
    description=(
        "Eén regel per (anonieme) respondent van het tevredenheidsonderzoek onder personeel "
        "of leerlingen, met een score 1–5 per vraag. Vragen die een groep niet kreeg, blijven leeg."
    ),
    columns=(
        Column(
            "respondent",
            "id",
            True,
            "volgnummer van de ingevulde vragenlijst (anoniem, niet te herleiden tot een persoon)",
            "R0001",
        ),
        *_SCHOOL,
        Column("schooljaar", "schoolyear", True, "schooljaar van de meting", "2013/14"),
        Column(
            "groep",
            "category",
            True,
            "wie de vragenlijst invulde: een groep uit het programmabestand",
            "personeel",
        ),
        # one column per survey item of the programme, see files_for()
    ),
    unique=("respondent", "schooljaar", "groep"),
)

FILES: dict[str, FileSpec] = {spec.name: spec for spec in (STAFF, PARTICIPATION, HOURS, SURVEY)}
#: Files delivered once for the whole region (next to the school folders), not per school.
REGION_FILES: dict[str, FileSpec] = {INDICATORS.name: INDICATORS}
#: Every kind of file, per school and for the region.
ALL_FILES: dict[str, FileSpec] = {**FILES, **REGION_FILES}
#: Files every school must deliver; the others are needed only for some projects.
REQUIRED_FILES = ("personeel",)


def files_for(programme: Programme) -> dict[str, FileSpec]:
    """The contract for one programme: its projects, roles, survey groups and items filled in.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> specs = files_for(load_programme("programmes/haaglanden-2013.yaml"))
    >>> specs["deelname"].column("project").allowed
    ('starters', 'e-coaching', 'halverwege', 'duo')
    >>> [c.name for c in specs["enquete"].columns][-4:]
    ['tevredenheid', 'inzetbaarheid', 'samenwerking', 'digitaal']
    """
    projects = tuple(p.id for p in programme.projects)
    roles = tuple(dict.fromkeys(r for p in programme.projects for r in p.roles))
    groups = tuple(programme.survey.groups)
    role_text = "; ".join(f"{p.id}: {', '.join(p.roles) or '(geen)'}" for p in programme.projects)

    def filled(spec: FileSpec, allowed: dict[str, tuple[str, ...]], extra=()) -> FileSpec:
        columns = tuple(
            replace(c, allowed=allowed[c.name]) if c.name in allowed else c for c in spec.columns
        )
        return replace(spec, columns=(*columns, *extra))

    participation = filled(PARTICIPATION, {"project": projects, "rol": roles})
    first = programme.projects[0]
    examples = {"project": first.id, "rol": next(iter(first.roles), "rol-1")}
    participation = replace(
        participation,
        columns=tuple(
            replace(
                c,
                example=examples.get(c.name, c.example),
                description=f"rol in het project ({role_text})"
                if c.name == "rol"
                else c.description,
            )
            for c in participation.columns
        ),
    )
    items = tuple(
        Column(
            item,
            "likert",
            False,
            f"score op '{spec.text()}' ({' en '.join(spec.groups)})",
            "4",
            minimum=1,
            maximum=5,
        )
        for item, spec in programme.survey.items.items()
    )
    survey = filled(SURVEY, {"groep": groups}, items)
    # Staff are adults on the peildatum: a later programme has staff born after 2000.
    born = {"geboortejaar": max(2000, programme.reference_date.year - 18)}
    staff = replace(
        STAFF,
        columns=tuple(
            replace(c, maximum=born[c.name]) if c.name in born else c for c in STAFF.columns
        ),
    )
    specs = {**FILES, STAFF.name: staff, PARTICIPATION.name: participation, SURVEY.name: survey}
    return {
        name: replace(spec, rules=(*spec.rules, *_programme_rules(programme).get(name, ())))
        for name, spec in specs.items()
    }


def _programme_rules(programme: Programme) -> dict[str, tuple[Rule, ...]]:
    """The rules whose values come from the programme: its years, roles, survey and peildatum."""

    def school_years(first: int, last: int) -> Rule:
        words = {"first": format_school_year(first), "last": format_school_year(last)}
        return Between(
            code="year_out_of_range", column="schooljaar", low=first, high=last, words=words
        )

    start, last = programme.programme_years
    adult = programme.reference_date.year - 18  # staff are adults on the peildatum
    survey = programme.survey
    roles = "; ".join(f"{p.id}: {', '.join(p.roles)}" for p in programme.projects)
    return {
        "personeel": (
            Between(code="too_young", column="geboortejaar", high=adult, words={"year": adult}),
        ),
        "deelname": (
            school_years(start, last),
            OneOf(
                code="role_not_in_project",
                column="rol",
                on="_role_fits_project",
                values=(True,),
                words={"roles": roles},
            ),
        ),
        "lesuren": (school_years(programme.baseline_years[0], last),),
        "enquete": (
            Between(code="no_scores", column=", ".join(survey.items), on="_scores", low=1),
            *(
                Empty(
                    code="item_not_asked",
                    column=item,
                    when=("groep", group),
                    words={"item": item, "group": group},
                )
                for item, spec in survey.items.items()
                for group in sorted(set(survey.groups) - set(spec.groups))
            ),
        ),
    }
