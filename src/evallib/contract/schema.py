"""The raw data contract: which files a school delivers and what is in them.

This module is the single source for the readers (:mod:`evallib.ingest.read`), the
validation suites (:mod:`evallib.validation.validate`), the intake templates and
``docs/data-format.md``. Column names are Dutch because schools write them.

Part of the contract comes from the programme: its project ids and roles (the
``project`` and ``rol`` values of the participation file), its survey groups and items
(the ``groep`` values and the item columns of the survey file). :data:`FILES` is the
contract without them; :func:`files_for` fills them in for one programme.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evallib.contract.model import Programme

SYNTHETIC_MARK = "SYNTHETISCHE DATA — geen echte schoolgegevens"

#: Limits on one delivered file, checked before it is parsed (docs/data-format.md states them).
#: Generous for any school (a national staff file has some 100,000 rows), small enough that a
#: file declaring a billion cells is refused in a second instead of filling the memory.
MAX_ROWS = 2_000_000  # data rows per file
MAX_COLUMNS = 200  # columns per file
MAX_FILE_BYTES = 1 << 30  # 1 GiB: a CSV file, or an XLSX workbook once unpacked

#: Column kinds and how a value of that kind is written.
KIND_FORMATS = {
    "id": "letters, cijfers, '-' of '_', te beginnen met een letter of cijfer (max. 32 tekens)",
    "brin": "BRIN-code: 2 cijfers en 2 letters, bijv. 01GX",
    "vestiging": "vestigingsnummer: 2 cijfers, bijv. 00",
    "int": "geheel getal",
    "decimal": "getal, decimaalteken punt of komma",
    "date": "datum JJJJ-MM-DD of DD-MM-JJJJ (of een Excel-datum)",
    "schoolyear": "schooljaar als 2013/14",
    "bool": "ja of nee",
    "category": "een van de toegestane waarden",
    "likert": "geheel getal 1 t/m 5, of leeg",
    "text": "tekst (max. 200 tekens)",
    "period": "schooljaar als 2023/24, of kalenderjaar als 2024",
}


@dataclass(frozen=True)
class Column:
    """One column of a raw file.

    ``allowed`` lists the allowed values of a category column; ``minimum`` and
    ``maximum`` bound numbers and years.
    """

    name: str
    kind: str
    required: bool
    description: str
    example: str
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class FileSpec:
    """One kind of file a school delivers (CSV or XLSX, one per school)."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


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
        "datum_uit_dienst ligt niet vóór datum_in_dienst",
        "datums liggen niet na de peildatum van het programma",
        "reden_uit_dienst is ingevuld als datum_uit_dienst is ingevuld, en anders leeg",
        "starters hebben een jaar_bevoegdheid, hooguit 5 jaar vóór indiensttreding",
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
        "docent_id komt voor in personeel van dezelfde school",
        "de rol past bij het project",
        "de school en vestiging doen volgens het programma mee aan het project",
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
        "lesuren_digitaal is niet groter dan lesuren_totaal",
        "docent_id komt voor in personeel van dezelfde school",
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
    rules=("elke regel heeft ten minste één score",),
)

INDICATORS = FileSpec(
    name="indicatoren",
    title="Cijfers van de regio",
    description=(
        "Eén regel per cijfer dat de regio van buiten de scholen krijgt (een arbeidsmarktmonitor, "
        "de opleidingsscholen, een zij-instroomcohort): per indicator uit het programmabestand, "
        "voor wie (de regio of een deel ervan), over welke periode, en waar nodig per categorie. "
        "Eén bestand voor de hele regio, naast de schoolmappen."
    ),
    columns=(
        Column(
            "indicator", "id", True, "id van de indicator uit het programmabestand", "tekort-vo"
        ),
        Column(
            "scope",
            "text",
            True,
            "voor wie het cijfer geldt: 'regio' of een deel, bijv. een opleidingsschool",
            "regio",
        ),
        Column("periode", "period", True, "schooljaar (2023/24) of kalenderjaar (2024)", "2024"),
        Column(
            "categorie",
            "text",
            False,
            "categorie van een verdeling (uit het programmabestand); anders leeg",
            "diploma",
        ),
        Column(
            "waarde",
            "decimal",
            True,
            "het cijfer: een aandeel als getal tussen 0 en 1 (0,218 voor 21,8%), een aantal, "
            "of een hoeveelheid zoals fte",
            "0,218",
            minimum=0,
        ),
        Column(
            "n",
            "int",
            False,
            "voor een aandeel: het aantal personen waarover het gaat, als dat bekend is "
            "(dan krijgt het cijfer een interval)",
            "1619",
            minimum=1,
        ),
        Column("bron", "text", False, "waar het cijfer vandaan komt", "Arbeidsmarktmonitor 2024"),
    ),
    unique=("indicator", "scope", "periode", "categorie"),
    rules=(
        "de indicator staat in het programmabestand",
        "een aandeel of verdeling heeft een waarde tussen 0 en 1",
        "een verdeling heeft een categorie uit het programmabestand; andere indicatoren geen",
    ),
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
    return {**FILES, STAFF.name: staff, PARTICIPATION.name: participation, SURVEY.name: survey}
